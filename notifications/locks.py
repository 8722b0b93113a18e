"""Every row lock of the notifications app, in one place.

A message row is locked (``SELECT ... FOR UPDATE``) only for the short transactions that move its
status; never while the gateway is being called. Two workers running the same send task therefore
serialise on the lock, and the second finds the message already ``sending`` or ``sent``.

Order: a template row before any message row (``template_for_update`` is taken alone, by staff
editing a text; a send locks only its message, ``of=("self",)``), and messages by id. The
exceptions are the ``..._skip_locked`` claims: the batch drain takes due rows with ``SKIP LOCKED``
(``due_messages_skip_locked``), so two drainers never wait for each other and never take one row
twice; ``stale_sending_skip_locked``: the beat's sweep takes the stuck ``sending`` rows with
``SKIP LOCKED``, so it never waits for a worker that holds one and cannot deadlock with it; a row
it skips is taken by the next sweep.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from notifications.models import SENDABLE_STATUSES, Message, Template


def message_for_update(message_id: int) -> Message | None:
    # of=("self",): lock the message only. Without it PostgreSQL also locks the joined template row,
    # and every worker sending that template would queue behind the others.
    return Message.objects.select_for_update(of=("self",)).select_related("template").filter(pk=message_id).first()


def due_messages_skip_locked(*, now: dt.datetime, limit: int) -> list[Message]:
    """Up to ``limit`` sendable messages due by ``now``, oldest due first, that no one else holds.

    A row another drainer (or a single send) has locked is skipped, not waited for: it is theirs.
    """
    return list(
        Message.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("template")
        .filter(status__in=SENDABLE_STATUSES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")[:limit]
    )


def messages_for_update(message_ids: list[int]) -> list[Message]:
    """The batch's rows, locked in id order (the order every lock of messages is taken in)."""
    return list(
        Message.objects.select_for_update(of=("self",))
        .select_related("template")
        .filter(pk__in=message_ids)
        .order_by("id")
    )


def template_for_update(template_id: int) -> Template:
    """A template row, while staff change its texts and bump its version."""
    return Template.objects.select_for_update().get(pk=template_id)


def stale_sending_skip_locked(*, stale_before: dt.datetime) -> QuerySet[Message]:
    """Messages stuck in ``sending`` since before ``stale_before`` that no worker holds now."""
    return Message.objects.select_for_update(skip_locked=True).filter(
        status=Message.Status.SENDING, sending_at__lt=stale_before
    )
