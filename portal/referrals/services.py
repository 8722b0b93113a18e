from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Integrator
from portal.errors import ApplicationError, ErrorItem, ForbiddenError
from portal.people.errors import PERSON_UNKNOWN
from portal.people.models import Person
from portal.referrals.models import MedicalOrganisation, Referral, ReferralExamination, referral_valid_until
from portal.referrals.routing import referral_routed, route_for
from portal.validators import normalize_icd10

# A MIS clock a little ahead of ours is not an error; more than this is.
CLOCK_SKEW = dt.timedelta(minutes=5)

MSG_EXPIRED = _("The referral was signed more than one month ago and is no longer valid (S-2).")
MSG_FUTURE = _("The signing time is in the future.")
MSG_ORG_UNKNOWN = _("No medical organisation with this BIN is registered.")
MSG_ORG_FOREIGN = _("This integrator may not submit referrals of this medical organisation.")
MSG_DUPLICATE = _("This referral number was already submitted with different content.")
MSG_EXAM_AFTER_SIGNING = _("The examination is dated after the referral was signed.")
MSG_EXAM_BEFORE_BIRTH = _("The examination is dated before the person was born.")


@transaction.atomic
def referral_intake(
    *,
    integrator: Integrator,
    person_iin: str,
    organisation_bin: str,
    external_id: str,
    icd10: str,
    signed_at: dt.datetime,
    vkk_chair_name: str,
    vkk_chair_iin: str = "",
    diagnosis_text: str = "",
    signature: str = "",
    examinations: list[dict] | None = None,
    extra_checks=None,
) -> tuple[Referral, bool]:
    """Store a signed form 031/u from a MIS and route it. Returns (referral, created).

    The same (organisation, external_id) sent again with the same content returns the stored one,
    so a MIS that retries after a timeout does not create a second referral.
    """
    now = timezone.now()
    errors: list[ErrorItem] = []
    try:
        icd10 = normalize_icd10(icd10)
    except ValidationError as exc:
        errors.append(ErrorItem("icd10", "icd10_invalid", exc.messages[0]))
    if signed_at > now + CLOCK_SKEW:
        errors.append(ErrorItem("signed_at", "referral_future", MSG_FUTURE))
    elif referral_valid_until(signed_at) < now:
        errors.append(ErrorItem("signed_at", "referral_expired", MSG_EXPIRED))
    person = Person.objects.filter(iin=person_iin).first()
    if person is None:
        errors.append(ErrorItem("person_iin", PERSON_UNKNOWN.code, PERSON_UNKNOWN.message))
    org = MedicalOrganisation.objects.filter(bin=organisation_bin).first()
    if org is None:
        errors.append(ErrorItem("organisation_bin", "organisation_unknown", MSG_ORG_UNKNOWN))
    elif org.integrator_id != integrator.pk:
        raise ForbiddenError(MSG_ORG_FOREIGN, code="organisation_foreign", field="organisation_bin")
    if not any(e.field == "signed_at" for e in errors):
        # measured against the signing date, so only once that date is itself acceptable
        errors.extend(_examination_date_errors(examinations or [], signed_at=signed_at, person=person))
    if extra_checks and not errors:
        errors.extend(extra_checks(icd10=icd10, examinations=examinations or []))
    if errors:
        from portal.errors import ApplicationErrors

        raise ApplicationErrors(errors)

    content = {
        "person": person,
        "icd10": icd10,
        "diagnosis_text": diagnosis_text,
        "signed_at": signed_at,
        "vkk_chair_name": vkk_chair_name,
        "vkk_chair_iin": vkk_chair_iin,
    }
    exams = [
        {
            "code": e["code"],
            "title": e.get("title", e["code"]),
            "performed_on": e.get("performed_on"),
            "conclusion": e.get("conclusion", ""),
        }
        for e in (examinations or [])
    ]
    existing = Referral.objects.filter(medical_organisation=org, external_id=external_id).first()
    if existing is not None:
        return _same_or_duplicate(existing, content, exams), False
    try:
        # A savepoint: two identical submissions racing each other meet at the unique constraint,
        # and the loser answers like a resend instead of failing.
        with transaction.atomic():
            referral = Referral.objects.create(
                medical_organisation=org, external_id=external_id, signature=signature, **content
            )
    except IntegrityError:
        existing = Referral.objects.get(medical_organisation=org, external_id=external_id)
        return _same_or_duplicate(existing, content, exams), False
    ReferralExamination.objects.bulk_create([ReferralExamination(referral=referral, **e) for e in exams])
    referral_route(referral=referral)
    return referral, True


def _examination_date_errors(examinations: list[dict], *, signed_at: dt.datetime, person) -> list[ErrorItem]:
    """An examination on the form was done before the VKK chair signed it, and not before the
    person was born. No tighter lower bound: P-3's karyotype and geneticist conclusion are taken
    "at diagnosis", which for Down syndrome may be the day of birth."""
    signed_on = timezone.localdate(signed_at)
    born_on = person.birth_date if person is not None else None
    errors = []
    for i, exam in enumerate(examinations):
        performed_on = exam.get("performed_on")
        if performed_on is None:
            continue
        field = f"examinations.{i}.performed_on"
        if performed_on > signed_on:
            errors.append(ErrorItem(field, "examination_after_signing", MSG_EXAM_AFTER_SIGNING))
        elif born_on is not None and performed_on < born_on:
            errors.append(ErrorItem(field, "examination_before_birth", MSG_EXAM_BEFORE_BIRTH))
    return errors


def _exam_key(e: dict) -> tuple:
    return (e["code"], e["title"], e["performed_on"], e["conclusion"])


def _same_or_duplicate(existing: Referral, content: dict, exams: list[dict]) -> Referral:
    """A resend must carry the same content as the stored referral; anything else is refused."""
    same = all(getattr(existing, k) == v for k, v in content.items()) and sorted(
        _exam_key(e) for e in existing.examinations.values("code", "title", "performed_on", "conclusion")
    ) == sorted(_exam_key(e) for e in exams)
    if not same:
        raise ApplicationError(MSG_DUPLICATE, code="referral_duplicate", field="external_id")
    return existing


@transaction.atomic
def referral_route(*, referral: Referral) -> Referral:
    referral.route = route_for(referral)
    referral.status = Referral.Status.ROUTED
    referral.save(update_fields=["route", "status", "updated_at", "valid_until"])
    referral_routed.send(sender=Referral, referral=referral, route=referral.route)
    return referral


def referral_require_valid(*, referral: Referral, moment=None) -> None:
    """Q-6 (a) / S-2: refuse an expired or closed referral."""
    if not referral.is_valid_at(moment):
        raise ApplicationError(MSG_EXPIRED, code="referral_expired", field="referral")
