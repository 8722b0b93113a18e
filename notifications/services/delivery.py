"""Sending outbox messages through the backend, and following their status afterwards.

A send attempt is three short steps, so no row lock is held while the gateway is called:

1. lock the row; if it is due and sendable, mark it ``sending`` (attempts + 1) and commit;
2. call the backend (after asking the gateway whether it already has the message, when the last
   attempt's outcome is unknown);
3. lock the row again and record the outcome: ``sent``/``delivered``, or a failure with the time
   of the next attempt (exponential backoff) or none (permanent).

A second run of the same task finds the row ``sending`` or ``sent`` and does nothing: one SMS per
message, however often the task runs.

The beat drains what waits in batches (``messages_send_due``, run by ``messages_drain``): the same
three steps for up to ``SMS_SEND_BATCH`` messages at once. Step 1 claims the due rows with
``SELECT ... FOR UPDATE SKIP LOCKED`` (two drainers never take one row, and never wait for each
other) and marks them ``sending`` in one statement; step 2 calls the gateway for them from
``SMS_SEND_THREADS`` threads over the process's pooled keep-alive connections, with no lock and no
database work; step 3 writes every outcome in one statement (and their events in another). The
guards, the expiry, the guardianship check and the ask-first rule are the same as for one message.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
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
from notifications.models import SENDABLE_STATUSES, Message, MessageEvent
from notifications.services.transitions import is_settled, transition
from portal.bulk import bulk_update_fields
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


def _locked(message_id: int) -> Message:
    message = locks.message_for_update(message_id)
    if message is None:  # deleted while its send was under way (only staff's cleanup can do that)
        raise Message.DoesNotExist(f"message {message_id} is gone")
    return message


def _apply_outcome(
    message: Message,
    *,
    now: dt.datetime,
    result: SendResult | None = None,
    error: SendError | None = None,
    events: list[MessageEvent] | None = None,
) -> list[str]:
    """Step 3 on a locked row: the outcome of the gateway call, in memory; returns the changed fields."""
    if result is not None:
        message.gateway_id = result.gateway_id
        extra = ["gateway_id"]
        if result.segments:
            message.segments = max(message.segments, result.segments)
            extra.append("segments")
        if is_settled(message.status):
            # The delivery callback overtook our own bookkeeping: keep its final status.
            message.sent_at = message.sent_at or now
            message.updated_at = now
            return [*extra, "sent_at", "updated_at"]
        fields = transition(message, S.SENT, at=now, events=events)
        if result.delivered:
            fields += transition(message, S.DELIVERED, at=now, events=events)
        message.reason, message.error_code = "", ""
        message.updated_at = now
        return [*fields, *extra, "reason", "error_code"]
    assert error is not None
    message.reason, message.error_code = error.reason[:255], error.code[:32]
    if isinstance(error, PermanentSendError):
        status, message.next_attempt_at = S.PERMANENT_FAILURE, None
    else:
        status = S.TEMPORARY_FAILURE if isinstance(error, TemporarySendError) else S.TECHNICAL_FAILURE
        message.next_attempt_at = now + _backoff(message.attempts)
    fields = transition(message, status, at=now, detail=f"{error.code} {error.reason}", events=events)
    message.updated_at = now
    log = logger.warning if status != S.PERMANENT_FAILURE else logger.error
    log("sms %s %s: %s (to=%s)", message.pk, status, error.reason, mask_phone(message.phone))
    return [*fields, "reason", "error_code", "next_attempt_at"]


def _record(message_id: int, *, result: SendResult | None = None, error: SendError | None = None) -> Message:
    """Step 3: write the outcome of the gateway call."""
    now = timezone.now()
    with transaction.atomic():
        message = _locked(message_id)
        fields = _apply_outcome(message, now=now, result=result, error=error)
        message.save(update_fields=fields)
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
        failed = _record(message_id, error=exc)
        return SendOutcome(message_id, True, failed.status, failed.next_attempt_at)
    claim = _claim(message_id, now, backend)
    message = claim.message
    if message is None:
        return SendOutcome(message_id, False, "", claim.not_before)
    if claim.ask_first:
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


# --- the batch path: the beat's drain ------------------------------------------------------------


@dataclass(frozen=True)
class BatchOutcome:
    attempted: int  # claimed and tried at the gateway (or given up at once: backend not configured)
    sent: int  # accepted by the gateway (or found there when asked first)
    held: int  # left for later by a guard (quiet hours, order per phone, rate limit)
    finalised: int  # expired, or the guardianship ended: not sent, final


@dataclass(frozen=True)
class _Attempt:
    result: SendResult | None = None
    error: SendError | None = None
    known: GatewayStatus | None = None  # asked first: the gateway already has it


# Every field step 1 or step 3 may change: the batch writes them all in one UPDATE (the values of
# the fields a row did not change are the ones just read under its lock).
_CLAIM_FIELDS = ["status", "updated_at", "sending_at", "failed_at", "attempts", "backend", "next_attempt_at"]
_CLAIM_FIELDS += ["reason", "error_code"]
_RECORD_FIELDS = ["status", "updated_at", "sent_at", "delivered_at", "failed_at", "gateway_id", "segments"]
_RECORD_FIELDS += ["reason", "error_code", "next_attempt_at"]


def _guardianships_ended(messages: list[Message], now: dt.datetime) -> set[int]:
    """The ids of the batch's messages about a ward whose recipient is no longer the representative."""
    about_ward = [
        m
        for m in messages
        if m.subject_id is not None and m.recipient_id is not None and m.subject_id != m.recipient_id
    ]
    if not about_ward:
        return set()
    in_force = set(
        active_guardianships(timezone.localdate(now))
        .filter(
            representative_id__in={m.recipient_id for m in about_ward}, ward_id__in={m.subject_id for m in about_ward}
        )
        .values_list("representative_id", "ward_id")
    )
    return {m.pk for m in about_ward if (m.recipient_id, m.subject_id) not in in_force}


