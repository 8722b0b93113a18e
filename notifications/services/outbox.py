"""The transactional outbox: ``notify`` writes the message in the caller's transaction.

The row is dispatched after commit by a Celery task; if the broker is down at that moment the row
stays due, and the beat re-dispatch (``messages_dispatch_due``) sends it later. The unique
``dedupe_key`` makes a repeated call return the first message instead of writing a second one.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerError

from notifications.masking import mask_phone
from notifications.models import LANGUAGES, Message
from notifications.rendering import render, sms_encoding_and_segments
from notifications.selectors import template_by_key
from notifications.services.transitions import transition
from portal.errors import ApplicationError
from portal.validators import normalize_phone

logger = logging.getLogger(__name__)

MSG_TEMPLATE_UNKNOWN = _("Unknown SMS template: %(key)s.")
MSG_PLACEHOLDER_MISSING = _("The SMS template %(key)s needs values for: %(names)s.")
MSG_RESEND_NO_PHONE = _("The recipient has no valid phone number to resend to.")
REASON_PHONE_INVALID = "invalid phone number"


def _recipient_phone_and_language(recipient, language: str | None) -> tuple[object | None, str, str]:
    from portal.people.models import Person

    if isinstance(recipient, Person):
        return recipient, recipient.phone or "", language or recipient.preferred_language
    return None, str(recipient or ""), language or "ru"


def notify(
    *,
    recipient,
    template: str,
    context: dict,
    dedupe_key: str,
    urgent: bool = False,
    department=None,
    language: str | None = None,
    subject=None,
    integrator=None,
    new_key: bool = False,
) -> Message:
    """Queue the SMS ``template`` for ``recipient`` (a Person, or a phone string); call it inside the
    transaction of the change that causes it. A repeated ``dedupe_key`` returns the first message.

    An unknown template or a missing placeholder is refused (``ApplicationError``). An invalid phone
    does not refuse: the message is stored as a permanent failure with the reason, so the caller's
    change still commits and staff see the failure in the message log.

    ``subject`` is the person the message is about when ``recipient`` is their legal representative
    (by default the recipient): such a message is sent only while the guardianship lasts.
    ``integrator`` is the integrator whose request caused it (it may read its status).
    ``new_key``: the caller vouches that ``dedupe_key`` names a row its own transaction has just
    created (so no earlier call can have used it): the insert goes without the savepoint that
    catches a repeat (two statements fewer). A repeat would then fail the caller's transaction.
    """
    tpl = template_by_key(template)
    if tpl is None:
        raise ApplicationError(MSG_TEMPLATE_UNKNOWN % {"key": template}, code="template_unknown", field="template")
    missing = sorted(set(tpl.placeholders) - set(context or {}))
    if missing:
        raise ApplicationError(
            MSG_PLACEHOLDER_MISSING % {"key": template, "names": ", ".join(missing)},
            code="placeholder_missing",
            field="context",
            extra={"missing": missing},
        )
    person, raw_phone, language = _recipient_phone_and_language(recipient, language)
    if language not in LANGUAGES:
        language = "ru"
    text = render(tpl.text_for(language), context, language)
    encoding, segments = sms_encoding_and_segments(text)
    now = timezone.now()
    try:
        phone, status, reason = normalize_phone(raw_phone), Message.Status.CREATED, ""
    except ValidationError:
        phone, status, reason = raw_phone[:32], Message.Status.PERMANENT_FAILURE, REASON_PHONE_INVALID
    message = Message(
        template=tpl,
        template_version=tpl.version,
        dedupe_key=dedupe_key,
        recipient=person,
        subject=subject if subject is not None else person,
        integrator=integrator,
        phone=phone,
        language=language,
        text=text,
        encoding=encoding,
        segments=segments,
        urgent=urgent or tpl.urgent,
        department=department,
        status=status,
        reason=reason,
        error_code="phone_invalid" if reason else "",
        next_attempt_at=now if status == Message.Status.CREATED else None,
        failed_at=now if reason else None,
    )
    if new_key:
        message.save(force_insert=True)
    else:
        try:
            # The unique dedupe_key decides, in one round trip: the usual first call inserts; a repeat
            # (or a concurrent twin that committed first) fails here and gets the first message. The
            # savepoint keeps the caller's transaction usable after that failure.
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            return Message.objects.get(dedupe_key=dedupe_key)
    transition(message, Message.Status.CREATED, at=now)
    if reason:
        transition(message, status, at=now, detail=reason)
        logger.warning("sms %s not sent: %s (to=%s)", message.pk, reason, mask_phone(phone))
    else:
        message_enqueue_on_commit(message.pk)
    return message


def message_enqueue_on_commit(message_id: int) -> None:
    # robust: whatever the publish raises, the caller's change is committed and its request answers;
    # the row stays due for the beat re-dispatch.
    transaction.on_commit(lambda: message_enqueue(message_id), robust=True)


def message_enqueue(message_id: int) -> bool:
    """Hand the message to Celery; a broker outage leaves it due for the beat re-dispatch."""
    from notifications.tasks import message_send_task

    try:
        # No publish retries: a request must not hang on a dead broker; the outbox row is the retry.
        message_send_task.apply_async(args=[message_id], retry=False)
    except (BrokerError, OSError, *_broker_errors(message_send_task.app)) as exc:
        logger.warning("sms %s left for re-dispatch: broker unavailable (%s)", message_id, type(exc).__name__)
        return False
    return True


def messages_drain_enqueue() -> bool:
    """Publish one drain task (the beat's batch sender); a broker outage leaves the rows due."""
    from notifications.tasks import messages_drain_task

    try:
        messages_drain_task.apply_async(retry=False)
    except (BrokerError, OSError, *_broker_errors(messages_drain_task.app)) as exc:
        logger.warning("sms drain not published: broker unavailable (%s)", type(exc).__name__)
        return False
    return True


def _broker_errors(app) -> tuple[type[BaseException], ...]:
    """The transport's own connection and channel errors (e.g. Redis's), which kombu does not wrap
    when the connection breaks during the publish itself."""
    conn = app.connection_for_write()
    try:
        return tuple(conn.connection_errors) + tuple(conn.channel_errors)
    finally:
        conn.release()


@transaction.atomic
def message_resend(*, message: Message) -> Message:
    """Send ``message``'s text again as a new message (the original and its history stay).

    The phone is taken afresh from the recipient, so a number staff corrected is used.
    """
    raw_phone = message.recipient.phone if message.recipient_id and message.recipient.phone else message.phone
    try:
        phone = normalize_phone(raw_phone)
    except ValidationError:
        raise ApplicationError(MSG_RESEND_NO_PHONE, code="phone_invalid", field="phone") from None
    number = Message.objects.filter(resend_of=message).count() + 1
    now = timezone.now()
    copy = Message.objects.create(
        template=message.template,
        template_version=message.template_version,
        dedupe_key=f"{message.dedupe_key}:resend:{number}"[:200],
        recipient=message.recipient,
        subject=message.subject,
        integrator=message.integrator,
        phone=phone,
        language=message.language,
        text=message.text,
        encoding=message.encoding,
        segments=message.segments,
        urgent=message.urgent,
        department=message.department,
        status=Message.Status.CREATED,
        next_attempt_at=now,
        resend_of=message,
    )
    transition(copy, Message.Status.CREATED, at=now, detail=f"resend of #{message.pk}")
    message_enqueue_on_commit(copy.pk)
    return copy
