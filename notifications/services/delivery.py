"""Sending outbox messages through the backend, and following their status afterwards.

A send attempt is three short steps, so no row lock is held while the gateway is called:

1. lock the row; if it is due and sendable, mark it ``sending`` (attempts + 1) and commit;
2. call the backend (after asking the gateway whether it already has the message, when the last
   attempt's outcome is unknown);
3. lock the row again and record the outcome: ``sent``/``delivered``, or a failure with the time
   of the next attempt (exponential backoff) or none (permanent).

A second run of the same task finds the row ``sending`` or ``sent`` and does nothing: one SMS per
message, however often the task runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications import guards, locks
from notifications.backends import (
    Backend,
    GatewayStatus,
    PermanentSendError,
    TechnicalSendError,
    TemporarySendError,
    backend_get,
)
from notifications.backends.base import SendError, SendResult, outcome_unknown
from notifications.masking import mask_phone
from notifications.models import SENDABLE_STATUSES, Message
from notifications.services.transitions import is_settled, transition
from portal.people.selectors import active_guardianships

logger = logging.getLogger(__name__)

S = Message.Status


@dataclass(frozen=True)
class SendOutcome:
    message_id: int
    attempted: bool
    status: str
    retry_at: dt.datetime | None


def _backoff(attempts: int) -> dt.timedelta:
    base = settings.SMS_RETRY_BACKOFF_SECONDS
    return dt.timedelta(seconds=min(settings.SMS_RETRY_BACKOFF_MAX_SECONDS, base * 2 ** max(0, attempts - 1)))


def _expired(message: Message, now: dt.datetime) -> bool:
    return now - message.created_at > dt.timedelta(hours=settings.SMS_MESSAGE_TTL_HOURS)


REASON_GUARDIANSHIP_ENDED = "the recipient is no longer the legal representative of the person concerned"


def _recipient_still_representative(message: Message, now: dt.datetime) -> bool:
    """A message about a ward goes to their representative only while the guardianship lasts."""
    if message.subject_id is None or message.recipient_id is None or message.subject_id == message.recipient_id:
        return True
    return (
        active_guardianships(timezone.localdate(now))
        .filter(representative_id=message.recipient_id, ward_id=message.subject_id)
        .exists()
    )


@dataclass(frozen=True)
class _Claim:
    message: Message | None = None  # marked ``sending``: this run sends it
    ask_first: bool = False  # the last attempt's outcome is unknown: ask the gateway before sending
    not_before: dt.datetime | None = None  # not sent now, but due then (not yet due, or held)


def _claim(message_id: int, now: dt.datetime, backend: Backend) -> _Claim:
    """Step 1: mark the message ``sending`` if it is due and no guard holds it."""
    with transaction.atomic():
        message = locks.message_for_update(message_id)
        if message is None or message.status not in SENDABLE_STATUSES or message.next_attempt_at is None:
            return _Claim()
        if message.next_attempt_at > now:
            # Early (a retry's countdown, clocks apart): the caller re-schedules for the rest.
            return _Claim(not_before=message.next_attempt_at)
        if _expired(message, now):
            message.next_attempt_at = None
            message.reason = f"expired: not sent within {settings.SMS_MESSAGE_TTL_HOURS} hours"[:255]
            # Given up: a message never tried becomes a technical failure; a failing one keeps its
            # status. Either way final (no next attempt), for staff to see and resend.
            status = S.TECHNICAL_FAILURE if message.status == S.CREATED else message.status
            fields = transition(message, status, at=now, detail=message.reason)
            message.save(update_fields=[*fields, "next_attempt_at", "reason"])
            logger.error("sms %s expired unsent (to=%s)", message.pk, mask_phone(message.phone))
            return _Claim()
        if not _recipient_still_representative(message, now):
            # The guardianship ended after the message was written: the former representative must
            # not hear of the ward's affairs. Final, for staff to see.
            message.next_attempt_at = None
            message.reason = REASON_GUARDIANSHIP_ENDED
            message.error_code = "guardianship_ended"
            fields = transition(message, S.PERMANENT_FAILURE, at=now, detail=message.reason)
            message.save(update_fields=[*fields, "next_attempt_at", "reason", "error_code"])
            logger.warning("sms %s not sent: %s", message.pk, message.reason)
            return _Claim()
        until, why = guards.send_not_before(message, now)
        if until is not None:
            message.next_attempt_at = until
            message.save(update_fields=["next_attempt_at", "updated_at"])
            logger.info("sms %s held until %s: %s", message.pk, until.isoformat(), why)
            return _Claim(not_before=until)
        ask_first = (
            backend.can_poll
            and message.backend == backend.name
            and message.status == S.TECHNICAL_FAILURE
            and outcome_unknown(message.error_code)
        )
        message.attempts += 1
        message.backend = backend.name
        message.next_attempt_at = None
        fields = transition(message, S.SENDING, at=now, detail=f"attempt {message.attempts}")
        message.save(update_fields=[*fields, "attempts", "backend", "next_attempt_at"])
        return _Claim(message=message, ask_first=ask_first)


def _record(message_id: int, *, result: SendResult | None = None, error: SendError | None = None) -> Message:
    """Step 3: write the outcome of the gateway call."""
    now = timezone.now()
    with transaction.atomic():
        message = locks.message_for_update(message_id)
        extra = []
        if result is not None:
            message.gateway_id = result.gateway_id
            extra.append("gateway_id")
            if result.segments:
                message.segments = max(message.segments, result.segments)
                extra.append("segments")
            if is_settled(message.status):
                # The delivery callback overtook our own bookkeeping: keep its final status.
                message.sent_at = message.sent_at or now
                message.save(update_fields=[*extra, "sent_at", "updated_at"])
                return message
            fields = transition(message, S.SENT, at=now)
            if result.delivered:
                fields += transition(message, S.DELIVERED, at=now)
            message.reason, message.error_code = "", ""
            message.save(update_fields=[*fields, *extra, "reason", "error_code"])
            return message
        assert error is not None
        message.reason, message.error_code = error.reason[:255], error.code[:32]
        if isinstance(error, PermanentSendError):
            status, message.next_attempt_at = S.PERMANENT_FAILURE, None
        else:
            status = S.TEMPORARY_FAILURE if isinstance(error, TemporarySendError) else S.TECHNICAL_FAILURE
            message.next_attempt_at = now + _backoff(message.attempts)
        fields = transition(message, status, at=now, detail=f"{error.code} {error.reason}")
        message.save(update_fields=[*fields, "reason", "error_code", "next_attempt_at"])
        log = logger.warning if status != S.PERMANENT_FAILURE else logger.error
        log("sms %s %s: %s (to=%s)", message.pk, status, error.reason, mask_phone(message.phone))
        return message


def message_send(*, message_id: int, backend: Backend | None = None) -> SendOutcome:
    """Send one outbox message if it is due; safe to call any number of times, concurrently too.

    ``retry_at`` of the outcome is when to run again: after a failure, or when the message was not
    due yet or a guard holds it (the caller re-schedules; ``None``: nothing more for this run).
    """
    now = timezone.now()
    try:
        backend = backend or backend_get()
    except TechnicalSendError as exc:  # the backend is not configured: the message waits
        claim = _claim(message_id, now, Backend())
        if claim.message is None:
            return SendOutcome(message_id, False, "", claim.not_before)
        message = _record(message_id, error=exc)
        return SendOutcome(message_id, True, message.status, message.next_attempt_at)
    claim = _claim(message_id, now, backend)
    message, ask_first = claim.message, claim.ask_first
    if message is None:
        return SendOutcome(message_id, False, "", claim.not_before)
    if ask_first:
        try:
            known = backend.status(message)
        except SendError as exc:
            # We cannot tell whether the gateway has it: sending again could send it twice.
            message = _record(message_id, error=TechnicalSendError(exc.reason, code="uncertain"))
            return SendOutcome(message_id, True, message.status, message.next_attempt_at)
        if known.found:
            message = _record(message_id, result=SendResult(gateway_id=message.gateway_id or str(message.pk)))
            message_status_apply(message=message, reported=known)
            message.refresh_from_db()
            return SendOutcome(message_id, True, message.status, None)
    try:
        result = backend.send(message)
    except SendError as exc:
        message = _record(message_id, error=exc)
    else:
        message = _record(message_id, result=result)
    return SendOutcome(message_id, True, message.status, message.next_attempt_at)


def messages_dispatch_due(*, limit: int | None = None) -> list[int]:
    """The beat's safety net: re-dispatch every message left due (broker was down, worker killed).

    A message stuck in ``sending`` longer than ``SMS_SENDING_STALE_SECONDS`` lost its worker: it
    becomes a technical failure whose outcome is unknown, so its next attempt asks the gateway first.
    Messages go to the queue in the order they became due, then by id (the order they were written).
    """
    from notifications.services.outbox import message_enqueue

    now = timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.SMS_SENDING_STALE_SECONDS)
    with transaction.atomic():
        for message in locks.stale_sending_skip_locked(stale_before=stale_before):
            message.reason, message.error_code, message.next_attempt_at = (
                "worker lost during sending",
                "interrupted",
                now,
            )
            fields = transition(message, S.TECHNICAL_FAILURE, at=now, detail=message.reason)
            message.save(update_fields=[*fields, "reason", "error_code", "next_attempt_at"])
    due_before = now - dt.timedelta(seconds=settings.SMS_REDISPATCH_GRACE_SECONDS)
    ids = list(
        Message.objects.filter(status__in=SENDABLE_STATUSES, next_attempt_at__lte=due_before)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[: limit or settings.SMS_REDISPATCH_BATCH]
    )
    for message_id in ids:
        if not message_enqueue(message_id):
            break  # the broker is down: the rest waits for the next run
    return ids


@transaction.atomic
def message_status_apply(*, message: Message, reported: GatewayStatus) -> Message:
    """Apply a status the gateway reported (callback or poll); never moves a settled message back."""
    message = locks.message_for_update(message.pk)
    if not reported.status or is_settled(message.status) or reported.status == message.status:
        return message
    if message.status not in (S.SENT, S.SENDING) and reported.status == S.SENT:
        return message
    now = timezone.now()
    detail = f"gateway {reported.code} {reported.reason}".strip()
    fields = transition(message, reported.status, at=now, detail=detail)
    if reported.status == S.PERMANENT_FAILURE:
        message.reason, message.error_code, message.next_attempt_at = reported.reason[:255], reported.code[:32], None
        fields += ["reason", "error_code", "next_attempt_at"]
    message.save(update_fields=fields)
    return message


def messages_poll_statuses(*, limit: int | None = None) -> int:
    """Ask the gateway for the status of messages it accepted but has not reported on; returns how many."""
    try:
        backend = backend_get()
    except TechnicalSendError as exc:
        logger.warning("sms status poll skipped: %s", exc.reason)
        return 0
    if not backend.can_poll:
        return 0
    now = timezone.now()
    pending = Message.objects.filter(
        backend=backend.name,
        status=S.SENT,
        sent_at__lte=now - dt.timedelta(seconds=settings.SMS_STATUS_POLL_MIN_AGE_SECONDS),
        sent_at__gte=now - dt.timedelta(hours=settings.SMS_STATUS_POLL_MAX_AGE_HOURS),
    ).order_by("sent_at")[: limit or settings.SMS_STATUS_POLL_BATCH]
    polled = 0
    for message in pending:
        try:
            reported = backend.status(message)
        except SendError as exc:
            logger.warning("sms status poll stopped: %s", exc.reason)
            break
        message_status_apply(message=message, reported=reported)
        polled += 1
    return polled
