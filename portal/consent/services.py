"""Q-12, X-8: consent is the person's own act.

The person (or their legal representative) gives it in their portal session (``consent_give`` with
channel ``portal``), or through an integrator by a one-time code: the integrator asks the portal to
send the code to the registered phone of the person who may consent (``consent_code_request``),
the person tells it to the integrator's staff or types it into the integrator's system, and the
integrator submits it (``consent_code_confirm``). An integrator can never record a consent on its
own word.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from portal import messaging
from portal.codes.services import code_check, code_for_update, code_issue
from portal.consent.models import Consent, ConsentCode
from portal.errors import ApplicationError, ConflictError, ErrorCode, ForbiddenError, NotFoundError
from portal.people.models import Person
from portal.people.selectors import person_can_act_for

MSG_NOT_REPRESENTATIVE = _("Only the person or their legal representative can give or withdraw this consent.")
MSG_NO_CONSENT = _("Consent to the processing of personal data is needed first.")
CONSENT_REQUIRED = ErrorCode("consent_required", MSG_NO_CONSENT)
MSG_NO_PHONE = _("This person has no registered mobile phone to send a code to.")
MSG_ALREADY_LIVE = _("This consent has already been given and is in force.")
MSG_TOO_MANY_CODES = _("Too many consent codes were requested for this person. Try again in an hour.")
MSG_CODE_UNKNOWN = _("No such consent code request.")
MSG_CODE_EXPIRED = _("The code has expired or was already used. Request a new code.")
MSG_CODE_WRONG = _("The code is wrong. Attempts left: %(left)s.")
# What the consent is for, per scope, as recorded with a consent given by code.
PURPOSES = {
    Consent.Scope.PERSONAL_DATA: _("processing of personal data for the MSE service: booking and the examination"),
}

# The SMS template of the code (seeded by notifications/migrations/0005_consent_code_template.py).
CONSENT_CODE_TEMPLATE = "consent_code"
CONSENT_CODE_TTL = dt.timedelta(minutes=10)
# Wrong codes accepted per code before it is burnt, and codes sent per person per hour.
CONSENT_CODE_MAX_ATTEMPTS = 5
CONSENT_CODES_PER_HOUR = 3


class RateLimitedError(ApplicationError):
    status = status.HTTP_429_TOO_MANY_REQUESTS


def consent_give(
    *, subject: Person, given_by: Person, scope: str, purpose: str, channel: str, integrator=None
) -> Consent:
    """Record consent (Q-12). Giving a consent that is already live returns the live one."""
    if not person_can_act_for(actor=given_by, subject=subject):
        raise ForbiddenError(MSG_NOT_REPRESENTATIVE, code="not_representative", field="subject")
    live = Consent.objects.filter(subject=subject, scope=scope, withdrawn_at__isnull=True).first()
    if live is not None:
        return live
    try:
        with transaction.atomic():
            return Consent.objects.create(
                subject=subject,
                given_by=given_by,
                scope=scope,
                purpose=purpose,
                channel=channel,
                integrator=integrator,
                given_at=timezone.now(),
            )
    except IntegrityError:  # a concurrent give won the race: the live one is the answer
        return Consent.objects.get(subject=subject, scope=scope, withdrawn_at__isnull=True)


@transaction.atomic
def consent_withdraw(*, subject: Person, withdrawn_by: Person, scope: str, channel: str) -> Consent | None:
    if not person_can_act_for(actor=withdrawn_by, subject=subject):
        raise ForbiddenError(MSG_NOT_REPRESENTATIVE, code="not_representative", field="subject")
    live = Consent.objects.select_for_update().filter(subject=subject, scope=scope, withdrawn_at__isnull=True).first()
    if live is None:
        return None
    live.withdrawn_at = timezone.now()
    live.withdrawn_channel = channel
    live.save(update_fields=["withdrawn_at", "withdrawn_channel", "updated_at"])
    return live


def consent_is_live(*, subject: Person, scope: str) -> bool:
    return Consent.objects.filter(subject=subject, scope=scope, withdrawn_at__isnull=True).exists()


def consent_live_exists(*, subject: Any, scope: str = Consent.Scope.PERSONAL_DATA) -> Exists:
    """``consent_is_live`` as an expression (``subject`` may be an ``OuterRef``), so a caller reads
    it in the query it makes anyway."""
    return Exists(Consent.objects.filter(subject=subject, scope=scope, withdrawn_at__isnull=True))


def consent_require(*, subject: Person, scope: str = Consent.Scope.PERSONAL_DATA, live: bool | None = None) -> None:
    """Refuse ``consent_required`` unless a consent is live; ``live``: the caller read it already."""
    if not (consent_is_live(subject=subject, scope=scope) if live is None else live):
        raise ApplicationError(CONSENT_REQUIRED, field="consent")


@transaction.atomic
def consent_code_request(
    *,
    integrator,
    given_by: Person,
    subject: Person | None = None,
    scope: str = Consent.Scope.PERSONAL_DATA,
    now: dt.datetime | None = None,
) -> ConsentCode:
    """X-8: send a one-time code to ``given_by``'s registered phone so that they can consent for
    ``subject`` (themselves, or a ward) through ``integrator``.

    At most ``CONSENT_CODES_PER_HOUR`` codes an hour go to one phone or concern one subject (429).
    The caller checks that the integrator may act for ``given_by`` (X-8).
    """
    now = now or timezone.now()
    subject = subject or given_by
    if not person_can_act_for(actor=given_by, subject=subject, day=timezone.localdate(now)):
        raise ForbiddenError(MSG_NOT_REPRESENTATIVE, code="not_representative", field="referral_id")
    if consent_is_live(subject=subject, scope=scope):
        raise ConflictError(MSG_ALREADY_LIVE, code="consent_already_given", field="consent")
    if not given_by.phone:
        raise ApplicationError(MSG_NO_PHONE, code="phone_missing", field="citizen_iin")
    # Serialise the count per phone owner, so two requests at once cannot both pass the limit.
    Person.objects.select_for_update().filter(pk=given_by.pk).first()
    since = now - dt.timedelta(hours=1)
    recent = (
        ConsentCode.objects.filter(created_at__gte=since).filter(given_by=given_by).count()
        + ConsentCode.objects.filter(created_at__gte=since, subject=subject).exclude(given_by=given_by).count()
    )
    if recent >= CONSENT_CODES_PER_HOUR:
        raise RateLimitedError(MSG_TOO_MANY_CODES, code="consent_code_rate_limited", field="citizen_iin")
    row = ConsentCode(subject=subject, given_by=given_by, integrator=integrator, scope=scope)
    code = code_issue(row, ttl=CONSENT_CODE_TTL, now=now)
    row.save()
    message = messaging.notify(
        recipient=given_by,
        template=CONSENT_CODE_TEMPLATE,
        context={"code": code, "minutes": int(CONSENT_CODE_TTL.total_seconds() // 60), "integrator": integrator.name},
        dedupe_key=f"consent-code:{row.pk}",
        urgent=True,
        subject=subject,
        integrator=integrator,
    )
    # The SMS's public id, so the integrator can follow its delivery (notifications API).
    row.message_id = getattr(message, "public_id", None)
    return row


def consent_code_confirm(
    *, integrator, given_by: Person, code_id, code: str, now: dt.datetime | None = None
) -> Consent:
    """X-8: the code the person received; right, it records their consent with channel ``sms_code``
    and the integrator. ``CONSENT_CODE_MAX_ATTEMPTS`` wrong codes burn it."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        row = code_for_update(
            ConsentCode.objects.select_related("subject", "given_by").filter(
                public_id=code_id, integrator=integrator, given_by=given_by
            )
        )
        if row is None:
            raise NotFoundError(MSG_CODE_UNKNOWN, code="consent_code_not_found", field="id")
        checked = code_check(row, code, max_attempts=CONSENT_CODE_MAX_ATTEMPTS, now=now)
        if checked.expired:
            raise ApplicationError(MSG_CODE_EXPIRED, code="code_expired", field="code")
        if checked.accepted:
            consent = consent_give(
                subject=row.subject,
                given_by=row.given_by,
                scope=row.scope,
                purpose=str(PURPOSES.get(row.scope, row.get_scope_display())),
                channel=Consent.Channel.SMS_CODE,
                integrator=integrator,
            )
            row.consent = consent
            row.save(update_fields=["consent", "updated_at"])
            return consent
    # Raised after the block commits, so the wrong attempt counts (the last one burns the code).
    raise ApplicationError(MSG_CODE_WRONG % {"left": checked.left}, code="code_wrong", field="code")
