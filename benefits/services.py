"""Writes of the benefits app: the shape every programme goes through (item 1), the funeral payment's
filing (B-1..B-5) on it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Case,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, Greatest, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits import errors
from benefits.documents import FUNERAL as FUNERAL_DOCUMENTS
from benefits.documents import Uploads, documents_check, documents_store
from benefits.models import (
    Application,
    ApplicationCheck,
    ApplicationCode,
    CaseFile,
    Channel,
    ConfirmedBy,
    Decision,
    DecisionKind,
    JournalEntry,
    PaymentLine,
    PaymentList,
    ProactiveOffer,
    Programme,
    Stage,
)
from benefits.programmes import Outcome, funeral
from benefits.rates import RateMissing, amount_compute
from benefits.sms import BenefitSms
from portal.codes.services import code_check, code_for_update, code_issue
from portal.consent.services import (
    CONSENT_CODE_MAX_ATTEMPTS,
    CONSENT_CODE_TTL,
    CONSENT_CODES_PER_HOUR,
    RateLimitedError,
)
from portal.errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from portal.messaging import notify
from portal.people.models import Person
from portal.uploads import files_removed_on_error
from portal.validators import validate_bin, validate_iin
from portal.workcal.services import working_deadline

logger = logging.getLogger(__name__)

PROGRAMME_NAMES = {
    Programme.FUNERAL: {
        "kk": "жерлеуге арналған біржолғы төлем",
        "ru": "единовременная выплата на погребение",
        "en": "one-time funeral payment",
    },
    Programme.SURVIVOR: {
        "kk": "асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы",
        "ru": "государственное социальное пособие по случаю потери кормильца",
        "en": "state social benefit for loss of breadwinner",
    },
}


def value_validated(value: str, validator: Any, field: str) -> str:
    """``value`` stripped and checked by a Django ``validator``; its message becomes the field's error."""
    from django.core.exceptions import ValidationError

    value = (value or "").strip()
    try:
        validator(value)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code=exc.code or "invalid", field=field) from None
    return value


def decision_form(*, application: Application, outcome: Outcome) -> Decision:
    """Item 1 / B-4: the draft decision with its amount and how it was computed; a missing rate row
    makes it wait with the reason (item 2), never an amount from a guess."""
    try:
        if outcome.amount_on is None:
            raise RateMissing("date", "the application")
        computation = amount_compute(programme=application.programme, code=outcome.amount_case, on=outcome.amount_on)
    except RateMissing as missing:
        return Decision.objects.create(
            application=application,
            kind=DecisionKind.WAITING,
            ground_code=errors.RATE_MISSING.code,
            computation={"missing": {"what": missing.what, "when": missing.when}},
        )
    return Decision.objects.create(
        application=application,
        kind=DecisionKind.ASSIGNED,
        amount=computation.amount,
        computation=computation.explanation,
    )