def _claim_batch(*, due_by: dt.datetime, limit: int, backend: Backend) -> tuple[list[_Claim], int, int]:
    """Step 1 for a batch: claim up to ``limit`` due rows no one else holds; returns the claims (each
    with its message marked ``sending``), how many a guard held and how many became final."""
    now = timezone.now()
    events: list[MessageEvent] = []
    with transaction.atomic():
        rows = locks.due_messages_skip_locked(now=due_by, limit=limit)
        if not rows:
            return [], 0, 0
        ended = _guardianships_ended(rows, now)
        changed: list[Message] = []
        candidates: list[Message] = []
        for message in rows:
            if _expired(message, now):
                message.next_attempt_at = None
                message.reason = f"expired: not sent within {settings.SMS_MESSAGE_TTL_HOURS} hours"[:255]
                status = S.TECHNICAL_FAILURE if message.status == S.CREATED else message.status
                transition(message, status, at=now, detail=message.reason, events=events)
                logger.error("sms %s expired unsent (to=%s)", message.pk, mask_phone(message.phone))
            elif message.pk in ended:
                message.next_attempt_at = None
                message.reason, message.error_code = REASON_GUARDIANSHIP_ENDED, "guardianship_ended"
                transition(message, S.PERMANENT_FAILURE, at=now, detail=message.reason, events=events)
                logger.warning("sms %s not sent: %s", message.pk, message.reason)
            else:
                candidates.append(message)
                continue
            message.updated_at = now
            changed.append(message)
        finalised = len(changed)
        holds = guards.batch_not_before(candidates, now)
        claims: list[_Claim] = []
        held = 0
        for message in candidates:
            if message.pk in holds:
                held += 1
                until, why = holds[message.pk]
                if until is not None:  # else it stays due as it is: the next batch takes it
                    message.next_attempt_at, message.updated_at = until, now
                    changed.append(message)
                    logger.info("sms %s held until %s: %s", message.pk, until.isoformat(), why)
                continue
            ask_first = (
                backend.can_poll
                and message.backend == backend.name
                and message.status == S.TECHNICAL_FAILURE
                and outcome_unknown(message.error_code)
            )
            message.attempts += 1
            message.backend = backend.name
            message.next_attempt_at = None
            message.updated_at = now
            transition(message, S.SENDING, at=now, detail=f"attempt {message.attempts}", events=events)
            changed.append(message)
            claims.append(_Claim(message=message, ask_first=ask_first))
        if changed:
            bulk_update_fields(changed, _CLAIM_FIELDS)
        MessageEvent.objects.bulk_create(events)
    return claims, held, finalised


def _attempt(backend: Backend, claim: _Claim) -> _Attempt:
    """Step 2 for one claimed message: no database, no lock; safe to run in a thread."""
    message = claim.message
    assert message is not None
    if claim.ask_first:
        try:
            known = backend.status(message)
        except SendError as exc:
            # We cannot tell whether the gateway has it: sending again could send it twice.
            return _Attempt(error=TechnicalSendError(exc.reason, code="uncertain"))
        if known.found:
            return _Attempt(result=SendResult(gateway_id=message.gateway_id or str(message.pk)), known=known)
    try:
        return _Attempt(result=backend.send(message))
    except SendError as exc:
        return _Attempt(error=exc)
    except Exception as exc:  # a backend bug must not lose the batch's other outcomes
        logger.exception("sms %s: the backend failed", message.pk)
        return _Attempt(error=TechnicalSendError(f"backend error {type(exc).__name__}", code="interrupted"))


def _attempt_all(backend: Backend, claims: list[_Claim]) -> dict[int, _Attempt]:
    threads = min(settings.SMS_SEND_THREADS, len(claims))
    ids = [claim.message.pk for claim in claims if claim.message is not None]
    if threads <= 1:
        return {pk: _attempt(backend, claim) for pk, claim in zip(ids, claims, strict=True)}
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sms-send") as pool:
        return dict(zip(ids, pool.map(lambda claim: _attempt(backend, claim), claims), strict=True))


