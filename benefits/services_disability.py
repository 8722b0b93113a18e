"""Writes of the disability benefits (S-7, B-6..B-12) on the shared shape of ``benefits.services``.

An MSE act that establishes disability offers the one application at once (``disability_offer_create``,
from the ``act_registered`` receiver); the person's consent with their choice of benefits files one
application per benefit chosen (``disability_offer_consent``); the automatic path of B-8 forms the
decision at once, the others wait for staff (``disability_decision_form``) within the term of B-9,
extended where more documents are asked for (``disability_more_documents_request``). Where a state
system cannot hold the record (B-7: a birth before 13.08.2007, a marriage before 01.06.2008) the
decision waits for the document (``disability_documents_await``, which asks for it as more documents);
the applicant, their legal representative or staff of the area upload it
(``disability_document_add``) and the decision forms again (``disability_decision_attempt``).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits import locks, refusals
from benefits.documents import DISABILITY_CHILD_RAISING, Store, Uploads, documents_check, documents_store
from benefits.errors import DISABILITY_ALREADY_APPLIED, NO_DISABILITY_ACT
from benefits.models import (
    Application,
    ApplicationCheck,
    ApplicationDocument,
    Assignment,
    CaseFile,
    Channel,
    Decision,
    DecisionKind,
    DisabilityBenefit,
    DisabilityOffer,
    DocumentKind,
    JournalEntry,
    Programme,
    Stage,
)
from benefits.programmes import Outcome
from benefits.programmes import disability as rules
from benefits.selectors import disability_act_of
from benefits.services import decision_form
from benefits.sms import BenefitSms
from portal.acts.models import MseAct
from portal.errors import ApplicationError, ConflictError, ErrorCode
from portal.messaging import notify
from portal.people.models import Person
from portal.people.selectors import active_guardianships
from portal.uploads import CheckedUpload, files_removed_on_error
from portal.workcal.services import working_deadline

BENEFIT_NAMES: dict[str, dict[str, str]] = {
    DisabilityBenefit.SOCIAL: {
        "kk": "мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы",
        "ru": "государственное социальное пособие по инвалидности",
        "en": "state social disability benefit",
    },
    DisabilityBenefit.SPECIAL: {
        "kk": "мүгедектігі бойынша арнаулы мемлекеттік жәрдемақы",
        "ru": "специальное государственное пособие по инвалидности",
        "en": "special state disability benefit",
    },
    DisabilityBenefit.CHILD_RAISING: {
        "kk": "мүгедектігі бар баланы тәрбиелеушіге жәрдемақы",
        "ru": "пособие лицу, воспитывающему ребёнка с инвалидностью",
        "en": "benefit to a person raising a child with disability",
    },
    DisabilityBenefit.GROUP1_CARE: {
        "kk": "бала кезінен бірінші топтағы мүгедектігі бар адамның күтімі бойынша жәрдемақы",
        "ru": "пособие по уходу за лицом с инвалидностью первой группы с детства",
        "en": "care benefit for a person with group I disability since childhood",
    },
    "survivor": {
        "kk": "асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы",
        "ru": "государственное социальное пособие по случаю потери кормильца",
        "en": "state social benefit for loss of breadwinner",
    },
}

OFFER_ANSWERED = ErrorCode("offer_answered", _("This offer has already been answered."))
CHOOSE_ONE = ErrorCode("choose_a_benefit", _("Choose at least one benefit."))
NOT_OFFERED = ErrorCode("benefit_not_offered", _("You have no right to this benefit under this act."))
NOT_WAITING = ErrorCode("decision_already_formed", _("The decision on this application has already been formed."))
AUTOMATIC = ErrorCode("automatic_path", _("This application is decided automatically; no documents are asked for."))
FILE_MISSING = ErrorCode("file_missing", _("Choose the file of the document."))
ALREADY_REQUESTED = ErrorCode(
    "documents_already_requested", _("More documents have already been requested: the term is extended only once.")
)


def offer_recipient(act: MseAct) -> Person:
    """The person, or a ward's legal representative while the guardianship lasts."""
    guardianship = (
        active_guardianships(timezone.localdate()).filter(ward=act.person).select_related("representative").first()
    )
    return guardianship.representative if guardianship is not None else act.person