def decision_retry_waiting(*, application: Application) -> Decision:
    """Once staff add the missing rate row, the waiting decision is formed again."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(application=application)
        if decision.kind != DecisionKind.WAITING:
            return decision
        data = application.case_file.data
        outcome = Outcome(amount_case=data["amount_case"], amount_on=dt.date.fromisoformat(data["amount_on"]))
        decision.delete()
        return decision_form(application=application, outcome=outcome)


def _message(application: Application, *, accepted: bool) -> None:
    person = application.applicant
    if person is None or not person.phone:
        return  # a legal entity or no phone: the result is in the cabinet and the receipt
    name = PROGRAMME_NAMES[Programme(application.programme)]
    if accepted:
        notify(
            recipient=person,
            template=BenefitSms.APPLICATION_ACCEPTED,
            context={"full_name": person.full_name, "benefit": name, "number": application.number},
            dedupe_key=f"benefit:{application.public_id}:accepted",
        )
    else:
        ground = errors.GROUNDS.get(application.refusal_code)
        notify(
            recipient=person,
            template=BenefitSms.APPLICATION_REFUSED,
            context={"full_name": person.full_name, "benefit": name, "reason": str(ground.message) if ground else ""},
            dedupe_key=f"benefit:{application.public_id}:refused",
        )


def _register(application: Application, outcome: Outcome, now: dt.datetime) -> None:
    application.stage = Stage.ACCEPTED
    application.registered_at = now
    application.decision_due_at = working_deadline(now, working_days=funeral.term_working_days(application.channel))
    application.save()
    application.number = f"F-{now.year}-{application.pk:06d}"
    application.save(update_fields=["number", "updated_at"])
    JournalEntry.objects.create(application=application, registered_at=now)
    CaseFile.objects.create(
        application=application,
        data={
            **outcome.case_file,
            "amount_case": outcome.amount_case,
            "amount_on": outcome.amount_on.isoformat() if outcome.amount_on else None,
        },
    )
    decision = decision_form(application=application, outcome=outcome)
    if decision.kind != DecisionKind.WAITING:
        application.stage = Stage.DECISION_DRAFT
        application.save(update_fields=["stage", "updated_at"])


def funeral_application_file(
    *,
    deceased_iin: str,
    channel: str,
    applicant: Person | None = None,
    applicant_iin: str = "",
    applicant_bin: str = "",
    applicant_name: str = "",
    confirmed_by: str,
    confirmation_signature: Any = None,
    filed_by_user: Any = None,
    filed_by_integrator: Any = None,
    presented_death_date: dt.date | None = None,
    presented_certificate: str = "",
    documents: Uploads | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """B-1..B-5: file a funeral payment application, check it (B-3), register it or refuse it.

    ``documents`` (``{kind: file}``, B-5) are the documents the applicant attaches where the state
    systems do not confirm them; a file refused by the upload checks raises naming its field before
    anything is saved. ``confirmation_signature`` is the verification of the applicant's signature
    when they confirmed it so (``confirmed_by="signature"``). Returns the application: accepted
    (journal entry, case file, draft decision, the documents) or not accepted with its ground (a
    document the systems do not confirm and nobody attached is named). A state system that does not
    answer raises (503-like "try later"): nothing is saved.
    """
    now = now or timezone.now()
    deceased_iin = value_validated(deceased_iin, validate_iin, "deceased_iin")
    if applicant is not None:
        applicant_iin = applicant.iin
        applicant_name = applicant_name or applicant.full_name
    if applicant_bin:
        applicant_bin = value_validated(applicant_bin, validate_bin, "applicant_bin")
    elif applicant_iin:
        applicant_iin = value_validated(applicant_iin, validate_iin, "applicant_iin")
    else:
        raise ApplicationError(errors.APPLICANT_MISSING, field="applicant_iin")
    if presented_death_date is not None and presented_death_date > timezone.localdate(now):
        raise ApplicationError(errors.DEATH_DATE_IN_FUTURE, field="death_date")

    checked = documents_check(documents, kinds=FUNERAL_DOCUMENTS)

    today = timezone.localdate(now)
    base = Application.objects.filter(programme=Programme.FUNERAL, subject_iin=deceased_iin)
    outcome = funeral.run_checks(
        deceased_iin=deceased_iin,
        today=today,
        already_filed=base.exclude(stage=Stage.NOT_ACCEPTED).exists(),
        already_assigned_here=Decision.objects.filter(
            application__in=base, kind=DecisionKind.ASSIGNED, approved_at__isnull=False
        ).exists(),
        presented_death_date=presented_death_date,
        presented_certificate=presented_certificate,
        applicant_iin=applicant_iin,
        applicant_bin=applicant_bin,
        applicant_signed_in=applicant is not None,
        uploaded=frozenset(checked),
    )
    fields = {
        "programme": Programme.FUNERAL,
        "channel": channel,
        "applicant": applicant,
        "applicant_iin": applicant_iin if not applicant_bin else "",
        "applicant_bin": applicant_bin,
        "applicant_name": applicant_name,
        "subject_iin": deceased_iin,
        "event_date": outcome.event_date,
        "confirmed_by": confirmed_by,
        "confirmation_signature": confirmation_signature,
        "filed_by_user": filed_by_user,
        "filed_by_integrator": filed_by_integrator,
        "submitted_at": now,
    }
    with files_removed_on_error() as store, transaction.atomic():
        application: Application | None = None
        if outcome.ground is None:
            try:
                with transaction.atomic():  # B-3 (3): the unique index decides between concurrent filings
                    application = Application.objects.create(stage=Stage.ACCEPTED, **fields)
                    _register(application, outcome, now)
            except IntegrityError:
                application = None
                outcome.checks = [c for c in outcome.checks if c.code != funeral.NOT_FILED]
                outcome.fail(funeral.NOT_FILED, errors.APPLICATION_ALREADY_FILED, source="portal")
        if application is None:
            ground = outcome.ground
            assert ground is not None
            application = Application.objects.create(stage=Stage.NOT_ACCEPTED, refusal_code=ground.code, **fields)
        ApplicationCheck.objects.bulk_create(
            ApplicationCheck(
                application=application, code=c.code, passed=c.passed, detail=c.detail[:300], source=c.source
            )
            for c in outcome.checks
        )
        documents_store(application=application, checked=checked, store=store, uploaded_by=filed_by_user)
        _message(application, accepted=application.stage != Stage.NOT_ACCEPTED)
    return application


# --- B-1: the portal channel, confirmed by a code sent to the registered mobile phone ---------------
# The same limits as the consent codes of ``portal.consent`` (time to live, wrong attempts, codes an hour).

MSG_NO_PHONE = gettext_lazy(
    "You have no registered mobile phone to send a code to: apply through the State Corporation."
)
MSG_TOO_MANY_CODES = gettext_lazy("Too many codes were requested. Try again in an hour.")
MSG_CODE_EXPIRED = gettext_lazy("The code has expired or was already used. Request a new code.")
MSG_CODE_WRONG = gettext_lazy("The code is wrong. Attempts left: %(left)s.")
MSG_CODE_UNKNOWN = gettext_lazy("No such code request.")


@transaction.atomic
def application_code_request(
    *, person: Person, deceased_iin: str, programme: str = Programme.FUNERAL, now: dt.datetime | None = None
) -> ApplicationCode:
    """B-1 (and the survivor benefit's portal channel): send a one-time code to the person's registered
    phone to confirm their portal application for ``programme`` concerning ``deceased_iin``."""
    now = now or timezone.now()
    deceased_iin = value_validated(deceased_iin, validate_iin, "deceased_iin")
    if not person.phone:
        raise ApplicationError(MSG_NO_PHONE, code="phone_missing", field="deceased_iin")
    Person.objects.select_for_update().filter(pk=person.pk).first()  # serialise the count per phone
    recent = ApplicationCode.objects.filter(person=person, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= CONSENT_CODES_PER_HOUR:
        raise RateLimitedError(MSG_TOO_MANY_CODES, code="code_rate_limited", field="deceased_iin")
    row = ApplicationCode(person=person, programme=programme, subject_iin=deceased_iin)
    code = code_issue(row, ttl=CONSENT_CODE_TTL, now=now)
    row.save()
    notify(
        recipient=person,
        template=BenefitSms.APPLICATION_CODE,
        context={
            "code": code,
            "minutes": int(CONSENT_CODE_TTL.total_seconds() // 60),
            "benefit": PROGRAMME_NAMES[Programme(programme)],
        },
        dedupe_key=f"benefit-code:{row.pk}",
        urgent=True,
    )
    return row


def application_code_use(
    *,
    person: Person,
    code_id: Any,
    code: str,
    programme: str,
    file: Callable[[ApplicationCode], Application],
    now: dt.datetime,
) -> Application:
    """The right code runs ``file(row)`` (the programme's filing, for ``row.subject_iin``) in the same
    transaction and marks the code used; a wrong one uses an attempt, and ``CONSENT_CODE_MAX_ATTEMPTS``
    wrong ones burn the code. A filing that raises (a refused file, a dependant without a right)
    saves nothing and leaves the code unused. A code sent for another programme is not found."""
    code = (code or "").strip()
    with transaction.atomic():
        row = code_for_update(ApplicationCode.objects.filter(public_id=code_id, person=person, programme=programme))
        if row is None:
            raise NotFoundError(MSG_CODE_UNKNOWN, code="code_not_found", field="code")
        checked = code_check(row, code, max_attempts=CONSENT_CODE_MAX_ATTEMPTS, now=now)
        if checked.expired:
            raise ApplicationError(MSG_CODE_EXPIRED, code="code_expired", field="code")
        if checked.accepted:
            application = file(row)
            row.application = application
            row.save(update_fields=["application", "updated_at"])
            return application
    # raised after the block commits, so the wrong attempt counts (the last one burns the code)
    raise ApplicationError(MSG_CODE_WRONG % {"left": checked.left}, code="code_wrong", field="code")


def _funeral_portal_filing(
    *,
    person: Person,
    confirmed_by: str,
    presented_death_date: dt.date | None,
    presented_certificate: str,
    documents: Uploads | None,
    now: dt.datetime,
) -> Callable[..., Application]:
    """The portal application's filing for a deceased's IIN, whichever way the person confirmed it."""

    def file(deceased_iin: str, signature: Any = None) -> Application:
        return funeral_application_file(
            deceased_iin=deceased_iin,
            channel=Channel.PORTAL,
            applicant=person,
            confirmed_by=confirmed_by,
            confirmation_signature=signature,
            presented_death_date=presented_death_date,
            presented_certificate=presented_certificate,
            documents=documents,
            now=now,
        )

    return file


def application_code_confirm(
    *,
    person: Person,
    code_id: Any,
    code: str,
    presented_death_date: dt.date | None = None,
    presented_certificate: str = "",
    documents: Uploads | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """B-1: the right code files the portal application (``confirmed_by="sms_code"``) with the
    documents attached (B-5); see ``application_code_use`` for wrong and burnt codes."""
    now = now or timezone.now()
    file = _funeral_portal_filing(
        person=person,
        confirmed_by=ConfirmedBy.SMS_CODE,
        presented_death_date=presented_death_date,
        presented_certificate=presented_certificate,
        documents=documents,
        now=now,
    )
    return application_code_use(
        person=person,
        code_id=code_id,
        code=code,
        programme=Programme.FUNERAL,
        file=lambda row: file(row.subject_iin),
        now=now,
    )


# --- B-1, B-13: the portal application confirmed by the applicant's electronic signature -----------
# The other way to confirm a portal application: the person signs the application's canonical content
# (built here, on the server) with their own certificate through the core's one verifier.

APPLICATION_SIGNATURE_PURPOSE = "benefit_application"
MSG_APPLICATION_NOT_SIGNED = gettext_lazy("Sign the application first: the signature field is empty.")


def _sha256(file: Any) -> str:
    """The sha256 of an attached file, read from its start and left at its start for the filing."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def application_signed_content(
    *,
    programme: str,
    deceased_iin: str,
    applicant_iin: str,
    signer_iin: str,
    on: dt.date,
    documents: Mapping[str, Any] | None = None,
    details: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The canonical text a person signs to confirm a portal application: the programme, the deceased's
    IIN, the applicant's and the signer's IIN (a legal representative signs for a ward), the date, the
    application's details and the sha256 of each document attached (sorted by field)."""
    lines = [
        f"MSE portal: benefit application; programme {programme}",
        f"deceased IIN {deceased_iin}",
        f"applicant IIN {applicant_iin}",
        f"signer IIN {signer_iin}",
        f"date {on.isoformat()}",
    ]
    lines += [f"{key}: {' '.join(str(value).split())}" for key, value in details]
    for field, file in sorted((documents or {}).items()):
        if file is not None:
            lines.append(f"document {field}: sha256 {_sha256(file)}")
    return ("\n".join(lines) + "\n").encode()


def funeral_signed_content(
    *,
    person: Person,
    deceased_iin: str,
    presented_death_date: dt.date | None = None,
    presented_certificate: str = "",
    documents: Uploads | None = None,
    on: dt.date | None = None,
) -> bytes:
    """B-1: the funeral payment's portal application as its applicant signs it."""
    return application_signed_content(
        programme=Programme.FUNERAL,
        deceased_iin=(deceased_iin or "").strip(),
        applicant_iin=person.iin,
        signer_iin=person.iin,
        on=on or timezone.localdate(),
        documents=documents,
        details=[
            ("date of death", presented_death_date.isoformat() if presented_death_date else "-"),
            ("death certificate number", presented_certificate.strip() or "-"),
        ],
    )


def application_signature_use(
    *, person: Person, content: bytes, cms: str, file: Callable[[Any], Application]
) -> Application:
    """The portal application confirmed by ``person``'s signature over ``content``: the one verifier
    (``portal.signatures``) checks it against the person's own IIN before anything is written; a
    missing, invalid or someone else's signature is refused with the verifier's reason (its record
    stays, nothing else is saved). A valid one runs ``file(verification)`` (the programme's filing, the
    same as with the code, keeping the verification on the application)."""
    from portal.signatures.messages import signature_reason_message
    from portal.signatures.services import signature_attach, signature_verify

    if not (cms or "").strip():
        raise ApplicationError(MSG_APPLICATION_NOT_SIGNED, code="signature_missing", field="signature")
    result = signature_verify(cms=cms, content=content, expected_iin=person.iin, purpose=APPLICATION_SIGNATURE_PURPOSE)
    if not result.valid:
        raise ApplicationError(
            signature_reason_message(result.reason), code=f"signature_{result.reason}", field="signature"
        )
    with transaction.atomic():
        application = file(result.verification)
        signature_attach(verification=result.verification, document=application)
    return application


def application_signature_confirm(
    *,
    person: Person,
    deceased_iin: str,
    signature: str,
    presented_death_date: dt.date | None = None,
    presented_certificate: str = "",
    documents: Uploads | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """B-1: the person's signature over ``funeral_signed_content`` files the portal application
    (``confirmed_by="signature"``) with the documents attached (B-5), as the code does."""
    now = now or timezone.now()
    deceased_iin = value_validated(deceased_iin, validate_iin, "deceased_iin")
    content = funeral_signed_content(
        person=person,
        deceased_iin=deceased_iin,
        presented_death_date=presented_death_date,
        presented_certificate=presented_certificate,
        documents=documents,
        on=timezone.localdate(now),
    )
    file = _funeral_portal_filing(
        person=person,
        confirmed_by=ConfirmedBy.SIGNATURE,
        presented_death_date=presented_death_date,
        presented_certificate=presented_certificate,
        documents=documents,
        now=now,
    )
    return application_signature_use(
        person=person, content=content, cms=signature, file=lambda verification: file(deceased_iin, verification)
    )


# --- B-1: the proactive service --------------------------------------------------------------------
# The SMS gateway gives delivery reports only (no inbound messages): the offer's SMS carries a signed
# link to a page where the person agrees or declines. Only the registered phone receives the link.

OFFER_LINK_SALT = "benefits.proactive-offer"
OFFER_LINK_MAX_AGE = dt.timedelta(days=30)


def proactive_offer_link(offer: ProactiveOffer) -> str:
    token = signing.dumps(str(offer.public_id), salt=OFFER_LINK_SALT, compress=True)
    return f"{settings.SITE_URL}{reverse('benefits:offer', kwargs={'token': token})}"


def proactive_offer_from_link(token: str) -> ProactiveOffer | None:
    """The offer a link names, or None for a forged, altered or expired link."""
    try:
        public_id = signing.loads(token, salt=OFFER_LINK_SALT, max_age=OFFER_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return ProactiveOffer.objects.select_related("person").filter(public_id=public_id).first()


def proactive_offer_create(*, person: Person, deceased_iin: str) -> ProactiveOffer:
    """B-1: the proactive service offers the funeral payment to the person by SMS, with its answer link."""
    deceased_iin = value_validated(deceased_iin, validate_iin, "deceased_iin")
    with transaction.atomic():
        offer = ProactiveOffer.objects.create(programme=Programme.FUNERAL, person=person, subject_iin=deceased_iin)
        if person.phone:
            notify(
                recipient=person,
                template=BenefitSms.PROACTIVE_OFFER,
                context={
                    "full_name": person.full_name,
                    "benefit": PROGRAMME_NAMES[Programme.FUNERAL],
                    "link": proactive_offer_link(offer),
                },
                dedupe_key=f"benefit-offer:{offer.public_id}",
            )
    return offer


def proactive_offer_answer(*, offer: ProactiveOffer, consent: bool, now: dt.datetime | None = None) -> ProactiveOffer:
    """The person's answer from their registered phone: consent files the application (point 16)."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = ProactiveOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != ProactiveOffer.Status.SENT:
            return offer
        offer.answered_at = now
        if not consent:
            offer.status = ProactiveOffer.Status.DECLINED
            offer.save(update_fields=["status", "answered_at", "updated_at"])
            return offer
        offer.status = ProactiveOffer.Status.ACCEPTED
        offer.application = funeral_application_file(
            deceased_iin=offer.subject_iin,
            channel=Channel.PROACTIVE,
            applicant=offer.person,
            confirmed_by="sms_reply",
            now=now,
        )
        offer.save(update_fields=["status", "answered_at", "application", "updated_at"])
    return offer


def refusal_text(application: Application) -> str:
    ground = errors.GROUNDS.get(application.refusal_code)
    return str(ground.message) if ground else _("Not accepted.")


# --- item 7: approval with an electronic signature, one by one or a day's batch --------------------

APPROVAL_PURPOSE = "benefit_decision_approval"
MSG_NOT_AUTHORISED = gettext_lazy("You are not authorised to approve benefit decisions.")
MSG_NO_IIN = gettext_lazy("Your account has no IIN: an approval is signed with your own certificate.")
MSG_NOTHING_TO_APPROVE = gettext_lazy("Choose at least one draft decision to approve.")
MSG_DECISION_NOT_FOUND = gettext_lazy("No such decision.")
MSG_NOT_SIGNED = gettext_lazy("Sign the decisions first: the signature field is empty.")
MSG_CHANGED = gettext_lazy(
    "Some of these decisions were approved or changed meanwhile: nothing was approved. Open the list again."
)


def decisions_signed_content(*, decisions: list[Decision], approver_iin: str) -> bytes:
    """The canonical text an approver signs: one line per decision (sorted by id), with what it decides."""
    lines = [f"MSE portal: approval of benefit decisions; approver IIN {approver_iin}; count {len(decisions)}"]
    for d in sorted(decisions, key=lambda d: str(d.public_id)):
        amount = f"{d.amount:.2f}" if d.amount is not None else "-"
        start = d.start_date.isoformat() if d.start_date else "-"
        lines.append(
            f"{d.public_id};{d.application.number};{d.application.programme};{d.kind};{amount};{start};{d.ground_code}"
        )
    return ("\n".join(lines) + "\n").encode()


def decisions_approve(
    *, public_ids: list[Any], approver: Any, cms: str, now: dt.datetime | None = None
) -> list[Decision]:
    """Item 7: approve the draft decisions named, signed by ``approver`` over their canonical content.

    The signature goes through the one verifier (``portal.signatures``) before any write; a missing,
    wrong or someone else's signature is refused with the verifier's reason, and so is a batch of
    which any decision was approved or changed meanwhile: all of them or none. A decision outside the
    approver's area (``selectors.staff_area``), or none at all, is not found: nothing is approved.
    """
    from benefits import locks, selectors
    from portal.signatures.messages import signature_reason_message
    from portal.signatures.services import signature_attach, signature_verify

    now = now or timezone.now()
    if not approver.has_perm("benefits.approve_decision"):
        raise ForbiddenError(MSG_NOT_AUTHORISED, code="not_authorised")
    person = getattr(approver, "person", None)
    if person is None:
        raise ApplicationError(MSG_NO_IIN, code="approver_without_iin", field="signature")
    if not public_ids:
        raise ApplicationError(MSG_NOTHING_TO_APPROVE, code="nothing_to_approve", field="decisions")
    wanted = set(map(str, public_ids))
    reachable = selectors.decisions_of_area(user=approver).filter(public_id__in=public_ids)
    if reachable.count() != len(wanted):  # rule 6: another area's decision is answered as a missing one
        raise NotFoundError(MSG_DECISION_NOT_FOUND, code="decision_not_found", field="decisions")
    if not (cms or "").strip():
        raise ApplicationError(MSG_NOT_SIGNED, code="signature_missing", field="signature")
    drafts = list(selectors.decisions_to_approve(user=approver, public_ids=public_ids))
    if len(drafts) != len(wanted):
        raise ConflictError(MSG_CHANGED, code="decisions_changed", field="decisions")
    content = decisions_signed_content(decisions=drafts, approver_iin=person.iin)
    result = signature_verify(cms=cms, content=content, expected_iin=person.iin, purpose=APPROVAL_PURPOSE)
    if not result.valid:
        raise ApplicationError(
            signature_reason_message(result.reason), code=f"signature_{result.reason}", field="signature"
        )
    with transaction.atomic():
        locked = locks.decisions_lock(public_ids=public_ids)
        if len(locked) != len(drafts) or any(
            d.approved_at is not None or d.application.stage != Stage.DECISION_DRAFT for d in locked
        ):
            raise ConflictError(MSG_CHANGED, code="decisions_changed", field="decisions")
        if decisions_signed_content(decisions=locked, approver_iin=person.iin) != content:
            raise ConflictError(MSG_CHANGED, code="decisions_changed", field="decisions")
        for d in locked:
            d.approved_at, d.approved_by, d.approval_signature = now, approver, result.verification
            d.save(update_fields=["approved_at", "approved_by", "approval_signature", "updated_at"])
        Application.objects.filter(pk__in=[d.application_id for d in locked]).update(
            stage=Stage.APPROVED, updated_at=now
        )
        signature_attach(verification=result.verification, document=locked[0])
    logger.info("benefits: %s decision(s) approved", len(locked))
    return locked


# --- item 7: the month's payment list ---------------------------------------------------------------


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month


def payment_lines_query(*, payment_list: PaymentList, first: bool) -> QuerySet[Decision, Any]:
    """The month's lines as one SELECT over approved decisions, in two parts so that each is a plain
    anti- or semi-join (no per-row subquery):

    - ``first``: decisions never paid yet: a one-time payment, or a monthly benefit started by the
      month's end with arrears for the whole months from its start's month to the month before;
    - not ``first``: monthly benefits paid before and not yet this month: the month's amount.

    The columns are those of ``PAYMENT_LINE_COLUMNS``, in that order."""
    month = payment_list.month
    month_end = month + relativedelta(months=1) - dt.timedelta(days=1)
    any_line = PaymentLine.objects.filter(decision=OuterRef("pk"))
    decisions = Decision.objects.filter(kind=DecisionKind.ASSIGNED, approved_at__isnull=False, amount__gt=0)
    due = Q(periodic=False) | Q(periodic=True, start_date__lte=month_end)
    if first:
        decisions = decisions.filter(due).filter(~Exists(any_line))
        start_index = ExtractYear("start_date") * 12 + ExtractMonth("start_date")
        arrears_months: Any = Case(
            When(periodic=True, then=Greatest(Value(_month_index(month)) - start_index, 0)),
            default=Value(0),
            output_field=IntegerField(),
        )
    else:
        decisions = decisions.filter(periodic=True, start_date__lte=month_end).filter(
            Exists(any_line), ~Exists(any_line.filter(month=month))
        )
        arrears_months = Value(0, output_field=IntegerField())
    money = DecimalField(max_digits=14, decimal_places=2)
    return decisions.order_by().values(
        l_list=Value(payment_list.pk),
        l_decision=F("pk"),
        l_recipient=Coalesce(NullIf(F("application__applicant_iin"), Value("")), F("application__applicant_bin")),
        l_programme=F("application__programme"),
        l_periodic=F("periodic"),
        l_month=Value(month, output_field=DateField()),
        l_amount=F("amount"),
        l_arrears_months=arrears_months,
        l_arrears=Cast(F("amount") * arrears_months, money),
        l_total=Cast(F("amount") + F("amount") * arrears_months, money),
    )


PAYMENT_LINE_COLUMNS = (
    "payment_list_id",
    "decision_id",
    "recipient",
    "programme",
    "periodic",
    "month",
    "amount",
    "arrears_months",
    "arrears",
    "total",
)


def payment_list_build(*, month: dt.date, now: dt.datetime | None = None) -> PaymentList:
    """Item 7: build (or complete) the month's payment list: an ``INSERT ... SELECT ... ON CONFLICT DO
    NOTHING`` for the continuing monthly benefits and one for the first payments; a repeated or concurrent
    build adds nothing twice (the unique indexes decide)."""
    now = now or timezone.now()
    month = month.replace(day=1)
    try:
        with transaction.atomic():
            payment_list, _created = PaymentList.objects.get_or_create(month=month)
    except IntegrityError:  # a concurrent build created it
        payment_list = PaymentList.objects.get(month=month)
    table = connection.ops.quote_name(PaymentLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in PAYMENT_LINE_COLUMNS)
    added = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The anti-join reads the table the statement writes: planned as a nested loop over a table
            # last seen empty, it rescans the growing heap per row (minutes for 100,000 lines). A hash
            # anti-join reads it once, before the first insert.
            cursor.execute("SET LOCAL enable_nestloop = off")
        for first in (False, True):  # the continuing ones first: a first payment never hides one
            select_sql, params = payment_lines_query(payment_list=payment_list, first=first).query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql} ON CONFLICT DO NOTHING", params)
            added += max(cursor.rowcount, 0)
        if connection.vendor == "postgresql" and added:
            # fresh statistics: a re-run the same day must not plan its anti-join on an "empty" table
            cursor.execute(f"ANALYZE {table}")
        PaymentList.objects.filter(pk=payment_list.pk).update(built_at=now, updated_at=now)
    logger.info("benefits: payment list %s: %s line(s) added", month.isoformat(), added)
    payment_list.refresh_from_db()
    return payment_list


def first_working_day_of_month(day: dt.date) -> dt.date:
    from portal.workcal.services import working_calendar

    return working_calendar().next_working_day(day.replace(day=1), include_today=True)


def payment_list_build_if_due(*, today: dt.date | None = None) -> PaymentList | None:
    """The beat's job: on the first working day of the month, the month's list; any other day, nothing."""
    today = today or timezone.localdate()
    if today != first_working_day_of_month(today):
        return None
    return payment_list_build(month=today)
