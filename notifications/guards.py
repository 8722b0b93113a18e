"""When a message may go out: quiet hours, the per-phone rate limit and the order per phone.

Each guard answers "not before when?" (an aware datetime) or ``None`` (now is fine). A held
message is not dropped: its ``next_attempt_at`` moves, and the beat re-dispatch sends it then.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from notifications.models import SENDABLE_STATUSES, Message
from notifications.rendering import ALMATY


def _clock(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def quiet_hours_end(now: dt.datetime) -> dt.datetime | None:
    """[A] No non-urgent SMS 22:00-08:00 Asia/Almaty: the end of the quiet period ``now`` is in."""
    start, end = _clock(settings.SMS_QUIET_HOURS_START), _clock(settings.SMS_QUIET_HOURS_END)
    if start == end:
        return None
    local = now.astimezone(ALMATY)
    t = local.time()
    wraps = start > end  # 22:00-08:00 crosses midnight
    inside = (t >= start or t < end) if wraps else (start <= t < end)
    if not inside:
        return None
    day = local.date() + dt.timedelta(days=1) if wraps and t >= start else local.date()
    return dt.datetime.combine(day, end, tzinfo=ALMATY)


def rate_limit_free_at(phone: str, now: dt.datetime, *, exclude_id: int | None = None) -> dt.datetime | None:
    """When ``phone`` may get another SMS under the per-hour limit (``SMS_RATE_LIMIT_PER_HOUR``)."""
    limit = settings.SMS_RATE_LIMIT_PER_HOUR
    if not limit:
        return None
    window_start = now - dt.timedelta(hours=1)
    recent = (
        Message.objects.filter(phone=phone, sent_at__gt=window_start)
        .exclude(pk=exclude_id)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)[:limit]
    )
    recent = list(recent)
    if len(recent) < limit:
        return None
    # The oldest of the last ``limit`` sends leaves the window one hour after it went out.
    return recent[-1] + dt.timedelta(hours=1)


def earlier_message_waiting(message: Message, now: dt.datetime) -> dt.datetime | None:
    """A non-urgent message waits for older non-urgent ones to the same phone, so they arrive in order."""
    if message.urgent:
        return None
    older = (
        Message.objects.filter(
            phone=message.phone,
            pk__lt=message.pk,
            urgent=False,
            status__in=SENDABLE_STATUSES,
            next_attempt_at__isnull=False,
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if older is None:
        return None
    # Not before the older one's next attempt; the re-dispatch orders by (due time, id), so when both
    # are due the older goes first.
    return max(older, now)


def send_not_before(message: Message, now: dt.datetime) -> tuple[dt.datetime | None, str]:
    """The first guard that holds ``message`` at ``now``: (until when, why), or (None, "")."""
    if not message.urgent and (until := quiet_hours_end(now)):
        return until, "quiet hours"
    if until := earlier_message_waiting(message, now):
        return until, "an earlier message to this phone goes first"
    if until := rate_limit_free_at(message.phone, now, exclude_id=message.pk):
        return until, "per-phone rate limit"
    return None, ""


HOLD_EARLIER = "an earlier message to this phone goes first"


def batch_not_before(messages: list[Message], now: dt.datetime) -> dict[int, tuple[dt.datetime | None, str]]:
    """``send_not_before`` for a claimed batch, in three queries instead of two or three per message.

    Returns {message id: (until when, why)} for the messages held; ``until`` is ``None`` when the
    message stays due as it is (a message of the same batch to the same phone goes first; the drain
    takes it in its next batch). The batch's order is the send order: one message per phone per
    batch, as a batch's messages go out at once and could overtake each other.
    """
    holds: dict[int, tuple[dt.datetime | None, str]] = {}
    if not messages:
        return holds
    quiet_end = quiet_hours_end(now)
    phones = {m.phone for m in messages}
    # Older non-urgent messages still pending per phone (the batch's own rows included: they are
    # still pending until the batch is claimed).
    pending: dict[str, list[tuple[int, dt.datetime]]] = {}
    for phone, pk, at in Message.objects.filter(
        phone__in=phones, urgent=False, status__in=SENDABLE_STATUSES, next_attempt_at__isnull=False
    ).values_list("phone", "pk", "next_attempt_at"):
        if at is not None:
            pending.setdefault(phone, []).append((pk, at))
    limit = settings.SMS_RATE_LIMIT_PER_HOUR
    recent: dict[str, list[tuple[int, dt.datetime]]] = {}
    if limit:
        for phone, pk, sent_at in Message.objects.filter(
            phone__in=phones, sent_at__gt=now - dt.timedelta(hours=1)
        ).values_list("phone", "pk", "sent_at"):
            if sent_at is not None:
                recent.setdefault(phone, []).append((pk, sent_at))
    taken: set[str] = set()
    for message in messages:
        if not message.urgent and quiet_end is not None:
            holds[message.pk] = (quiet_end, "quiet hours")
            continue
        if message.phone in taken:
            holds[message.pk] = (None, HOLD_EARLIER)
            continue
        if not message.urgent:
            older = [at for pk, at in pending.get(message.phone, []) if pk < message.pk]
            if older:
                until = max(min(older), now)
                holds[message.pk] = (until if until > now else None, HOLD_EARLIER)
                continue
        if limit:
            sends = sorted((at for pk, at in recent.get(message.phone, []) if pk != message.pk), reverse=True)
            if len(sends) >= limit:
                holds[message.pk] = (sends[limit - 1] + dt.timedelta(hours=1), "per-phone rate limit")
                continue
        taken.add(message.phone)
    return holds