def disability_offer_create(*, act: MseAct, announce: bool = True) -> DisabilityOffer | None:
    """S-7: offer the one application of B-12 as soon as an act establishing disability is registered.

    Once per act (a repeated signal finds the offer made); an act that does not recognise disability
    offers nothing. A recipients' register that does not answer leaves the special benefit offered:
    its condition (an age pension) is checked again when the decision forms.
    """
    if not act.recognised:
        return None
    existing = DisabilityOffer.objects.filter(act=act).first()
    if existing is not None:
        return existing
    try:
        pensioner = rules.receives_age_pension(act.person.iin, act.examined_on)
    except rules.StateSystemUnavailable:
        pensioner = True
    recipient = offer_recipient(act)
    with transaction.atomic():
        offer, created = DisabilityOffer.objects.get_or_create(
            act=act, defaults={"person": recipient, "offered": rules.benefits_that_apply(act=act, pensioner=pensioner)}
        )
        if created and announce:
            notify(
                recipient=recipient,
                template=BenefitSms.DISABILITY_OFFERED,
                context={"full_name": recipient.full_name, "act_number": act.number},
                dedupe_key=f"benefit_offer:{offer.public_id}",
            )
    return offer


def assignment_refuse(application: Application, ground: refusals.Ground) -> Decision:
    """B-10: the draft refusal of an assigned benefit (disability, survivor) on ``ground``, told by SMS
    in the person's language with how to apply again and where to complain (B-11)."""
    decision = Decision.objects.create(application=application, kind=DecisionKind.REFUSED, ground_code=ground.code)
    application.stage = Stage.DECISION_DRAFT
    application.save(update_fields=["stage", "updated_at"])
    person = application.applicant
    if person is not None and person.phone:
        notify(
            recipient=person,
            template=BenefitSms.ASSIGNMENT_REFUSED,
            context={
                "full_name": person.full_name,
                "benefit": BENEFIT_NAMES[application.assignment.benefit],
                "number": application.number,
                "reason": ground.by_language(),
            },
            dedupe_key=f"benefit:{application.public_id}:refused_decision",
        )
    return decision


@transaction.atomic
def disability_offer_consent(
    *,
    offer: DisabilityOffer,
    chosen: list[str],
    consent_personal_data: bool,
    channel: str = Channel.PORTAL,
    filed_by_user: Any = None,
    now: dt.datetime | None = None,
) -> list[Application]:
    """B-12, B-8, B-6: the person's consent with the benefits chosen files one application each.

    Each is registered in the journal at once with its start date (B-6) and due date (B-9); on the
    automatic path (B-8) its decision forms now; without consent to personal data of restricted
    access it is refused on B-10 (3).
    """
    now = now or timezone.now()
    offer = locks.disability_offer_for_update(offer.pk)
    if offer.status != DisabilityOffer.Status.OFFERED:
        raise ApplicationError(OFFER_ANSWERED, field="benefits")
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        raise ApplicationError(CHOOSE_ONE, field="benefits")
    if any(benefit not in offer.offered for benefit in chosen):
        raise ApplicationError(NOT_OFFERED, field="benefits")
    act = MseAct.objects.select_related("person").get(pk=offer.act_id)
    applications = [
        _disability_register(
            offer=offer,
            act=act,
            benefit=benefit,
            channel=channel,
            confirmed_by="sms_reply" if channel == Channel.PROACTIVE else "session",
            filed_by_user=filed_by_user,
            consent_personal_data=consent_personal_data,
            now=now,
        )
        for benefit in [b for b in offer.offered if b in chosen]
    ]
    offer.status = DisabilityOffer.Status.CONSENTED
    offer.chosen = chosen
    offer.answered_at = now
    offer.save(update_fields=["status", "chosen", "answered_at", "updated_at"])
    return applications


