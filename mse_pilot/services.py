"""Writes of the remote pilot: routing a referral (P-1, P-2), refusing a form without its mandatory
examinations (P-3, P-4), forming the draft MSE act on the waiting list (P-6) with its due time (P-7)
and telling the person (item 8).

The core calls in through its hooks, registered in ``MsePilotConfig.ready``:
``pilot_router`` (``portal.referrals.routing.register_router``), ``pilot_intake_check``
(``register_intake_check``) and ``on_referral_routed`` (the ``referral_routed`` signal). All of
them run inside the intake's transaction: a refusal or a failure stores nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mse_pilot import selectors
from mse_pilot.deadlines import decision_due_at, due_reading
from mse_pilot.errors import EXAMINATION_DUPLICATE, EXAMINATION_MISSING, EXAMINATION_MISSING_AT_DIAGNOSIS
from mse_pilot.models import RemoteCase, RolloutStart, RoutingDecision
from mse_pilot.sms import PilotSms
from portal import messaging
from portal.errors import ErrorItem
from portal.nosology.models import NosologyGroup
from portal.nosology.selectors import nosology_group_for_icd
from portal.referrals.models import Referral

# Which reading of P-1/P-2 a decision was made under: bump it when the rules' code changes.
RULE_VERSION = "P-1/P-2 act 001 (2025-06), v1"
# P-2: "у детей": under 18 on the day the form was signed.
ADULT_AGE = 18

Reason = RoutingDecision.Reason


@dataclass(frozen=True)
class Verdict:
    """What P-1 and P-2 say of one referral, before anything is stored."""

    remote: bool
    reason: str
    day: dt.date
    group: NosologyGroup | None = None
    region_kato: str = ""
    mis_vendor: str = ""
    rollout: RolloutStart | None = None
    details: str = ""


def _age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def routing_verdict(*, referral: Referral) -> Verdict:
    """P-1, P-2: does the referral go to the remote pilot? Read for the day the VKK chair signed it
    (Asia/Almaty): the pilot governs the form from its signing in the MIS (P-4).

    Works on an unsaved referral (the intake check asks before anything is stored)."""
    day = timezone.localdate(referral.signed_at, timezone.get_default_timezone())
    group = nosology_group_for_icd(referral.icd10)
    if group is None:
        return Verdict(False, Reason.NO_NOSOLOGY, day, details=f"ICD-10 {referral.icd10}")
    if group.children_only:
        age = _age_on(referral.person.birth_date, day)
        if age >= ADULT_AGE:
            return Verdict(False, Reason.ADULT, day, group, details=f"age {age} on {day:%d.%m.%Y}")
    org = referral.medical_organisation
    region_kato, vendor = org.region.kato, org.mis_vendor
    window = selectors.pilot_window_open_on(day=day)
    if window is None:
        return Verdict(False, Reason.OUTSIDE_WINDOW, day, group, region_kato, vendor)
    rollout = selectors.rollout_for(region_kato=region_kato, mis_vendor=vendor)
    if rollout is None or rollout.starts_on > day:
        details = (
            f"from {rollout.starts_on:%d.%m.%Y}" if rollout is not None else "no start date for this region and MIS"
        )
        return Verdict(False, Reason.NOT_STARTED, day, group, region_kato, vendor, rollout, details)
    details = f"{window}; {rollout}"
    return Verdict(True, Reason.PILOT, day, group, region_kato, vendor, rollout, details)


@transaction.atomic
def routing_decision_store(*, referral: Referral, verdict: Verdict) -> RoutingDecision:
    """Keep the decision and its reason for staff (one row per referral; routing again replaces it)."""
    decision, _created = RoutingDecision.objects.update_or_create(
        referral=referral,
        defaults={
            "person": referral.person,
            "remote": verdict.remote,
            "reason": verdict.reason,
            "nosology_group": verdict.group,
            "decided_on": verdict.day,
            "region_kato": verdict.region_kato,
            "mis_vendor": verdict.mis_vendor,
            "rollout": verdict.rollout,
            "details": verdict.details[:2000],
            "rule_version": RULE_VERSION,
        },
    )
    return decision


def pilot_router(referral: Referral) -> str | None:
    """The router registered with the core: the pilot's referrals go to ``REMOTE_PILOT``; for any
    other it answers None, and the core sends it to the in-person queue as before."""
    verdict = routing_verdict(referral=referral)
    routing_decision_store(referral=referral, verdict=verdict)
    return Referral.Route.REMOTE_PILOT if verdict.remote else None


def examination_errors(*, group_id: int, examinations: list[dict[str, Any]]) -> list[ErrorItem]:
    """P-3, P-4: one item per examination code sent twice, and one per mandatory examination missing
    (its code and its title in the active language)."""
    errors: list[ErrorItem] = []
    seen: set[str] = set()
    for i, exam in enumerate(examinations):
        code = str(exam.get("code", ""))
        if code in seen:
            dup = EXAMINATION_DUPLICATE.format(code=code)
            errors.append(ErrorItem(f"examinations.{i}.code", dup.code, str(dup.message)))
        seen.add(code)
    for required in selectors.mandatory_examinations(group_id=group_id):
        if required.accepted_codes() & seen:
            continue
        missing = EXAMINATION_MISSING_AT_DIAGNOSIS if required.at_diagnosis else EXAMINATION_MISSING
        item = missing.format(code=required.code, title=required.title)
        errors.append(ErrorItem("examinations", item.code, str(item.message)))
    return errors


def pilot_intake_check(*, referral: Referral, examinations: list[dict[str, Any]]) -> list[ErrorItem]:
    """The intake check registered with the core (P-4): a form the pilot would take must carry
    every mandatory examination of its form, each code once; any other form is not ours to check."""
    verdict = routing_verdict(referral=referral)
    if not verdict.remote or verdict.group is None:
        return []
    return examination_errors(group_id=verdict.group.pk, examinations=examinations)


@transaction.atomic
def remote_case_form(*, referral: Referral, now: dt.datetime | None = None) -> RemoteCase:
    """P-6: the draft MSE act of a referral routed to the pilot, put on the waiting list with its
    arrival time; P-7: its due time. Item 8: the person is told, in the same transaction (outbox).

    Idempotent: a referral routed again keeps its one case and its first arrival time."""
    existing = selectors.remote_case_of(referral=referral)
    if existing is not None:
        return existing
    decision = selectors.routing_decision_of(referral=referral)
    group = decision.nosology_group if decision is not None else None
    group = group or nosology_group_for_icd(referral.icd10)
    if group is None:  # another router sent it here: P-2 still decides which form it is
        raise ValueError(f"referral {referral.pk} is routed to the pilot without a nosological form")
    received_at = now or timezone.now()
    reading = due_reading()
    case = RemoteCase.objects.create(
        referral=referral,
        person=referral.person,
        nosology_group=group,
        received_at=received_at,
        due_at=decision_due_at(received_at, reading=reading),
        due_reading=reading,
    )
    messaging.notify(
        recipient=referral.person,
        template=PilotSms.CASE_RECEIVED,
        context={"full_name": referral.person.full_name},
        dedupe_key=f"referral:{referral.pk}:pilot_received",
    )
    return case


def on_referral_routed(sender: object, *, referral: Referral, route: str, **kwargs: object) -> None:
    """The ``referral_routed`` receiver: a referral routed to the pilot forms its draft act."""
    if route == Referral.Route.REMOTE_PILOT:
        remote_case_form(referral=referral)


def p4_refusal_example() -> list[ErrorItem]:
    """What the intake API's schema shows of P-4: a Down syndrome form without its karyotype and
    neurologist's conclusion, one examination code sent twice."""
    dup = EXAMINATION_DUPLICATE.format(code="geneticist_conclusion")
    karyotype = EXAMINATION_MISSING_AT_DIAGNOSIS.format(
        code="karyotype", title=_("Karyotype of peripheral blood lymphocytes")
    )
    neurologist = EXAMINATION_MISSING.format(code="neurologist_conclusion", title=_("Neurologist's conclusion"))
    return [
        ErrorItem("examinations.2.code", dup.code, str(dup.message)),
        ErrorItem("examinations", karyotype.code, str(karyotype.message)),
        ErrorItem("examinations", neurologist.code, str(neurologist.message)),
    ]
