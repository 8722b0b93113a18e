"""Every row lock of the notifications app, in one place.

A message row is locked (``SELECT ... FOR UPDATE``) only for the short transactions that move its
status; never while the gateway is being called. Two workers running the same send task therefore
serialise on the lock, and the second finds the message already ``sending`` or ``sent``.
"""

from __future__ import annotations

from notifications.models import Message


def message_for_update(message_id: int) -> Message | None:
    # of=("self",): lock the message only. Without it PostgreSQL also locks the joined template row,
    # and every worker sending that template would queue behind the others.
    return Message.objects.select_for_update(of=("self",)).select_related("template").filter(pk=message_id).first()
