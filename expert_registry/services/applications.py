"""E-2, E-3 (declared data and uploads), E-4 (refusal to accept documents)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from expert_registry import errors, locks
from expert_registry.models import Announcement, Application, ApplicationDocument, Expert
from expert_registry.services.experts import expert_status_change
from expert_registry.services.notices import DOCUMENT_REFUSAL_GROUNDS, cabinet_message, documents_refused_notify
from portal.consent.models import Consent
from portal.consent.services import consent_give
from portal.errors import ApplicationError, ApplicationErrors, ConflictError, ErrorCode, ErrorItem
from portal.nosology.models import NosologyGroup
from portal.people.models import Person
from portal.uploads import files_removed_on_error, upload_check

# E-3 (1): the diploma's specialty (point 7, 1).
ALLOWED_SPECIALTIES = frozenset(
    {
        Application.Specialty.GENERAL_MEDICINE,
        Application.Specialty.MEDICAL_CARE,
        Application.Specialty.PAEDIATRICS,
    }
)
# E-3 (4): at least 2 credits (60 hours) in the last 5 years, unless more than 5 years in MSE departments.
MIN_TRAINING_HOURS = 60
MSE_EXPERIENCE_EXEMPT_MONTHS = 5 * 12
CONSENT_PURPOSE = (
    "appendix 1: inclusion in the registry of experts taking part in remote proactive examination "
    "(full name, IIN, bank details, e-mail, phone), until exclusion from the registry"
)


@dataclass
class ApplicationInput:
    """Appendix 1's fields and the declared data of points 5 and 7."""

    residence_address: str
    nosology_groups: list[NosologyGroup]
    email: str
    phone: str
    consent: bool
    tariff_accepted: bool
    warned_false_information: bool
    warned_equipment: bool
    diploma_specialty: str
    diploma_foreign: bool
    certificate_specialty: str
    certificate_number: str
    mse_experience_months: int
    training_hours_last_5_years: int
    uploads: dict[str, tuple[str, IO[bytes]]] = field(default_factory=dict)  # kind -> (name, file)


def declared_data_problems(data: ApplicationInput) -> list[ErrorItem]:
    """Every problem of the form at once, each with its field (E-2, E-3 on the declared data)."""
    problems: list[ErrorItem] = []

    def add(name: str, code: ErrorCode) -> None:
        problems.append(ErrorItem(name, code.code, str(code.message)))

    if not data.residence_address.strip():
        add("residence_address", ErrorCode("required", errors.WARNING_REQUIRED.message))
    if not data.nosology_groups:
        add("nosology_groups", errors.NOSOLOGY_REQUIRED)
    if not data.email.strip():
        add("email", errors.EMAIL_REQUIRED)
    if not data.consent:
        add("consent", errors.CONSENT_REQUIRED)
    if not data.tariff_accepted:
        add("tariff_accepted", errors.TARIFF_REQUIRED)
    if not data.warned_false_information:
        add("warned_false_information", errors.WARNING_REQUIRED)
    if not data.warned_equipment:
        add("warned_equipment", errors.WARNING_REQUIRED)
    if data.diploma_specialty not in ALLOWED_SPECIALTIES:
        add("diploma_specialty", errors.SPECIALTY_NOT_ALLOWED)
    if data.diploma_foreign and ApplicationDocument.Kind.RECOGNITION not in data.uploads:
        add("recognition", errors.RECOGNITION_REQUIRED)
    if (
        data.training_hours_last_5_years < MIN_TRAINING_HOURS
        and data.mse_experience_months <= MSE_EXPERIENCE_EXEMPT_MONTHS
    ):
        add("training_hours_last_5_years", errors.TRAINING_REQUIRED)
    return problems


def _expert_for_candidate(*, person: Person, actor: Any, today: dt.date) -> Expert:
    expert = Expert.objects.filter(person=person).first()
    if expert is None:
        expert = Expert.objects.create(
            person=person,
            kind=Expert.Kind.INDEPENDENT,
            position=Expert.Position.DOCTOR_EXPERT,
            status=Expert.Status.APPLICANT,
            status_since=today,
        )
        from expert_registry.services.experts import _record

        _record(expert=expert, old="", new=Expert.Status.APPLICANT, actor=actor, on_date=today)
        return expert
    if expert.status == Expert.Status.EXCLUDED and expert.exclusion_ground == Expert.ExclusionGround.INDICATOR_MISSED:
        raise ApplicationError(errors.EXCLUDED_FOR_EVER, field="announcement")  # E-7: never again after (5)
    if expert.status in (Expert.Status.REFUSED, Expert.Status.EXCLUDED):
        return expert_status_change(expert=expert, to_status=Expert.Status.APPLICANT, actor=actor, on_date=today)
    if expert.status == Expert.Status.APPLICANT:
        return expert
    raise ConflictError(errors.ALREADY_IN_REGISTRY, field="announcement")


