"""Writes of the register of MSE acts: acts (P-8, S-4, S-5), refusals (S-6), field plans (S-4),
and the re-examination reminders (X-10)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from portal import messaging
from portal.accounts.models import User
from portal.accounts.staff import MSG_NOT_STAFF, staff_require
from portal.acts import errors
from portal.acts.locks import act_number_sequence_lock
from portal.acts.models import (
    FIELD_PLACES,
    Category,
    ExaminationPlan,
    MseAct,
    Place,
    RefusalGround,
    ServiceRefusal,
    StaffSignatory,
    TermReminder,
)
from portal.acts.pension import is_pension_age
from portal.acts.signals import act_registered
from portal.acts.signing import act_signed_content
from portal.errors import ApplicationError, ApplicationErrors, ErrorCode, ErrorItem, ForbiddenError, NotFoundError
from portal.people.models import Person
from portal.people.selectors import active_guardianships
from portal.referrals.models import Referral
from portal.signatures.services import VerificationResult, signature_attach, signature_verify
from portal.territory.models import MseDepartment
from portal.territory.selectors import department_for_atu
from portal.validators import iin_is_female

logger = logging.getLogger(__name__)

# X-10: the SMS reminding a person to get a new form 031/u (seeded by notifications' migration 0006)
REMINDER_TEMPLATE = "act_term_reminder"
# S-5: the SMS saying the result is in the cabinet (seeded by notifications' migration 0007)
RESULT_READY_TEMPLATE = "act_result_ready"

SIGNATURE_ERRORS: dict[str, ErrorCode] = {
    "content_mismatch": errors.SIGNATURE_CONTENT,
    "bad_signature": errors.SIGNATURE_CONTENT,
    "untrusted_chain": errors.SIGNATURE_UNTRUSTED,
    "issuer_not_trusted": errors.SIGNATURE_UNTRUSTED,
    "server_refused": errors.SIGNATURE_UNTRUSTED,
    "role_missing": errors.SIGNATURE_UNTRUSTED,
    "certificate_expired": errors.SIGNATURE_EXPIRED,
    "certificate_revoked": errors.SIGNATURE_REVOKED,
    "iin_mismatch": errors.SIGNATURE_SIGNER,
    "bin_mismatch": errors.SIGNATURE_SIGNER,
}


class SignatureUnavailableError(ApplicationError):
    """The verifier could not say: the staff member signs again later."""

    status = 503


def department_code(department: MseDepartment) -> str:
    """``<region code>-<department number>``: the region's two-digit KATO prefix and the number."""
    return f"{department.region.kato[:2]}-{department.number}"


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def signer_iin_of(user: User | None) -> str | None:
    """The IIN of the staff member's signing certificate, as the admin recorded it."""
    if user is None:
        return None
    row = StaffSignatory.objects.filter(user=user).first()
    return row.iin if row is not None else None


def _item(code: ErrorCode, field: str) -> ErrorItem:
    return ErrorItem(field, code.code, str(code.message))


def _decision_errors(
    *,
    person: Person,
    referral: Referral | None,
    place: str,
    absentia_consent: bool,
    examined_on: dt.date,
    recognised: bool,
    group: str,
    cause: str,
    category: str,
    term_until: dt.date | None,
    without_term: bool,
    general_capacity_loss: int | None,
    professional_capacity_loss: int | None,
) -> list[ErrorItem]:
    found: list[ErrorItem] = []
    if referral is not None and referral.person_id != person.pk:
        found.append(_item(errors.REFERRAL_OTHER_PERSON, "referral"))
    if place == Place.IN_ABSENTIA and not absentia_consent:
        found.append(_item(errors.ABSENTIA_CONSENT, "absentia_consent"))
    if examined_on > timezone.localdate():
        found.append(_item(errors.EXAMINED_FUTURE, "examined_on"))
    elif examined_on < person.birth_date:
        found.append(_item(errors.EXAMINED_BEFORE_BIRTH, "examined_on"))
    else:
        child = age_on(person.birth_date, examined_on) < 18
        if category != (Category.CHILD if child else Category.ADULT):
            found.append(_item(errors.CATEGORY_AGE, "category"))
    if recognised:
        if not group:
            found.append(_item(errors.GROUP_REQUIRED, "group"))
        if not cause:
            found.append(_item(errors.CAUSE_REQUIRED, "cause"))
        if term_until is not None and without_term:
            found.append(_item(errors.TERM_AND_WITHOUT, "term_until"))
        elif term_until is None and not without_term:
            found.append(_item(errors.TERM_REQUIRED, "term_until"))
        elif term_until is not None and term_until <= examined_on:
            found.append(_item(errors.TERM_IN_PAST, "term_until"))
        elif without_term and category == Category.CHILD:
            found.append(_item(errors.WITHOUT_TERM_CHILD, "without_term"))
    else:
        if group:
            found.append(_item(errors.GROUP_NOT_RECOGNISED, "group"))
        if term_until is not None or without_term:
            found.append(_item(errors.TERM_NOT_RECOGNISED, "term_until"))
    # FACTS (Social Code Art. 155): general 30-100%, professional 5-100%
    if general_capacity_loss is not None and not 30 <= general_capacity_loss <= 100:
        found.append(_item(errors.GENERAL_LOSS_RANGE, "general_capacity_loss"))
    if professional_capacity_loss is not None and not 5 <= professional_capacity_loss <= 100:
        found.append(_item(errors.PROFESSIONAL_LOSS_RANGE, "professional_capacity_loss"))
    return found


