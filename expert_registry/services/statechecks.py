"""E-3: the seven documents of point 7 asked of state systems, through the core's one port.

After an application is submitted (``application_submit`` creates seven ``StateDocumentCheck`` rows
and enqueues ``expert_registry.state_checks_run`` after commit), each open check asks its system
(``portal.statedata.statedata_query``). The network calls are made outside any transaction; the
answers are written under the application's row lock.

A system that does not answer leaves its check open (``unavailable``): the beat
``expert_registry.state_checks_retry`` asks again, and nothing is decided until every one of the
seven has answered, so a broken line never becomes a refusal. Once all have answered:

- a found disqualifier ((5), (6), (7)), an expired certificate (3), a diploma outside the three
  specialties (1) or a certificate of another specialty than the declared one (E-2) refuses the
  documents automatically (E-4, N-E3) with every ground that applies;
- what the systems lack for (1)-(4) the candidate uploads in the cabinet
  (``application_document_upload``); the Committee then checks the copies and admits to testing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expert_registry import errors, locks, statesystems
from expert_registry.models import Application, ApplicationDocument, StateDocumentCheck
from expert_registry.services.notices import cabinet_message
from expert_registry.statesystems import Diploma, Employment, Registration, SpecialistCertificate, Training
from portal.errors import ApplicationError, ConflictError
from portal.statedata.services import StateAnswer, statedata_query
from portal.uploads import CheckedUpload, files_removed_on_error, upload_check

D = StateDocumentCheck.Document
O = StateDocumentCheck.Outcome  # noqa: E741 - the outcome's initial, as the model names it
V = StateDocumentCheck.Verdict
K = ApplicationDocument.Kind

# point 7: the document -> the system asked and the type it answers
SYSTEM_OF: dict[str, tuple[str, type]] = {
    D.DIPLOMA: (statesystems.DIPLOMA, Diploma),
    D.EMPLOYMENT: (statesystems.EMPLOYMENT, Employment),
    D.CERTIFICATE: (statesystems.CERTIFICATE, SpecialistCertificate),
    D.TRAINING: (statesystems.TRAINING, Training),
    D.PSYCHIATRIC: (statesystems.PSYCHIATRIC, Registration),
    D.NARCOLOGICAL: (statesystems.NARCOLOGICAL, Registration),
    D.CRIMINAL: (statesystems.CRIMINAL, Registration),
}
# what the candidate uploads when a system lacks (1)-(4)
UPLOAD_OF: dict[str, str] = {
    D.DIPLOMA: K.DIPLOMA,
    D.EMPLOYMENT: K.EMPLOYMENT,
    D.CERTIFICATE: K.CERTIFICATE,
    D.TRAINING: K.TRAINING,
}
# E-3 (1): the classifier's specialties
ALLOWED_DIPLOMA_SPECIALTIES = frozenset({"general_medicine", "medical_care", "paediatrics"})
# E-3 (4): 2 credits (60 hours) in the last 5 years, not needed with more than 5 years in MSE departments
TRAINING_MIN_HOURS = 60
TRAINING_YEARS = 5
MSE_EXEMPT_MONTHS = 5 * 12
REFUSAL_VERDICTS = (V.EXPIRED, V.DISQUALIFYING, V.NO_PROOF)

MSG_DIPLOMA_SPECIALTY = _("the diploma's specialty is not general medicine, medical care or paediatrics")
MSG_FOREIGN = _("a foreign diploma without recognition or nostrification in the state systems: upload it")
MSG_CERT_EXPIRED = _("the specialist certificate expired on %(date)s")
MSG_CERT_OTHER = _("the specialist certificate is of another specialty than the one declared")
MSG_TRAINING_SHORT = _("%(hours)s hours of MSE training found in the last 5 years, 60 are needed")
MSG_MSE_EXEMPT = _("more than 5 years in MSE departments")
MSG_REGISTERED = _("a record was found")


def application_state_checks_create(*, application: Application) -> list[StateDocumentCheck]:
    """The seven open checks of a new application (inside ``application_submit``'s transaction)."""
    return StateDocumentCheck.objects.bulk_create(
        [StateDocumentCheck(application=application, document=doc, system=SYSTEM_OF[doc][0]) for doc in D.values]
    )


@dataclass(frozen=True)
class _Asked:
    check_id: int
    answer: StateAnswer[Any]


def application_state_checks_run(*, application_id: int, now: dt.datetime | None = None) -> bool:
    """Ask every open check's system once; decide when all seven have answered. Safe to run again:
    answered checks are not asked again and a decided application is left alone. True when done."""
    now = now or timezone.now()
    application = Application.objects.select_related("person").get(pk=application_id)
    if application.status != Application.Status.SUBMITTED:
        return True
    asked = []
    for check in application.state_checks.filter(outcome__in=[O.PENDING, O.UNAVAILABLE]):
        system, as_type = SYSTEM_OF[check.document]
        asked.append(_Asked(check.pk, statedata_query(system=system, key=application.person.iin, as_type=as_type)))
    return _record_and_decide(application_id=application_id, asked=asked, now=now)


@transaction.atomic
def _record_and_decide(*, application_id: int, asked: list[_Asked], now: dt.datetime) -> bool:
    application = locks.application_for_update(application_id)
    if application.status != Application.Status.SUBMITTED:
        return True
    checks = {c.pk: c for c in application.state_checks.select_for_update()}
    for item in asked:
        check = checks[item.check_id]
        if not check.is_open:
            continue  # answered by a run that overlapped this one
        check.outcome = item.answer.outcome
        check.facts = _facts(check.document, item.answer, timezone.localdate(now)) if item.answer.found else {}
        check.reference = item.answer.reference[:80]
        check.asked_count += 1
        check.asked_at = now
        check.save(update_fields=["outcome", "facts", "reference", "asked_count", "asked_at", "updated_at"])
    if any(c.is_open for c in checks.values()):
        return False
    today = timezone.localdate(now)
    first_decision = any(c.verdict == V.PENDING for c in checks.values())
    _verdicts(application=application, checks=list(checks.values()), today=today)
    grounds = sorted({c.verdict for c in checks.values() if c.verdict in REFUSAL_VERDICTS})
    if grounds:
        from expert_registry.services.applications import application_documents_refuse

        application_documents_refuse(application=application, grounds=[str(g) for g in grounds], actor=None)
        return True
    if first_decision:
        _checks_done_message(application=application, checks=list(checks.values()))
    return True


def _facts(doc: str, answer: StateAnswer[Any], today: dt.date) -> dict[str, Any]:
    """What a later verdict needs of an answer, kept on the check (the answer itself is not stored)."""
    value = answer.value
    facts: dict[str, Any] = {}
    if isinstance(value, Diploma):
        facts = {"specialty": value.specialty, "foreign": value.foreign, "recognised": value.recognised}
    elif isinstance(value, Employment):
        facts = {"continuous_months": value.continuous_months, "mse_months": value.mse_months}
    elif isinstance(value, SpecialistCertificate):
        facts = {
            "specialty": value.specialty,
            "valid_until": value.valid_until.isoformat() if value.valid_until else None,
        }
    elif isinstance(value, Training):
        facts = {"hours_last_5_years": value.hours_since(_years_before(today, TRAINING_YEARS))}
    elif isinstance(value, Registration):
        facts = {"registered": value.registered}
    return facts


def _verdicts(*, application: Application, checks: list[StateDocumentCheck], today: dt.date) -> None:
    """Once all seven have answered: what each answer means. A verdict once given stays."""
    by_doc = {c.document: c for c in checks}
    employment = by_doc[D.EMPLOYMENT]
    mse_months = employment.facts.get("mse_months") if employment.outcome == O.FOUND else None
    uploaded = set(application.documents.values_list("kind", flat=True))
    for check in checks:
        if check.verdict == V.PENDING:
            verdict, detail, upload = _verdict(check, application=application, mse_months=mse_months, today=today)
            check.verdict, check.detail, check.upload_kind = verdict, str(detail)[:300], upload
        if check.verdict == V.UPLOAD and check.upload_kind in uploaded:
            check.verdict = V.UPLOADED
        check.save(update_fields=["verdict", "detail", "upload_kind", "updated_at"])


def _verdict(
    check: StateDocumentCheck, *, application: Application, mse_months: int | None, today: dt.date
) -> tuple[str, object, str]:
    doc, facts, found = check.document, check.facts, check.outcome == O.FOUND
    if doc in (D.PSYCHIATRIC, D.NARCOLOGICAL, D.CRIMINAL):
        # "no record" is the answer "not registered, no conviction"
        return (V.DISQUALIFYING, MSG_REGISTERED, "") if found and facts.get("registered") else (V.OK, "", "")
    if doc == D.TRAINING and mse_months is not None and mse_months > MSE_EXEMPT_MONTHS:
        return V.NOT_NEEDED, MSG_MSE_EXEMPT, ""
    if not found:
        return V.UPLOAD, "", UPLOAD_OF[doc]
    if doc == D.DIPLOMA:
        if facts.get("specialty") not in ALLOWED_DIPLOMA_SPECIALTIES:
            return V.NO_PROOF, MSG_DIPLOMA_SPECIALTY, ""
        if facts.get("foreign") and not facts.get("recognised"):
            return V.UPLOAD, MSG_FOREIGN, K.RECOGNITION
        return V.OK, "", ""
    if doc == D.EMPLOYMENT:
        return (V.OK, "", "") if facts.get("continuous_months", 0) > 0 else (V.UPLOAD, "", K.EMPLOYMENT)
    if doc == D.CERTIFICATE:
        valid_until = dt.date.fromisoformat(facts["valid_until"]) if facts.get("valid_until") else None
        if valid_until is not None and valid_until < today:
            return V.EXPIRED, MSG_CERT_EXPIRED % {"date": valid_until.strftime("%d.%m.%Y")}, ""
        declared = application.certificate_specialty.strip().casefold()
        specialty = str(facts.get("specialty", "")).strip().casefold()
        if declared and specialty and specialty != declared:
            return V.NO_PROOF, MSG_CERT_OTHER, ""
        return V.OK, "", ""
    hours = int(facts.get("hours_last_5_years", 0))
    if hours >= TRAINING_MIN_HOURS:
        return V.OK, "", ""
    return V.UPLOAD, MSG_TRAINING_SHORT % {"hours": hours}, K.TRAINING


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _checks_done_message(*, application: Application, checks: list[StateDocumentCheck]) -> None:
    if any(c.verdict == V.UPLOAD for c in checks):
        cabinet_message(
            application=application,
            text=_(
                "The state systems have no record of some of your documents. Upload their copies in your "
                "cabinet; the Committee checks them."
            ),
        )
    else:
        cabinet_message(
            application=application,
            text=_("Your documents were confirmed by the state systems. The Committee will notify you of the test."),
        )


def application_checks_open(*, application: Application) -> bool:
    """The Committee waits: a system has not answered, or a copy the systems lack is not uploaded."""
    return application.state_checks.filter(outcome__in=[O.PENDING, O.UNAVAILABLE]).exists() or (
        application.state_checks.filter(verdict=V.UPLOAD).exists()
    )


def applications_with_open_checks() -> list[int]:
    """Submitted applications some of whose systems have not answered yet (the retry beat's work)."""
    return list(
        Application.objects.filter(
            status=Application.Status.SUBMITTED, state_checks__outcome__in=[O.PENDING, O.UNAVAILABLE]
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def application_document_store(
    *, application: Application, kind: str, upload: CheckedUpload, store: Callable[..., None]
) -> ApplicationDocument:
    """Save one checked upload of ``application`` as its ``kind`` document, the file stored through
    ``store`` (``portal.uploads.files_removed_on_error``) under the kind, never the name the
    candidate's file had (it may name them)."""
    document = ApplicationDocument(
        application=application,
        kind=kind,
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=upload.sha256,
    )
    store(document.file, upload, kind)
    document.save()
    return document


@transaction.atomic
def application_document_upload(
    *, application: Application, kind: str, name: str, file: IO[bytes]
) -> ApplicationDocument:
    """The candidate uploads a copy the state systems lack ((1)-(4)) while the documents are checked."""
    if kind not in K.values:
        raise ApplicationError(errors.UPLOAD_KIND, field="kind")
    upload = upload_check(name=name, file=file, field="file")
    application = locks.application_for_update(application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ConflictError(errors.NOT_SUBMITTED, field="application")
    with files_removed_on_error() as store:
        document = application_document_store(application=application, kind=kind, upload=upload, store=store)
    application.state_checks.filter(verdict=V.UPLOAD, upload_kind=kind).update(
        verdict=V.UPLOADED, updated_at=timezone.now()
    )
    return document
