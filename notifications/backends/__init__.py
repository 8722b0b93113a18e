"""SMS backends, chosen by ``settings.SMS_BACKEND``: ``console``, ``database`` or ``http`` (SMSC.kz)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.backends.base import (
    Backend,
    GatewayStatus,
    PermanentSendError,
    SendResult,
    TechnicalSendError,
    TemporarySendError,
)

BACKENDS = {
    "console": "notifications.backends.console.ConsoleBackend",
    "database": "notifications.backends.database.DatabaseBackend",
    "http": "notifications.backends.smsc.SmscBackend",
}

__all__ = [
    "Backend",
    "GatewayStatus",
    "PermanentSendError",
    "SendResult",
    "TechnicalSendError",
    "TemporarySendError",
    "backend_get",
]


def backend_get(name: str | None = None) -> Backend:
    name = name or settings.SMS_BACKEND
    try:
        path = BACKENDS[name]
    except KeyError:
        raise ValueError(f"Unknown SMS_BACKEND {name!r}: use one of {', '.join(BACKENDS)}") from None
    return import_string(path)()