@transaction.atomic
def application_submit(
    *, announcement: Announcement, person: Person, data: ApplicationInput, actor: Any, now: dt.datetime | None = None
) -> Application:
    """A candidate's application (appendix 1): refused outside the window, when the declared data
    fail a rule, or when a live one exists under the announcement. Nothing is saved when refused."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not announcement.is_open_on(today):
        raise ApplicationError(
            errors.ANNOUNCEMENT_CLOSED.format(
                start=date_format(announcement.acceptance_starts_on, "d.m.Y"),
                end=date_format(announcement.acceptance_ends_on, "d.m.Y"),
            ),
            field="announcement",
        )
    problems = declared_data_problems(data)
    checked = {}
    for kind, (name, file) in data.uploads.items():
        try:
            checked[kind] = (name, upload_check(name=name, file=file, field=kind))
        except ApplicationError as exc:
            problems.extend(exc.items)
    if problems:
        raise ApplicationErrors(problems)
    locks.person_applications_for_update(person.pk)
    if (
        Application.objects.filter(announcement=announcement, person=person)
        .exclude(
            status__in=[Application.Status.DOCUMENTS_REFUSED, Application.Status.REFUSED, Application.Status.WITHDRAWN]
        )
        .exists()
    ):
        raise ConflictError(errors.DUPLICATE_APPLICATION, field="announcement")
    expert = _expert_for_candidate(person=person, actor=actor, today=today)
    # the consent of appendix 1 is the person's own act in their session.
    consent = consent_give(
        subject=person,
        given_by=person,
        scope=Consent.Scope.PERSONAL_DATA,
        purpose=CONSENT_PURPOSE,
        channel=Consent.Channel.PORTAL,
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                announcement=announcement,
                person=person,
                expert=expert,
                residence_address=data.residence_address.strip(),
                email=data.email.strip(),
                phone=data.phone.strip(),
                consent=consent,
                tariff_accepted=data.tariff_accepted,
                warned_false_information=data.warned_false_information,
                warned_equipment=data.warned_equipment,
                diploma_specialty=data.diploma_specialty,
                diploma_foreign=data.diploma_foreign,
                certificate_specialty=data.certificate_specialty.strip(),
                certificate_number=data.certificate_number.strip(),
                mse_experience_months=data.mse_experience_months,
                training_hours_last_5_years=data.training_hours_last_5_years,
                submitted_at=now,
            )
    except IntegrityError as exc:  # the one-live-application constraint, whatever raced
        raise ConflictError(errors.DUPLICATE_APPLICATION, field="announcement") from exc
    application.nosology_groups.set(data.nosology_groups)
    from expert_registry.services.statechecks import application_document_store, application_state_checks_create

    # a failure here removes the files already stored; a rollback after this block leaves files no row
    # names, which the nightly sweep deletes (``portal.uploads.private_uploads_orphans_sweep``)
    with files_removed_on_error() as store:
        for kind, (_name, upload) in checked.items():
            application_document_store(application=application, kind=kind, upload=upload, store=store)
    from expert_registry.tasks import state_checks_run

    # E-3: ask the state systems once the application is committed.
    application_state_checks_create(application=application)
    application_id = application.pk
    transaction.on_commit(lambda: state_checks_run.delay(application_id))
    return application


@transaction.atomic
def application_documents_refuse(*, application: Application, grounds: list[str], actor: Any) -> Application:
    """E-4: refuse to accept the documents on one or more grounds: N-E3 and a cabinet message."""
    if not grounds or any(g not in DOCUMENT_REFUSAL_GROUNDS for g in grounds):
        raise ApplicationError(errors.REFUSAL_GROUND_REQUIRED, field="grounds")
    application = locks.application_for_update(application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ConflictError(errors.NOT_SUBMITTED, field="status")
    application.status, application.decided_at = Application.Status.DOCUMENTS_REFUSED, timezone.now()
    application.refusal_grounds = list(grounds)
    application.save(update_fields=["status", "decided_at", "refusal_grounds", "updated_at"])
    expert_status_change(expert=application.expert, to_status=Expert.Status.REFUSED, actor=actor)
    documents_refused_notify(application=application, grounds=grounds)
    return application


@transaction.atomic
def application_admit_to_testing(
    *, application: Application, actor: Any, notified_on: dt.date | None = None
) -> Application:
    """Documents accepted: the candidate is notified and has 10 calendar days to take the test (E-5)."""
    from expert_registry.services.statechecks import application_checks_open
    from expert_registry.services.testing import test_deadline_from

    application = locks.application_for_update(application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ConflictError(errors.NOT_SUBMITTED, field="status")
    if application_checks_open(application=application):
        raise ConflictError(errors.CHECKS_OPEN, field="status")
    notified_on = notified_on or timezone.localdate()
    application.status = Application.Status.TESTING
    application.test_notified_on = notified_on
    application.test_deadline = test_deadline_from(notified_on)
    application.save(update_fields=["status", "test_notified_on", "test_deadline", "updated_at"])
    expert_status_change(expert=application.expert, to_status=Expert.Status.TESTING, actor=actor, on_date=notified_on)
    from django.utils.translation import gettext_lazy as _

    cabinet_message(
        application=application,
        text=_("Your documents were accepted. Take the test within 10 calendar days."),
    )
    return application
