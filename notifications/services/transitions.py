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


def transition(
    message: Message, status: str, *, at: dt.datetime, detail: str = "", events: list[MessageEvent] | None = None
) -> list[str]:
    """Set ``status`` (and its timestamp) on ``message`` and record the event; returns changed fields.

    With ``events`` the event is appended there unsaved, for the caller to insert a batch's events
    in one statement (``MessageEvent.objects.bulk_create``)."""
    message.status = status
    fields = ["status", "updated_at"]
    if field := _TIMESTAMP_FIELD.get(status):
        setattr(message, field, at)
        fields.append(field)
    event = MessageEvent(message=message, status=status, at=at, detail=detail[:255])
    if events is None:
        event.save(force_insert=True)
    else:
        events.append(event)
    return fields
