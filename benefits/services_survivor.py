"""Writes of the survivor benefit (B-13..B-16) on the shared shape of ``benefits.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits import locks, refusals
from benefits.documents import SURVIVOR as SURVIVOR_DOCUMENTS
from benefits.documents import SURVIVOR_DEPENDANT as SURVIVOR_DEPENDANT_DOCUMENTS
from benefits.documents import Store, Uploads, documents_check, documents_store
from benefits.models import (
    Application,
    Assignment,
    CaseFile,
    Channel,
    ConfirmedBy,
    Decision,
    DecisionKind,
    Dependant,
    DocumentKind,
    JournalEntry,
    Programme,
    Stage,
)
from benefits.programmes import Outcome
from benefits.programmes import survivor as rules
from benefits.programmes.disability import StateSystemUnavailable
from benefits.services import (
    application_code_use,
    application_signature_use,
    application_signed_content,
    decision_form,
    value_validated,
)
from benefits.services_disability import BENEFIT_NAMES, assignment_refuse
from benefits.sms import BenefitSms
from benefits.statesystems import CIVIL_REGISTRY_BIRTH, BirthRecord
from portal.errors import ApplicationError, ErrorCode, NotFoundError
from portal.messaging import notify
from portal.people.models import Person
from portal.people.selectors import person_can_act_for
from portal.statedata.services import statedata_query
from portal.statedata.systems import CIVIL_REGISTRY_DEATH, DeathRecord
from portal.uploads import CheckedUpload, files_removed_on_error
from portal.validators import validate_iin
from portal.workcal.services import working_deadline

DEATH_DOCUMENT_MISSING = ErrorCode(
    "death_document_missing",
    _("Give the breadwinner's death certificate or notice, or the court decision declaring them missing or dead."),
)
KINSHIP_MISSING = ErrorCode("kinship_document_missing", _("Give the document proving kinship with the deceased."))
NO_DEPENDANTS = ErrorCode("no_dependants", _("Name at least one dependant."))
NOT_ELIGIBLE = ErrorCode(
    "dependant_not_eligible",
    _("This dependant has no right: over 18 without a valid certificate of full-time study, or 23 and older."),
)
CARER_NOT_ELIGIBLE = ErrorCode(
    "carer_not_eligible",
    _("A carer has a right only while caring for the deceased's children, siblings or grandchildren under 8."),
)
CARER_WORKS = ErrorCode(
    "carer_still_working",
    _("The state systems show work (an entrepreneur's registration, pension contributions or social payments)."),
)
RIGHT_IN_FUTURE = ErrorCode("right_date_in_future", _("The day the right arose is in the future."))
STATE_UNAVAILABLE = ErrorCode(
    "state_system_unavailable", _("A state information system does not answer. Please try again later.")
)
DEPENDANT_TWICE = ErrorCode("dependant_twice", _("This dependant is already named in this application."))
NOT_REPRESENTED = ErrorCode("applicant_not_represented", _("You do not represent this person."))
NOT_FOUND = ErrorCode("recipient_not_found", _("No benefit recipient of this school with this IIN."))
WORK_BOOK_RECORD_MISSING = ErrorCode(
    "work_book_record_missing", _("Enter the work book's record of leaving work (its number and date).")
)
NOT_A_PAID_CARER = ErrorCode("not_a_paid_carer", _("No paid carer's share is found to renew."))
EFFECTIVE_IN_FUTURE = ErrorCode("effective_date_in_future", _("The date of the order is in the future."))


@dataclass(frozen=True)
class DependantInput:
    iin: str
    birth_date: dt.date
    relation: str
    kinship_document: str = ""
    study_certificate_number: str = ""
    school_bin: str = ""
    full_time_until: dt.date | None = None
    # a carer: the youngest child, sibling or grandchild cared for, and the work book's record of leaving work
    youngest_cared_birth_date: dt.date | None = None
    work_book_record: str = ""
    # B-13: the dependant's own documents attached (``kinship``, ``study_certificate``): ``{kind: file}``
    documents: Uploads | None = None


def _confirmed(system: str, key: str, as_type: type[object], test: Any = None) -> bool:
    """B-13: does a state system confirm the document (``test`` on the typed answer, if given)?"""
    answer = statedata_query(system=system, key=key, as_type=as_type)
    if answer.unavailable:
        raise ApplicationError(STATE_UNAVAILABLE)
    return answer.value is not None and (test is None or bool(test(answer.value)))


def _check_dependant(index: int, d: DependantInput, on: dt.date, *, deceased_iin: str, uploaded: set[str]) -> str:
    """B-13, B-15: the dependant counts, or ``ApplicationError`` naming ``dependants[index]``; returns
    how a carer proved they stopped working. Kinship is proved by the document's number, the file
    attached, or the civil registry's birth record naming the deceased as a parent."""
    field = f"dependants[{index}]"
    try:
        validate_iin(d.iin)
    except Exception:
        raise ApplicationError(_("Enter a valid IIN."), code="iin_invalid", field=f"{field}.iin") from None
    if (
        not d.kinship_document.strip()
        and DocumentKind.KINSHIP not in uploaded
        and not _confirmed(CIVIL_REGISTRY_BIRTH, d.iin, BirthRecord, lambda b: deceased_iin in b.parent_iins)
    ):
        raise ApplicationError(KINSHIP_MISSING, field=f"{field}.kinship_document")
    if d.relation == Dependant.Relation.CARER:
        if not rules.carer_counts(youngest_cared_birth_date=d.youngest_cared_birth_date, on=on):
            raise ApplicationError(CARER_NOT_ELIGIBLE, field=f"{field}.youngest_cared_birth_date")
        if d.work_book_record.strip():
            return "work_book"
        try:
            stopped = rules.stopped_working_automatically(d.iin, on)
        except StateSystemUnavailable:
            raise ApplicationError(STATE_UNAVAILABLE) from None
        if not stopped:
            raise ApplicationError(CARER_WORKS, field=f"{field}.work_book_record")
        return "automatic"
    if not rules.student_counts(birth_date=d.birth_date, on=on, full_time_until=d.full_time_until):
        raise ApplicationError(NOT_ELIGIBLE, field=f"{field}.full_time_until")
    return ""


