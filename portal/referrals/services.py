from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Integrator
from portal.errors import ApplicationError, ApplicationErrors, ErrorItem, ForbiddenError
from portal.people.errors import PERSON_UNKNOWN
from portal.people.models import Person
from portal.referrals.models import MedicalOrganisation, Referral, ReferralExamination, referral_valid_until
from portal.referrals.routing import (
    IntakeRefusal,
    intake_check_refusals,
    intake_refusals_record,
    referral_routed,
    route_for,
)
from portal.referrals.signing import referral_signed_content
from portal.signatures.services import VerificationResult, signature_attach, signature_verify
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
# P-5: the signature of the form 031/u
MSG_SIGNATURE_REQUIRED = _("The form must carry the VKK chair's electronic signature (CMS).")
MSG_CHAIR_IIN_REQUIRED = _("The IIN of the VKK chair who signed the form is required.")
MSG_SIGNATURE_UNREADABLE = _("The signature is not a readable CMS signature with the signer's certificate.")
MSG_SIGNATURE_CONTENT = _("The signature does not match the content of the referral.")
MSG_SIGNATURE_UNTRUSTED = _("The signer's certificate does not lead to a trusted certification authority.")
MSG_SIGNATURE_EXPIRED = _("The signer's certificate was not valid at the signing time.")
MSG_SIGNATURE_REVOKED = _("The signer's certificate is revoked.")
MSG_SIGNATURE_SIGNER = _("The form is not signed by the VKK chair named in it, of this medical organisation.")
MSG_SIGNATURE_UNAVAILABLE = _("The signature cannot be verified right now. Send the referral again later.")

SIGNATURE_MESSAGES = {
    "content_mismatch": MSG_SIGNATURE_CONTENT,
    "bad_signature": MSG_SIGNATURE_CONTENT,
    "untrusted_chain": MSG_SIGNATURE_UNTRUSTED,
    "issuer_not_trusted": MSG_SIGNATURE_UNTRUSTED,
    "server_refused": MSG_SIGNATURE_UNTRUSTED,
    "role_missing": MSG_SIGNATURE_UNTRUSTED,
    "certificate_expired": MSG_SIGNATURE_EXPIRED,
    "certificate_revoked": MSG_SIGNATURE_REVOKED,
    "iin_mismatch": MSG_SIGNATURE_SIGNER,
    "bin_mismatch": MSG_SIGNATURE_SIGNER,
}


class SignatureUnavailableError(ApplicationError):
    """The verifier could not say (its server down): the MIS sends the form again later."""

    status = 503


class IntakeRefusedError(ApplicationErrors):
    """An app's intake check refused the form (the remote pilot's P-4): its items, and the refusals
    to record once the intake's transaction has rolled back."""

    def __init__(self, refusals: list[IntakeRefusal]):
        super().__init__([item for r in refusals for item in r.items])
        self.refusals = refusals


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

    P-5: ``signature`` is a CMS over ``referral_signed_content`` by the VKK chair ``vkk_chair_iin``,
    an employee of the organisation (the certificate's ``OU=BIN``), chaining to a trusted root.
    It is verified before the intake's transaction opens, so the verification's audit row stays
    when the referral is refused. A revocation the verifier could not establish is accepted and
    flagged for staff (``signature_revocation_unknown``).

    The same (organisation, external_id) sent again with the same content returns the stored one,
    so a MIS that retries after a timeout does not create a second referral.
    """
    try:
        canonical_icd10 = normalize_icd10(icd10)
    except ValidationError:
        canonical_icd10 = icd10
    signature_check = _signature_check(
        signature=signature,
        vkk_chair_iin=vkk_chair_iin,
        organisation_bin=organisation_bin,
        content=referral_signed_content(
            person_iin=person_iin,
            organisation_bin=organisation_bin,
            external_id=external_id,
            icd10=canonical_icd10,
            signed_at=signed_at,
            vkk_chair_name=vkk_chair_name,
            vkk_chair_iin=vkk_chair_iin,
            diagnosis_text=diagnosis_text,
            examinations=examinations,
        ),
    )
    try:
        return _referral_intake_store(
            integrator=integrator,
            person_iin=person_iin,
            organisation_bin=organisation_bin,
            external_id=external_id,
            icd10=icd10,
            signed_at=signed_at,
            vkk_chair_name=vkk_chair_name,
            vkk_chair_iin=vkk_chair_iin,
            diagnosis_text=diagnosis_text,
            signature=signature,
            examinations=examinations,
            extra_checks=extra_checks,
            signature_check=signature_check,
        )
    except IntakeRefusedError as refused:
        # the intake's transaction has rolled back: the refusing apps record it now, each in its own
        intake_refusals_record(refused.refusals)
        raise


def _signature_check(
    *, signature: str, vkk_chair_iin: str, organisation_bin: str, content: bytes
) -> ErrorItem | VerificationResult:
    """P-5: the signature's refusal, or its valid verification; outside any transaction.

    A refused signature's verification is stored all the same (its audit row)."""
    if not vkk_chair_iin:
        return ErrorItem("vkk_chair_iin", "vkk_chair_iin_required", MSG_CHAIR_IIN_REQUIRED)
    if not signature:
        return ErrorItem("signature", "signature_required", MSG_SIGNATURE_REQUIRED)
    result = signature_verify(
        cms=signature,
        content=content,
        expected_iin=vkk_chair_iin,
        expected_bin=organisation_bin,
        purpose="referral_031u",
    )
    if result.outcome == "unknown":
        raise SignatureUnavailableError(MSG_SIGNATURE_UNAVAILABLE, code="signature_unavailable", field="signature")
    if result.outcome != "valid":
        message = SIGNATURE_MESSAGES.get(result.reason, MSG_SIGNATURE_UNREADABLE)
        return ErrorItem("signature", f"signature_{result.reason}", message)
    return result


@transaction.atomic
def _referral_intake_store(
    *,
    integrator: Integrator,
    person_iin: str,
    organisation_bin: str,
    external_id: str,
    icd10: str,
    signed_at: dt.datetime,
    vkk_chair_name: str,
    vkk_chair_iin: str,
    diagnosis_text: str,
    signature: str,
    examinations: list[dict] | None,
    extra_checks,
    signature_check: ErrorItem | VerificationResult,
) -> tuple[Referral, bool]:
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
    if isinstance(signature_check, ErrorItem):
        raise ApplicationErrors([*errors, signature_check])
    if errors:
        raise ApplicationErrors(errors)
    verification = signature_check

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
    # The apps' checks (the remote pilot's mandatory examinations, P-4) see the referral as it would
    # be stored; a refusal raises here, before anything is written.
    refusals = intake_check_refusals(
        referral=Referral(medical_organisation=org, external_id=external_id, **content), examinations=exams
    )
    if refusals:
        raise IntakeRefusedError(refusals)
    try:
        # A savepoint: two identical submissions racing each other meet at the unique constraint,
        # and the loser answers like a resend instead of failing.
        with transaction.atomic():
            referral = Referral.objects.create(
                medical_organisation=org,
                external_id=external_id,
                signature=signature,
                signature_verification=verification.verification,
                signature_revocation_unknown=verification.revocation != "ok",
                **content,
            )
    except IntegrityError:
        existing = Referral.objects.get(medical_organisation=org, external_id=external_id)
        return _same_or_duplicate(existing, content, exams), False
    signature_attach(verification=verification.verification, document=referral)
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