def _disability_register(
    *,
    offer: DisabilityOffer,
    act: MseAct,
    benefit: str,
    channel: str,
    confirmed_by: str,
    filed_by_user: Any,
    consent_personal_data: bool,
    now: dt.datetime,
    filed_by_integrator: Any = None,
    checked: dict[str, CheckedUpload] | None = None,
    store: Store | None = None,
) -> Application:
    """One benefit of the one application (B-12), whichever way it was filed: registered in the journal
    at once with its start date (B-6) and due date (B-9), the documents presented kept; on the
    automatic path (B-8) the decision forms now; without consent to personal data of restricted
    access it is refused on B-10 (3)."""
    applied_on = timezone.localdate(now)
    automatic = rules.is_automatic(benefit=benefit, cause=act.cause, channel=channel)
    application = Application.objects.create(
        programme=Programme.DISABILITY,
        channel=channel,
        stage=Stage.ACCEPTED,
        applicant=offer.person,
        applicant_iin=offer.person.iin,
        applicant_name=offer.person.full_name,
        subject_iin=act.person.iin,
        event_date=act.examined_on,
        confirmed_by=confirmed_by,
        filed_by_user=filed_by_user,
        filed_by_integrator=filed_by_integrator,
        submitted_at=now,
        registered_at=now,
        decision_due_at=working_deadline(now, working_days=rules.term_working_days(automatic=automatic)),
    )
    application.number = f"D-{now.year}-{application.pk:06d}"
    application.save(update_fields=["number", "updated_at"])
    JournalEntry.objects.create(application=application, registered_at=now)
    Assignment.objects.create(
        application=application,
        offer=offer,
        benefit=benefit,
        right_from=act.examined_on,
        applied_on=applied_on,
        start_date=rules.start_date(established_on=act.examined_on, applied_on=applied_on),
    )
    if checked and store is not None:
        documents_store(application=application, checked=checked, store=store, uploaded_by=filed_by_user)
    notify(
        recipient=offer.person,
        template=BenefitSms.APPLICATION_ACCEPTED,
        context={
            "full_name": offer.person.full_name,
            "benefit": BENEFIT_NAMES[benefit],
            "number": application.number,
        },
        dedupe_key=f"benefit:{application.public_id}:accepted",
    )
    if not consent_personal_data:
        assignment_refuse(application, refusals.NO_CONSENT)
    elif automatic:
        try:
            with transaction.atomic():
                disability_decision_form(application=application)
        except rules.StateSystemUnavailable:
            pass  # the decision forms on the next try (staff or the retry); the term still runs
    return application


def disability_application_file(
    *,
    person: Person,
    consent_personal_data: bool,
    benefits: list[str] | None = None,
    filed_by_user: Any = None,
    filed_by_integrator: Any = None,
    channel: str = Channel.STATE_CORPORATION,
    documents: Uploads | None = None,
    now: dt.datetime | None = None,
) -> list[Application]:
    """B-6, B-7, B-9, B-12: the State Corporation files the one application for ``person``'s disability
    benefits at its office (in the admin or through the API), as the offer's consent files it on the
    portal (``disability_offer_consent``), each benefit through the same ``_disability_register``.

    The person's registered MSE act establishing disability on the day (``selectors.disability_act_of``)
    is the one the offer of S-7 was made for; its offer is found, or made without an SMS where the act
    predates it. ``benefits`` is the choice of B-12 among those the act gives a right to (the state
    social disability benefit when not given); a benefit already filed under the act is refused
    (409 ``disability_application_exists``), and so is the whole filing: nothing is saved. The
    documents of appendix 3 items 4 and 5 (the birth and marriage certificates) go with the benefit
    for raising a child with disability, checked before anything is written. Not the automatic path
    (B-8): the term is 7 working days from this registration (B-9), and staff form the decision,
    which asks the state systems of B-7 through the port; without the written consent to personal
    data of restricted access the draft decision refuses on B-10 (3).
    """
    now = now or timezone.now()
    act = disability_act_of(person=person, on=timezone.localdate(now))
    if act is None:
        raise ApplicationError(NO_DISABILITY_ACT)
    chosen = list(dict.fromkeys(benefits if benefits is not None else [DisabilityBenefit.SOCIAL.value]))
    if not chosen:
        raise ApplicationError(CHOOSE_ONE, field="benefits")
    kinds = DISABILITY_CHILD_RAISING if DisabilityBenefit.CHILD_RAISING in chosen else ()
    checked = documents_check(documents, kinds=kinds)
    with files_removed_on_error() as store, transaction.atomic():
        found = DisabilityOffer.objects.filter(act=act).first() or disability_offer_create(act=act, announce=False)
        assert found is not None  # the act establishes disability
        offer = locks.disability_offer_for_update(found.pk)
        if any(benefit not in offer.offered for benefit in chosen):
            raise ApplicationError(NOT_OFFERED, field="benefits")
        if Assignment.objects.filter(offer=offer, benefit__in=chosen).exists():
            raise ConflictError(DISABILITY_ALREADY_APPLIED, field="benefits")
        applications = [
            _disability_register(
                offer=offer,
                act=act,
                benefit=benefit,
                channel=channel,
                confirmed_by="staff",
                filed_by_user=filed_by_user,
                filed_by_integrator=filed_by_integrator,
                consent_personal_data=consent_personal_data,
                checked=checked if benefit == DisabilityBenefit.CHILD_RAISING else None,
                store=store,
                now=now,
            )
            for benefit in [b for b in offer.offered if b in chosen]
        ]
        # the offer is answered: a later reply to its SMS files nothing twice (``OFFER_ANSWERED``)
        offer.chosen = list(dict.fromkeys([*offer.chosen, *chosen]))
        offer.status = DisabilityOffer.Status.CONSENTED
        offer.answered_at = offer.answered_at or now
        offer.save(update_fields=["status", "chosen", "answered_at", "updated_at"])
    return applications