def act_decision_check(
    *,
    person: Person,
    referral: Referral | None,
    place: str,
    examined_on: dt.date,
    recognised: bool,
    category: str,
    absentia_consent: bool = False,
    group: str = "",
    cause: str = "",
    term_until: dt.date | None = None,
    without_term: bool = False,
    general_capacity_loss: int | None = None,
    professional_capacity_loss: int | None = None,
    kind: str = "",
    ipr_social: bool = False,
    ipr_professional: bool = False,
    needs_help_and_care: bool = False,
) -> None:
    """The decision's checks of ``act_register``, before anything is signed: a page asks for the
    signature only over a decision the register would accept. Raises ``ApplicationErrors``."""
    found = _decision_errors(
        person=person,
        referral=referral,
        place=place,
        absentia_consent=absentia_consent,
        examined_on=examined_on,
        recognised=recognised,
        group=group,
        cause=cause,
        category=category,
        term_until=term_until,
        without_term=without_term,
        general_capacity_loss=general_capacity_loss,
        professional_capacity_loss=professional_capacity_loss,
    )
    if found:
        raise ApplicationErrors(found)


def act_register(
    *,
    actor_user: User | None,
    person: Person,
    department: MseDepartment,
    kind: str,
    place: str,
    examined_on: dt.date,
    recognised: bool,
    category: str,
    signature: str,
    referral: Referral | None = None,
    absentia_consent: bool = False,
    group: str = "",
    cause: str = "",
    term_until: dt.date | None = None,
    without_term: bool = False,
    general_capacity_loss: int | None = None,
    professional_capacity_loss: int | None = None,
    ipr_social: bool = False,
    ipr_professional: bool = False,
    needs_help_and_care: bool = False,
    signer_iin: str | None = None,
    annex: dict[str, str] | None = None,
) -> MseAct:
    """Register an MSE act (P-8) with the conclusion signed by whoever registers it.

    ``signature`` is a CMS over ``act_signed_content`` by the certificate of ``signer_iin`` (by
    default the IIN recorded for ``actor_user``, ``StaffSignatory``). Department staff register
    their department's acts (``staff_require``); ``actor_user=None`` is a system channel (the
    remote pilot) that names the expert's ``signer_iin`` itself, and the ``annex`` its expert
    signed with the act (``act_signed_content``), kept by that channel.

    The decision is checked first (a group exactly when recognised, a term or "without term" when
    recognised, the percentages' ranges, the category by age on the examination date); then the
    signature is verified outside the transaction, so its audit row stays when the act is refused;
    then the act is numbered and stored in one transaction, and ``act_registered`` is sent after
    commit. A revocation the verifier could not establish is accepted and flagged for staff.
    """
    staff_require(actor_user=actor_user, department=department)
    found = _decision_errors(
        person=person,
        referral=referral,
        place=place,
        absentia_consent=absentia_consent,
        examined_on=examined_on,
        recognised=recognised,
        group=group,
        cause=cause,
        category=category,
        term_until=term_until,
        without_term=without_term,
        general_capacity_loss=general_capacity_loss,
        professional_capacity_loss=professional_capacity_loss,
    )
    signer = signer_iin or signer_iin_of(actor_user)
    if not signer:
        found.append(_item(errors.SIGNER_UNKNOWN, "signature"))
    elif not signature:
        found.append(_item(errors.SIGNATURE_REQUIRED, "signature"))
    if found:
        raise ApplicationErrors(found)
    assert signer is not None
    decision: dict[str, Any] = {
        "kind": kind,
        "place": place,
        "examined_on": examined_on,
        "recognised": recognised,
        "group": group,
        "cause": cause,
        "category": category,
        "term_until": term_until,
        "without_term": without_term,
        "general_capacity_loss": general_capacity_loss,
        "professional_capacity_loss": professional_capacity_loss,
        "ipr_social": ipr_social,
        "ipr_professional": ipr_professional,
        "needs_help_and_care": needs_help_and_care,
    }
    content = act_signed_content(
        person_iin=person.iin,
        department=department_code(department),
        referral=str(referral.public_id) if referral is not None else None,
        signer_iin=signer,
        annex=annex,
        **decision,
    )
    result = signature_verify(cms=signature, content=content, expected_iin=signer, purpose="mse_act")
    if result.outcome == "unknown":
        raise SignatureUnavailableError(errors.SIGNATURE_UNAVAILABLE, field="signature")
    if not result.valid:
        code = SIGNATURE_ERRORS.get(result.reason, errors.SIGNATURE_UNREADABLE)
        raise ApplicationError(code, field="signature")
    return _act_store(
        actor_user=actor_user,
        person=person,
        department=department,
        referral=referral,
        absentia_consent=absentia_consent,
        signature=signature,
        signer_iin=signer,
        verification=result,
        decision=decision,
    )


