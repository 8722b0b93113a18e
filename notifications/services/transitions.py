"""Moving a message from one status to the next, with a timestamp and an event row each time."""

from __future__ import annotations

import datetime as dt

from notifications.models import Message, MessageEvent

S = Message.Status

_TIMESTAMP_FIELD = {
    S.SENDING: "sending_at",
    S.SENT: "sent_at",
    S.DELIVERED: "delivered_at",
    S.TEMPORARY_FAILURE: "failed_at",
    S.PERMANENT_FAILURE: "failed_at",
    S.TECHNICAL_FAILURE: "failed_at",
}
# Statuses the gateway reports after acceptance only move forward: a late "sent" never undoes
# "delivered".
_FINAL = {S.DELIVERED, S.PERMANENT_FAILURE}


def is_settled(status: str) -> bool:
    return status in _FINAL


def transition(message: Message, status: str, *, at: dt.datetime, detail: str = "") -> list[str]:
    """Set ``status`` (and its timestamp) on ``message`` and record the event; returns changed fields."""
    message.status = status
    fields = ["status", "updated_at"]
    if field := _TIMESTAMP_FIELD.get(status):
        setattr(message, field, at)
        fields.append(field)
    MessageEvent.objects.create(message=message, status=status, at=at, detail=detail[:255])
    return fields