def survivor_application_file(
    *,
    applicant: Person,
    deceased_iin: str,
    right_arose_on: dt.date,
    death_document: str,
    dependants: list[DependantInput],
    channel: str = Channel.STATE_CORPORATION,
    filed_by_user: Any = None,
    filed_by_integrator: Any = None,
    confirmed_by: str = "",
    confirmation_signature: Any = None,
    consent_personal_data: bool = True,
    documents: Uploads | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """B-13, B-14, B-15: file the application with all its documents, register it, form the draft.

    B-13 (point 6): where the state systems do not confirm a document, it is attached: the death
    document (its number, the file, or the civil registry's record), each dependant's kinship (the
    same, or the birth record naming the deceased). The documents "as applicable" (the civil
    registry's note, guardianship, the military ID or service record, proof of death in service, a
    school certificate) are optional files. Every file is checked before anything is written; a
    refused one names its field. Every dependant must count (B-13, B-15) or nothing is saved.
    The start date is the day the right arose, but not earlier than 12 months before this complete
    application (B-14); the decision is due in 7 working days; the amount is by the
    number of dependants, shared equally from 6. Without the consent to access personal data of
    restricted access the application is registered and its draft decision refuses on B-10 (3), as
    the disability benefits' does.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if right_arose_on > today:
        raise ApplicationError(RIGHT_IN_FUTURE, field="right_arose_on")
    if not dependants:
        raise ApplicationError(NO_DEPENDANTS, field="dependants")
    checked = documents_check(documents, kinds=SURVIVOR_DOCUMENTS)
    checked_dependants = [
        documents_check(d.documents, kinds=SURVIVOR_DEPENDANT_DOCUMENTS, prefix=f"dependants[{i}].")
        for i, d in enumerate(dependants)
    ]
    if (
        not death_document.strip()
        and DocumentKind.DEATH_DOCUMENT not in checked
        and not _confirmed(CIVIL_REGISTRY_DEATH, deceased_iin, DeathRecord)
    ):
        raise ApplicationError(DEATH_DOCUMENT_MISSING, field="death_document")
    seen: set[str] = set()
    for i, d in enumerate(dependants):
        if d.iin in seen:
            raise ApplicationError(DEPENDANT_TWICE, field=f"dependants[{i}].iin")
        seen.add(d.iin)
    proofs = [
        _check_dependant(i, d, today, deceased_iin=deceased_iin, uploaded=set(checked_dependants[i]))
        for i, d in enumerate(dependants)
    ]
    with files_removed_on_error() as store, transaction.atomic():
        return _survivor_register(
            applicant=applicant,
            deceased_iin=deceased_iin,
            right_arose_on=right_arose_on,
            death_document=death_document,
            dependants=dependants,
            proofs=proofs,
            checked=checked,
            checked_dependants=checked_dependants,
            store=store,
            channel=channel,
            filed_by_user=filed_by_user,
            filed_by_integrator=filed_by_integrator,
            confirmed_by=confirmed_by or ("staff" if channel == Channel.STATE_CORPORATION else "session"),
            confirmation_signature=confirmation_signature,
            consent_personal_data=consent_personal_data,
            now=now,
        )


def _survivor_register(
    *,
    applicant: Person,
    deceased_iin: str,
    right_arose_on: dt.date,
    death_document: str,
    dependants: list[DependantInput],
    proofs: list[str],
    checked: dict[str, CheckedUpload],
    checked_dependants: list[dict[str, CheckedUpload]],
    store: Store,
    channel: str,
    filed_by_user: Any,
    filed_by_integrator: Any,
    confirmed_by: str,
    confirmation_signature: Any,
    consent_personal_data: bool,
    now: dt.datetime,
) -> Application:
    today = timezone.localdate(now)
    application = Application.objects.create(
        programme=Programme.SURVIVOR,
        channel=channel,
        stage=Stage.ACCEPTED,
        applicant=applicant,
        applicant_iin=applicant.iin,
        applicant_name=applicant.full_name,
        subject_iin=deceased_iin,
        event_date=right_arose_on,
        confirmed_by=confirmed_by,
        confirmation_signature=confirmation_signature,
        filed_by_user=filed_by_user,
        filed_by_integrator=filed_by_integrator,
        submitted_at=now,
        registered_at=now,
        decision_due_at=working_deadline(now, working_days=rules.term_working_days()),
    )
    application.number = f"S-{now.year}-{application.pk:06d}"
    application.save(update_fields=["number", "updated_at"])
    JournalEntry.objects.create(application=application, registered_at=now)
    start = rules.start_date(right_arose_on=right_arose_on, documents_complete_on=today)
    Assignment.objects.create(
        application=application, benefit="survivor", right_from=right_arose_on, applied_on=today, start_date=start
    )
    rows = Dependant.objects.bulk_create(
        Dependant(
            application=application,
            iin=d.iin,
            birth_date=d.birth_date,
            relation=d.relation,
            study_certificate_number=d.study_certificate_number,
            school_bin=d.school_bin,
            full_time_until=d.full_time_until,
            stopped_working_proof=proof,
            stopped_working_proved_on=today if proof else None,
            work_book_record=d.work_book_record.strip() if proof == "work_book" else "",
            youngest_cared_birth_date=d.youngest_cared_birth_date if d.relation == Dependant.Relation.CARER else None,
        )
        for d, proof in zip(dependants, proofs, strict=True)
    )
    documents_store(application=application, checked=checked, store=store, uploaded_by=filed_by_user)
    for row, files in zip(rows, checked_dependants, strict=True):
        documents_store(application=application, checked=files, store=store, uploaded_by=filed_by_user, dependant=row)
    outcome = Outcome(amount_case=rules.amount_case(len(rows)), amount_on=today)
    CaseFile.objects.create(
        application=application,
        data={
            "death_document": death_document,
            "dependants": len(rows),
            "right_arose_on": right_arose_on.isoformat(),
            "start_date": start.isoformat(),
            "amount_case": outcome.amount_case,
            "amount_on": today.isoformat(),
            "consent_personal_data": consent_personal_data,
        },
    )
    _accepted_notify(application, filed_by_user)
    if not consent_personal_data:
        assignment_refuse(application, refusals.NO_CONSENT)
        return application
    decision = decision_form(application=application, outcome=outcome)
    if decision.kind == DecisionKind.ASSIGNED:
        application.stage = Stage.DECISION_DRAFT
        application.save(update_fields=["stage", "updated_at"])
        _shares(decision, rows)
    return application


def _survivor_portal_filing(
    *,
    person: Person,
    applicant: Person,
    confirmed_by: str,
    right_arose_on: dt.date,
    death_document: str,
    dependants: list[DependantInput],
    consent_personal_data: bool,
    documents: Uploads | None,
    filed_by_user: Any,
    now: dt.datetime,
) -> Callable[..., Application]:
    """The portal application's filing for ``applicant`` (``person`` or a ward they represent today,
    checked here), whichever way ``person`` confirmed it."""
    if applicant.pk != person.pk and not person_can_act_for(actor=person, subject=applicant):
        raise NotFoundError(NOT_REPRESENTED, field="applicant")

    def file(deceased_iin: str, signature: Any = None) -> Application:
        return survivor_application_file(
            applicant=applicant,
            deceased_iin=deceased_iin,
            right_arose_on=right_arose_on,
            death_document=death_document,
            dependants=dependants,
            channel=Channel.PORTAL,
            filed_by_user=filed_by_user,
            confirmed_by=confirmed_by,
            confirmation_signature=signature,
            consent_personal_data=consent_personal_data,
            documents=documents,
            now=now,
        )

    return file


def _accepted_notify(application: Application, filed_by_user: Any) -> None:
    """B-3's pattern, as for the funeral payment: the acceptance SMS in the person's language, with
    the benefit and the registration number; to the applicant's registered phone or, for a ward
    without one, to the legal representative who filed on the portal. The cabinet and the receipt
    show the acceptance whatever the phone."""
    recipient = application.applicant
    if recipient is not None and not recipient.phone:
        representative = getattr(filed_by_user, "person", None)
        if isinstance(representative, Person) and person_can_act_for(actor=representative, subject=recipient):
            recipient = representative
    if recipient is None or not recipient.phone:
        return
    notify(
        recipient=recipient,
        template=BenefitSms.APPLICATION_ACCEPTED,
        context={"full_name": recipient.full_name, "benefit": BENEFIT_NAMES["survivor"], "number": application.number},
        dedupe_key=f"benefit:{application.public_id}:accepted",
    )


def survivor_application_code_confirm(
    *,
    person: Person,
    code_id: Any,
    code: str,
    applicant: Person,
    right_arose_on: dt.date,
    death_document: str,
    dependants: list[DependantInput],
    consent_personal_data: bool,
    documents: Uploads | None = None,
    filed_by_user: Any = None,
    now: dt.datetime | None = None,
) -> Application:
    """The portal channel: the code sent to ``person``'s registered phone (``application_code_request``
    with the survivor programme) files the application for ``applicant`` (``person`` or a ward they
    represent today, checked here) with ``confirmed_by="sms_code"``. A wrong code files nothing; a
    refused document or dependant saves nothing and leaves the code unused."""
    now = now or timezone.now()
    file = _survivor_portal_filing(
        person=person,
        applicant=applicant,
        confirmed_by=ConfirmedBy.SMS_CODE,
        right_arose_on=right_arose_on,
        death_document=death_document,
        dependants=dependants,
        consent_personal_data=consent_personal_data,
        documents=documents,
        filed_by_user=filed_by_user,
        now=now,
    )
    return application_code_use(
        person=person,
        code_id=code_id,
        code=code,
        programme=Programme.SURVIVOR,
        file=lambda row: file(row.subject_iin),
        now=now,
    )


def survivor_signed_content(
    *,
    person: Person,
    applicant: Person,
    deceased_iin: str,
    right_arose_on: dt.date | None,
    death_document: str,
    dependants: list[DependantInput],
    consent_personal_data: bool,
    documents: Uploads | None = None,
    on: dt.date | None = None,
) -> bytes:
    """B-13: the survivor benefit's portal application as ``person`` signs it (for themselves or a
    ward): the dependants, the documents' sha256 (a dependant's as ``dependants[i].<kind>``)."""
    details = [
        ("date the right arose", right_arose_on.isoformat() if right_arose_on else "-"),
        ("death document number", death_document.strip() or "-"),
        ("consent to restricted personal data", "yes" if consent_personal_data else "no"),
    ]
    files: dict[str, Any] = dict(documents or {})
    for i, d in enumerate(dependants):
        details.append(
            (
                f"dependant {i + 1}",
                ";".join(
                    (
                        d.iin,
                        d.relation,
                        d.kinship_document.strip() or "-",
                        d.study_certificate_number.strip() or "-",
                        d.school_bin or "-",
                        d.full_time_until.isoformat() if d.full_time_until else "-",
                        d.youngest_cared_birth_date.isoformat() if d.youngest_cared_birth_date else "-",
                        d.work_book_record.strip() or "-",
                    )
                ),
            )
        )
        files.update({f"dependants[{i}].{kind}": f for kind, f in (d.documents or {}).items()})
    return application_signed_content(
        programme=Programme.SURVIVOR,
        deceased_iin=(deceased_iin or "").strip(),
        applicant_iin=applicant.iin,
        signer_iin=person.iin,
        on=on or timezone.localdate(),
        documents=files,
        details=details,
    )


def survivor_application_signature_confirm(
    *,
    person: Person,
    signature: str,
    applicant: Person,
    deceased_iin: str,
    right_arose_on: dt.date,
    death_document: str,
    dependants: list[DependantInput],
    consent_personal_data: bool,
    documents: Uploads | None = None,
    filed_by_user: Any = None,
    now: dt.datetime | None = None,
) -> Application:
    """B-13: ``person``'s signature over ``survivor_signed_content`` files the portal application for
    ``applicant`` (``person`` or their ward) with ``confirmed_by="signature"``; the certificate must
    be ``person``'s own (a representative signs for the ward). Refused signatures save nothing."""
    now = now or timezone.now()
    value_validated(deceased_iin, validate_iin, "deceased_iin")
    file = _survivor_portal_filing(
        person=person,
        applicant=applicant,
        confirmed_by=ConfirmedBy.SIGNATURE,
        right_arose_on=right_arose_on,
        death_document=death_document,
        dependants=dependants,
        consent_personal_data=consent_personal_data,
        documents=documents,
        filed_by_user=filed_by_user,
        now=now,
    )
    content = survivor_signed_content(
        person=person,
        applicant=applicant,
        deceased_iin=deceased_iin,
        right_arose_on=right_arose_on,
        death_document=death_document,
        dependants=dependants,
        consent_personal_data=consent_personal_data,
        documents=documents,
        on=timezone.localdate(now),
    )
    return application_signature_use(
        person=person,
        content=content,
        cms=signature,
        file=lambda verification: file(deceased_iin.strip(), verification),
    )