@transaction.atomic
def _act_store(
    *,
    actor_user: User | None,
    person: Person,
    department: MseDepartment,
    referral: Referral | None,
    absentia_consent: bool,
    signature: str,
    signer_iin: str,
    verification: VerificationResult,
    decision: dict[str, Any],
) -> MseAct:
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = act_number_sequence_lock(department_id=department.pk, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    act = MseAct.objects.create(
        number=f"{department_code(department)}-{year}-{sequence.last:05d}",
        year=year,
        sequence=sequence.last,
        person=person,
        referral=referral,
        department=department,
        absentia_consent=absentia_consent,
        registered_at=now,
        signature=signature,
        signature_verification=verification.verification,
        signature_revocation_unknown=verification.revocation != "ok",
        signer_iin=signer_iin,
        registered_by=actor_user,
        **decision,
    )
    signature_attach(verification=verification.verification, document=act)
    act_id = act.pk
    transaction.on_commit(lambda: _announce(act_id))
    return act


def _announce(act_id: int) -> None:
    """``act_registered`` after commit; a receiver that raises is logged, the others still run."""
    act = MseAct.objects.select_related("person", "department", "referral").get(pk=act_id)
    for receiver, response in act_registered.send_robust(sender=MseAct, act=act):
        if isinstance(response, Exception):
            logger.error(
                "act_registered receiver %s failed: %s",
                getattr(receiver, "__qualname__", receiver),
                type(response).__name__,
            )


def act_result_ready_notify(*, act: MseAct) -> None:
    """S-5: tell the person (a ward's legal representative instead, while the guardianship lasts)
    that the documents of ``act`` are in the cabinet, in their language; once per act."""
    recipient = act.person
    representative = (
        active_guardianships(timezone.localdate()).filter(ward=act.person).select_related("representative").first()
    )
    if representative is not None:
        recipient = representative.representative
    messaging.notify(
        recipient=recipient,
        template=RESULT_READY_TEMPLATE,
        context={"full_name": act.person.full_name, "act_number": act.number},
        dedupe_key=f"act_result_ready:{act.pk}",
        language=recipient.preferred_language or "ru",
    )


@transaction.atomic
def service_refusal_register(
    *,
    actor_user: User | None,
    person: Person,
    department: MseDepartment,
    ground: str,
    details: str,
    decided_on: dt.date,
    referral: Referral | None = None,
) -> ServiceRefusal:
    """S-6: the service refused on one of the law's two grounds, with what was found."""
    staff_require(actor_user=actor_user, department=department)
    found: list[ErrorItem] = []
    if ground not in RefusalGround.values:
        found.append(_item(errors.GROUND_INVALID, "ground"))
    if not details.strip():
        found.append(_item(errors.REFUSAL_DETAILS, "details"))
    if referral is not None and referral.person_id != person.pk:
        found.append(_item(errors.REFERRAL_OTHER_PERSON, "referral"))
    if decided_on > timezone.localdate():
        found.append(_item(errors.EXAMINED_FUTURE, "decided_on"))
    if found:
        raise ApplicationErrors(found)
    return ServiceRefusal.objects.create(
        person=person,
        referral=referral,
        department=department,
        ground=ground,
        details=details.strip(),
        decided_on=decided_on,
        registered_by=actor_user,
    )


@transaction.atomic
def examination_plan_create(
    *, actor_user: User, referral: Referral, place: str, planned_on: dt.date, address: str = ""
) -> ExaminationPlan:
    """S-4: department staff plan a field session or a home visit for a referral of their department.

    The department is the staff member's own; a referral of a person their department does not
    serve is answered as a missing one (404).
    """
    department = actor_user.department
    if department is None:
        raise ForbiddenError(MSG_NOT_STAFF, code="not_staff", field="department")
    staff_require(actor_user=actor_user, department=department)
    atu = referral.person.registration_atu
    served_by = department_for_atu(atu=atu) if atu is not None else None
    if served_by is None or served_by.pk != department.pk:
        raise NotFoundError(errors.REFERRAL_NOT_FOUND, field="referral")
    found: list[ErrorItem] = []
    if place not in FIELD_PLACES:
        found.append(_item(errors.PLAN_PLACE, "place"))
    if planned_on < timezone.localdate():
        found.append(_item(errors.PLAN_PAST, "planned_on"))
    if found:
        raise ApplicationErrors(found)
    try:
        with transaction.atomic():
            return ExaminationPlan.objects.create(
                referral=referral,
                person=referral.person,
                department=department,
                place=place,
                planned_on=planned_on,
                address=address,
                created_by=actor_user,
            )
    except IntegrityError:
        raise ApplicationError(errors.PLAN_TWICE, field="planned_on") from None


# X-10 -------------------------------------------------------------------------------------------


def pension_age_reached(person: Person, day: dt.date) -> bool:
    """Whether ``person`` is of pension age on ``day`` (``portal.acts.pension``: men 63, women 61
    rising by six months a year from 2028 to 63 in 2031), the sex read from the IIN's seventh digit."""
    return is_pension_age(birth_date=person.birth_date, female=iin_is_female(person.iin), day=day)


def term_reminders_send_due(*, today: dt.date | None = None) -> int:
    """X-10: remind each person whose disability term ends within ``ACT_TERM_REMINDER_DAYS`` to get
    a new form 031/u: once per act (``TermReminder``, unique per act), in their language, never a
    person of pension age on the term's last day (re-examined only on their own application).

    Only the latest act of a person counts: an act followed by a newer one (re-examined already)
    is not reminded. Returns how many reminders were queued.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.ACT_TERM_REMINDER_DAYS)
    due = (
        MseAct.objects.filter(recognised=True, term_until__isnull=False, term_until__gte=today, term_until__lte=horizon)
        .filter(term_reminder__isnull=True)
        .select_related("person", "department")
        .order_by("term_until", "pk")
    )
    sent = 0
    for act in due:
        if MseAct.objects.filter(person_id=act.person_id, examined_on__gt=act.examined_on).exists():
            continue
        assert act.term_until is not None
        if pension_age_reached(act.person, act.term_until):
            continue
        if _term_reminder_send(act=act):
            sent += 1
    return sent


@transaction.atomic
def _term_reminder_send(*, act: MseAct) -> bool:
    try:
        with transaction.atomic():
            TermReminder.objects.create(act=act)
    except IntegrityError:  # reminded already (a concurrent run)
        return False
    language = act.person.preferred_language or "ru"
    assert act.term_until is not None
    with override(language):
        until = date_format(act.term_until, "d.m.Y")
    messaging.notify(
        recipient=act.person,
        template=REMINDER_TEMPLATE,
        context={
            "full_name": act.person.full_name,
            "act_number": act.number,
            "group": act.group,
            "term_until": until,
        },
        dedupe_key=f"act_term_reminder:{act.pk}",
        language=language,
    )
    return True
