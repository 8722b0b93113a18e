"""Writes of the notifications app.

- ``outbox``: ``notify`` (the one way to send an SMS) and ``message_resend``.
- ``delivery``: sending a message through the backend, re-dispatching what waits, applying the
  statuses the gateway reports.
- ``templates``: editing a template (versioned); seeding an app's templates (``templates_seed``),
  what each app's data migration calls with its own texts.
- ``template_samples_register``: an app's sample contexts for the admin's preview (``AppConfig.ready``).
"""

from notifications.catalog import template_samples_register
from notifications.services.delivery import (
    message_send,
    message_status_apply,
    messages_dispatch_due,
    messages_drain,
    messages_poll_statuses,
    messages_send_due,
)
from notifications.services.outbox import message_resend, notify
from notifications.services.templates import template_update, templates_seed, templates_unseed

__all__ = [
    "message_resend",
    "message_send",
    "message_status_apply",
    "messages_dispatch_due",
    "messages_drain",
    "messages_poll_statuses",
    "messages_send_due",
    "notify",
    "template_samples_register",
    "template_update",
    "templates_seed",
    "templates_unseed",
]