def _record_batch(attempts: dict[int, _Attempt]) -> list[Message]:
    """Step 3 for a batch: lock its rows (id order) and write every outcome in one UPDATE."""
    now = timezone.now()
    events: list[MessageEvent] = []
    with transaction.atomic():
        rows = locks.messages_for_update(list(attempts))
        for message in rows:
            attempt = attempts[message.pk]
            _apply_outcome(message, now=now, result=attempt.result, error=attempt.error, events=events)
        bulk_update_fields(rows, _RECORD_FIELDS)
        MessageEvent.objects.bulk_create(events)
    return rows


def messages_send_due(
    *, due_by: dt.datetime | None = None, limit: int | None = None, backend: Backend | None = None
) -> BatchOutcome:
    """Send one batch of the messages due by ``due_by`` (now): claim, send at once, record.

    Safe to run in any number of processes at once, next to the one-message task: a row is claimed
    by one of them only (``SKIP LOCKED``, then its status), so nothing is sent twice.
    """
    config_error: TechnicalSendError | None = None
    if backend is None:
        try:
            backend = backend_get()
        except TechnicalSendError as exc:  # not configured: the claimed messages fail and wait
            backend, config_error = Backend(), exc
    claims, held, finalised = _claim_batch(
        due_by=due_by or timezone.now(), limit=limit or settings.SMS_SEND_BATCH, backend=backend
    )
    if not claims:
        return BatchOutcome(0, 0, held, finalised)
    if config_error is not None:
        attempts = {claim.message.pk: _Attempt(error=config_error) for claim in claims if claim.message is not None}
    else:
        attempts = _attempt_all(backend, claims)
    rows = _record_batch(attempts)
    for message in rows:
        known = attempts[message.pk].known
        if known is not None:  # the gateway had it: its own status as well
            message_status_apply(message=message, reported=known)
    sent = sum(1 for a in attempts.values() if a.result is not None)
    return BatchOutcome(len(attempts), sent, held, finalised)


def messages_drain(*, seconds: float | None = None, limit: int | None = None) -> int:
    """Send batch after batch of what was due when the drain began, until none is left (or
    ``seconds`` have passed); returns how many messages were tried.

    Only what was due at the start: a message that fails now and is due again at once (no backoff)
    waits for the next drain instead of being hammered in a loop.
    """
    started = timezone.now()
    deadline = time.monotonic() + (seconds if seconds is not None else settings.SMS_DRAIN_SECONDS)
    attempted = 0
    while time.monotonic() < deadline:
        outcome = messages_send_due(due_by=started, limit=limit)
        attempted += outcome.attempted
        if outcome.attempted == 0:
            break
    return attempted


def messages_dispatch_due(*, limit: int | None = None) -> int:
    """The beat's safety net: drain every message left due (broker was down, worker killed, backoff
    over); returns how many were found due.

    A message stuck in ``sending`` longer than ``SMS_SENDING_STALE_SECONDS`` lost its worker: it
    becomes a technical failure whose outcome is unknown, so its next attempt asks the gateway first.
    The rest is published as drain tasks (``messages_drain``), one per ``SMS_SEND_BATCH`` due messages
    up to ``SMS_DRAIN_TASKS``, which send in batches, in the order the messages became due, then by id.
    """
    from notifications.services.outbox import messages_drain_enqueue

    now = timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.SMS_SENDING_STALE_SECONDS)
    with transaction.atomic():
        events: list[MessageEvent] = []
        stale = list(locks.stale_sending_skip_locked(stale_before=stale_before))
        for message in stale:
            message.reason, message.error_code, message.next_attempt_at = (
                "worker lost during sending",
                "interrupted",
                now,
            )
            message.updated_at = now
            transition(message, S.TECHNICAL_FAILURE, at=now, detail=message.reason, events=events)
        if stale:
            bulk_update_fields(stale, ["status", "updated_at", "failed_at", "reason", "error_code", "next_attempt_at"])
            MessageEvent.objects.bulk_create(events)
    batch = max(1, settings.SMS_SEND_BATCH)
    cap = limit or max(settings.SMS_REDISPATCH_BATCH, batch * settings.SMS_DRAIN_TASKS)
    due_before = now - dt.timedelta(seconds=settings.SMS_REDISPATCH_GRACE_SECONDS)
    due = Message.objects.filter(status__in=SENDABLE_STATUSES, next_attempt_at__lte=due_before).values("id")[:cap]
    found = len(due)
    for _ in range(min(math.ceil(found / batch), max(1, settings.SMS_DRAIN_TASKS))):
        if not messages_drain_enqueue():
            break  # the broker is down: the rest waits for the next run
    return found


@transaction.atomic
def message_status_apply(*, message: Message, reported: GatewayStatus) -> Message:
    """Apply a status the gateway reported (callback or poll); never moves a settled message back."""
    locked = locks.message_for_update(message.pk)
    if locked is None:
        return message
    message = locked
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