def _shares(decision: Decision, rows: list[Dependant]) -> None:
    """Art. 236: from 6 dependants the amount is shared equally (down to the tiyn)."""
    if len(rows) < rules.SHARED_FROM or decision.amount is None:
        return
    share = (decision.amount / Decimal(len(rows))).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    Dependant.objects.filter(pk__in=[r.pk for r in rows]).update(share=share)


def school_notice_register(
    *, school_bin: str, student_iin: str, kind: str, effective_date: dt.date, today: dt.date | None = None
) -> Dependant:
    """B-16: a school's notice of expulsion or of a move to extramural study suspends the recipient's
    share from the date of the order. Only a recipient whose certificate this school issued is found
    (X-8); a repeated notice changes nothing."""
    today = today or timezone.localdate()
    if effective_date > today:
        raise ApplicationError(EFFECTIVE_IN_FUTURE, field="effective_date")
    with transaction.atomic():
        found = (
            Dependant.objects.filter(iin=student_iin, school_bin=school_bin, application__programme=Programme.SURVIVOR)
            .exclude(school_bin="")
            .order_by("-pk")
            .first()
        )
        if found is None:
            raise NotFoundError(NOT_FOUND, field="student_iin")
        dependant = locks.dependant_for_update(found.pk)
        if dependant.status == Dependant.Status.SUSPENDED:
            return dependant
        dependant.status = Dependant.Status.SUSPENDED
        dependant.suspended_from = effective_date
        dependant.suspension_reason = kind
        dependant.save(update_fields=["status", "suspended_from", "suspension_reason", "updated_at"])
        applicant = Application.objects.select_related("applicant").get(pk=dependant.application_id).applicant
        if applicant is not None and applicant.phone:
            notify(
                recipient=applicant,
                template=BenefitSms.BENEFIT_SUSPENDED,
                context={
                    "full_name": applicant.full_name,
                    "benefit": BENEFIT_NAMES["survivor"],
                    "date": effective_date,
                },
                dedupe_key=f"benefit_dependant:{dependant.public_id}:suspended",
            )
    return dependant


