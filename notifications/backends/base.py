"""What every SMS backend offers, and how it reports failures.

A backend either returns a ``SendResult`` (the gateway accepted the message) or raises one of
three errors, which the outbox maps onto message statuses:

- ``TemporarySendError``: the gateway answered but refused for now (rate limit, no funds, account
  blocked): retried with backoff.
- ``PermanentSendError``: the gateway refused this message for good (bad number, forbidden text):
  not retried.
- ``TechnicalSendError``: the gateway was not reached or its answer was unreadable: retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notifications.models import Message


class SendError(Exception):
    def __init__(self, reason: str, *, code: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TemporarySendError(SendError):
    pass


class PermanentSendError(SendError):
    pass


class TechnicalSendError(SendError):
    pass


# Technical failures after which the gateway may have taken the message all the same (the answer was
# lost): before sending again, the outbox asks the gateway whether it knows the message. Any HTTP 5xx
# belongs here: a gateway (or the proxy in front of it) may answer 502/503/504 after it accepted.
UNCERTAIN_CODES = frozenset({"timeout", "connection", "bad_answer", "interrupted", "uncertain"})


def outcome_unknown(code: str) -> bool:
    """Whether a failure with ``code`` may have sent the message all the same."""
    return code in UNCERTAIN_CODES or code.startswith("http:5")


@dataclass(frozen=True)
class SendResult:
    gateway_id: str
    segments: int | None = None
    delivered: bool = False  # a backend that knows delivery at once (the database inbox)


@dataclass(frozen=True)
class GatewayStatus:
    """A status the gateway reports: ``status`` is a ``Message.Status`` value, or "" when unknown."""

    status: str
    code: str = ""
    reason: str = ""
    found: bool = True


class Backend:
    name = ""
    # Whether the gateway can be asked for a message's status (by our own id, before any answer).
    can_poll = False

    def send(self, message: Message) -> SendResult:
        raise NotImplementedError

    def status(self, message: Message) -> GatewayStatus:
        raise NotImplementedError