def disability_offer_decline(*, offer: DisabilityOffer, now: dt.datetime | None = None) -> DisabilityOffer:
    with transaction.atomic():
        offer = locks.disability_offer_for_update(offer.pk)
        if offer.status != DisabilityOffer.Status.OFFERED:
            raise ApplicationError(OFFER_ANSWERED, field="benefits")
        offer.status = DisabilityOffer.Status.DECLINED
        offer.answered_at = now or timezone.now()
        offer.save(update_fields=["status", "answered_at", "updated_at"])
    return offer


@transaction.atomic
def disability_decision_form(*, application: Application) -> Decision:
    """B-7, B-8, B-10: check the state data, keep the case file, form the draft decision.

    Assigned with the amount from the rate tables (waiting where a row is missing), or refused on
    the ground of B-10 the checks name. Raises ``StateSystemUnavailable``: nothing is saved.
    """
    if Decision.objects.filter(application=application).exists():
        raise ApplicationError(NOT_WAITING)
    assignment = application.assignment
    assert assignment.offer is not None
    act = MseAct.objects.select_related("person").get(pk=assignment.offer.act_id)
    outcome: Outcome = rules.run_checks(
        act=act,
        benefit=assignment.benefit,
        subject_iin=application.subject_iin,
        applied_on=assignment.applied_on,
        applicant_iin=application.applicant_iin,
        applicant_surname=application.applicant.last_name if application.applicant is not None else "",
        presented=set(application.documents.values_list("kind", flat=True)),
    )
    ApplicationCheck.objects.bulk_create(
        ApplicationCheck(application=application, code=c.code, passed=c.passed, detail=c.detail[:300], source=c.source)
        for c in outcome.checks
    )
    CaseFile.objects.update_or_create(
        application=application,
        defaults={
            "data": {
                **outcome.case_file,
                "amount_case": outcome.amount_case,
                "amount_on": outcome.amount_on.isoformat() if outcome.amount_on else None,
            }
        },
    )
    if outcome.ground is not None:
        return assignment_refuse(application, refusals.GROUNDS[outcome.ground.code])
    decision = decision_form(application=application, outcome=outcome)
    if decision.kind != DecisionKind.WAITING:
        application.stage = Stage.DECISION_DRAFT
        application.save(update_fields=["stage", "updated_at"])
    return decision


def _term_extend(application: Application, assignment: Assignment, now: dt.datetime) -> None:
    """B-9: the more documents' 5 working days, counted from the registration, once."""
    assignment.more_documents_requested_at = now
    assignment.save(update_fields=["more_documents_requested_at", "updated_at"])
    assert application.registered_at is not None
    application.decision_due_at = working_deadline(
        application.registered_at, working_days=rules.term_working_days(automatic=False, more_documents=True)
    )
    application.save(update_fields=["decision_due_at", "updated_at"])