REPROOF_REASON = "carer_still_working"
CARE_ENDED_REASON = "cared_child_aged_8"


def carers_reproof_due(*, today: dt.date) -> list[int]:
    """B-15: ids of the paid carers whose last proof that they stopped working is a year old or older,
    or whose youngest one cared for has turned 8."""
    return list(
        Dependant.objects.annotate(
            proved_on=Coalesce(F("stopped_working_proved_on"), TruncDate("application__registered_at"))
        )
        .filter(relation=Dependant.Relation.CARER, status=Dependant.Status.ACTIVE)
        .filter(
            Q(proved_on__lte=today - rules.REPROOF_EVERY)
            | Q(youngest_cared_birth_date__lte=today - relativedelta(years=rules.CARE_UNDER))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _notify(application: Application, dependant: Dependant, *, template: str, on: dt.date, key: str) -> None:
    applicant = application.applicant
    if applicant is not None and applicant.phone:
        notify(
            recipient=applicant,
            template=template,
            context={"full_name": applicant.full_name, "benefit": BENEFIT_NAMES["survivor"], "date": on},
            dedupe_key=f"benefit_dependant:{dependant.public_id}:{key}",
        )


def _stop(application: Application, dependant: Dependant, *, status: str, on: dt.date, reason: str) -> None:
    dependant.status = status
    dependant.suspended_from = on
    dependant.suspension_reason = reason
    dependant.save(update_fields=["status", "suspended_from", "suspension_reason", "updated_at"])
    if status == Dependant.Status.ENDED:
        _notify(application, dependant, template=BenefitSms.CARE_RIGHT_ENDED, on=on, key="ended")
    else:
        _notify(application, dependant, template=BenefitSms.BENEFIT_SUSPENDED, on=on, key="suspended")


def carer_reproof(*, dependant_id: int, today: dt.date) -> str:
    """B-15: a year after the last proof (a work book presented, or the systems asked), ask the systems
    again (no entrepreneur's registration, no pension contributions, no social payments): still stopped
    renews the proof; working suspends the share from the day the proof ran out, with a notice. When
    the youngest one cared for turns 8 the carer's right ends: the share stops from that birthday, with
    a notice (if the proof ran out earlier, the year up to the birthday is checked first). A system that
    does not answer changes nothing (asked again on the next run); a repeated run after the renewal,
    suspension or end does nothing. Returns ``renewed``, ``suspended``, ``ended``, ``unavailable`` or
    ``not_due``."""
    with transaction.atomic():
        dependant = locks.dependant_for_update(dependant_id)
        application = Application.objects.select_related("applicant").get(pk=dependant.application_id)
        assert application.registered_at is not None
        proved_on = dependant.stopped_working_proved_on or timezone.localdate(application.registered_at)
        expires_on = proved_on + rules.REPROOF_EVERY
        born = dependant.youngest_cared_birth_date
        ends_on = rules.care_ends_on(born) if born is not None else None
        if dependant.status != Dependant.Status.ACTIVE:
            return "not_due"
        if ends_on is not None and ends_on <= today and ends_on <= expires_on:
            _stop(application, dependant, status=Dependant.Status.ENDED, on=ends_on, reason=CARE_ENDED_REASON)
            return "ended"
        if expires_on > today:
            return "not_due"
        try:
            stopped = rules.stopped_working_automatically(dependant.iin, today)
        except StateSystemUnavailable:
            return "unavailable"
        if not stopped:
            _stop(application, dependant, status=Dependant.Status.SUSPENDED, on=expires_on, reason=REPROOF_REASON)
            return "suspended"
        if ends_on is not None and ends_on <= today:
            _stop(application, dependant, status=Dependant.Status.ENDED, on=ends_on, reason=CARE_ENDED_REASON)
            return "ended"
        dependant.stopped_working_proof = "automatic"
        dependant.stopped_working_proved_on = today
        dependant.save(update_fields=["stopped_working_proof", "stopped_working_proved_on", "updated_at"])
        return "renewed"


def carer_work_book_present(*, dependant_id: int, record: str, today: dt.date | None = None) -> Dependant:
    """B-15 (appendix 3): the carer's yearly proof by the work book's record of leaving work, entered by
    the State Corporation's staff or by the carer in the cabinet. It renews the proof for a year from
    today (the systems are then not asked); only a paid carer whose youngest one cared for is still
    under 8 renews. Raises ``ApplicationError`` naming the field."""
    today = today or timezone.localdate()
    record = record.strip()
    if not record:
        raise ApplicationError(WORK_BOOK_RECORD_MISSING, field="work_book_record")
    with transaction.atomic():
        dependant = locks.dependant_for_update(dependant_id)
        if dependant.relation != Dependant.Relation.CARER or dependant.status != Dependant.Status.ACTIVE:
            raise ApplicationError(NOT_A_PAID_CARER, field="work_book_record")
        born = dependant.youngest_cared_birth_date
        if born is not None and not rules.carer_counts(youngest_cared_birth_date=born, on=today):
            raise ApplicationError(CARER_NOT_ELIGIBLE, field="work_book_record")
        dependant.stopped_working_proof = "work_book"
        dependant.stopped_working_proved_on = today
        dependant.work_book_record = record
        dependant.save(
            update_fields=["stopped_working_proof", "stopped_working_proved_on", "work_book_record", "updated_at"]
        )
    return dependant
