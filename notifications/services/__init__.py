"""Writes of the notifications app.

- ``outbox``: ``notify`` (the one way to send an SMS) and ``message_resend``.
- ``delivery``: sending a message through the backend, re-dispatching what waits, applying the
  statuses the gateway reports.
- ``templates``: editing a template (versioned).
"""

from notifications.services.delivery import (
    message_send,
    message_status_apply,
    messages_dispatch_due,
    messages_poll_statuses,
)
from notifications.services.outbox import message_resend, notify
from notifications.services.templates import template_update

__all__ = [
    "message_resend",
    "message_send",
    "message_status_apply",
    "messages_dispatch_due",
    "messages_poll_statuses",
    "notify",
    "template_update",
]