@transaction.atomic
def disability_more_documents_request(*, application: Application, now: dt.datetime | None = None) -> Application:
    """B-9: the State Corporation asks for more documents: the term grows by 5 working days, once.

    Only while the decision waits; a second request is refused (the term is not extended twice).
    """
    now = now or timezone.now()
    assignment = locks.assignment_for_update(application.pk)
    act_cause = assignment.offer.act.cause if assignment.offer is not None else ""
    if rules.is_automatic(benefit=assignment.benefit, cause=act_cause, channel=application.channel):
        raise ApplicationError(AUTOMATIC)
    if Decision.objects.filter(application=application).exists():
        raise ApplicationError(NOT_WAITING)
    if assignment.more_documents_requested_at is not None:
        raise ApplicationError(ALREADY_REQUESTED)
    _term_extend(application, assignment, now)
    return application


@transaction.atomic
def disability_documents_await(
    *, application: Application, document: str, now: dt.datetime | None = None
) -> Assignment:
    """B-7, B-9: the decision waits for ``document`` (a state system cannot hold its record): it is
    asked for as more documents, so the term grows by 5 working days unless it already has."""
    now = now or timezone.now()
    assignment = locks.assignment_for_update(application.pk)
    if Decision.objects.filter(application=application).exists():
        raise ApplicationError(NOT_WAITING)
    assignment.awaited_document = document
    assignment.save(update_fields=["awaited_document", "updated_at"])
    if assignment.more_documents_requested_at is None:
        _term_extend(application, assignment, now)
    return assignment


def disability_decision_attempt(*, application: Application, now: dt.datetime | None = None) -> Decision:
    """Form the decision (``disability_decision_form``); where it waits for a document, record which
    one (``disability_documents_await``) and raise ``DocumentsNeeded`` again for the caller to say so."""
    try:
        return disability_decision_form(application=application)
    except rules.DocumentsNeeded as exc:
        disability_documents_await(application=application, document=exc.document, now=now)
        raise


def documents_awaited(application: Application) -> list[str]:
    """The documents a waiting disability application takes: the one its decision waits for (B-7),
    else, once more documents were requested, the State Corporation's (B-9); none once decided."""
    if application.programme != Programme.DISABILITY or Decision.objects.filter(application=application).exists():
        return []
    assignment = Assignment.objects.filter(application=application).first()
    if assignment is None:
        return []
    if assignment.awaited_document:  # the more documents asked for are this one
        return [assignment.awaited_document]
    return [DocumentKind.MORE_DOCUMENTS.value] if assignment.more_documents_requested_at is not None else []


def disability_document_add(
    *,
    application: Application,
    kind: str,
    file: IO[bytes] | None,
    uploaded_by: Any = None,
    now: dt.datetime | None = None,
) -> tuple[ApplicationDocument, Decision | None]:
    """B-7, B-9: a document the waiting decision asked for, uploaded by the applicant, their legal
    representative or staff of the area. The file passes the core's checks first (a refused one names
    the field ``kind``, nothing is saved); then the row and the file are kept together or not at all.
    The document the decision waited for forms it again (a state system that does not answer leaves
    it waiting, the document kept); the State Corporation's documents (B-9) wait for staff to read
    them and form the decision. Returns the document and the decision, if formed."""
    if file is None:
        raise ApplicationError(FILE_MISSING, field=kind or "file")
    checked = documents_check({kind: file}, kinds=documents_awaited(application))
    with files_removed_on_error() as store, transaction.atomic():
        assignment = locks.assignment_for_update(application.pk)
        if kind not in documents_awaited(application):  # decided or answered meanwhile
            raise ApplicationError(NOT_WAITING, field=kind)
        [document] = documents_store(application=application, checked=checked, store=store, uploaded_by=uploaded_by)
        awaited = kind == assignment.awaited_document
        if awaited:
            assignment.awaited_document = ""
            assignment.save(update_fields=["awaited_document", "updated_at"])
    if not awaited:
        return document, None
    try:
        return document, disability_decision_attempt(application=application, now=now)
    except rules.StateSystemUnavailable:  # DocumentsNeeded included: the next document is recorded as awaited
        return document, None
