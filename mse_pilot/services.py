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
import heapq
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expert_registry import selectors as expert_registry_selectors
from expert_registry import services as expert_registry_services
from mse_pilot import locks, selectors
from mse_pilot.deadlines import decision_due_at, due_reading
from mse_pilot.errors import (
    ALREADY_DECLINED,
    ALREADY_SIGNED,
    CONCLUSION_OTHER_CASE,
    DECLINE_REASON_REQUIRED,
    EXAMINATION_DUPLICATE,
    EXAMINATION_MISSING,
    EXAMINATION_MISSING_AT_DIAGNOSIS,
    NO_DEPARTMENT,
    NOT_AT_METHODOLOGY,
    NOT_METHODOLOGY,
    NOT_ON_PANEL,
    REASONS_REQUIRED,
    REDISTRIBUTED_AWAY,
    SIGNATURE_REQUIRED,
)
from mse_pilot.models import (
    Conclusion,
    ExpertSlot,
    IntakeRefusal,
    PanelAssignment,
    Programme,
    ProgrammeSeat,
    RemoteCase,
    RolloutStart,
    RoutingDecision,
)
from mse_pilot.sms import PilotSms
from mse_pilot.tasks import register_act as register_act_task
from portal import messaging
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.acts import errors as acts_errors
from portal.acts.models import Category, ExaminationKind, MseAct, Place
from portal.acts.services import SignatureUnavailableError, act_decision_check, act_register, department_code
from portal.acts.services import age_on as acts_age_on
from portal.acts.signing import act_signed_content
from portal.bulk import bulk_insert
from portal.deadlines.states import DUE_SOON, deadline_state
from portal.errors import (
    ApplicationError,
    ApplicationErrors,
    ConflictError,
    ErrorCode,
    ErrorItem,
    ForbiddenError,
    NotFoundError,
)
from portal.nosology.models import NosologyGroup
from portal.nosology.selectors import nosology_group_for_icd
from portal.referrals.models import Referral
from portal.signatures.messages import signature_reason_message
from portal.signatures.services import VerificationResult, signature_attach, signature_verify
from portal.territory.models import MseDepartment
from portal.territory.selectors import department_for_atu
from portal.workcal.services import WORKDAY_END, working_calendar, working_hours_left

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


def _missing_examinations(*, group_id: int, sent: set[str]) -> list[Any]:
    """P-3: the form's mandatory examinations none of whose accepted codes was sent."""
    return [r for r in selectors.mandatory_examinations(group_id=group_id) if not r.accepted_codes() & sent]


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
    for required in _missing_examinations(group_id=group_id, sent=seen):
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


def intake_refusal_record(*, referral: Referral, examinations: list[dict[str, Any]], **kwargs: object) -> int:
    """X-7: count a refusal of P-4, called by the core once the intake's transaction has rolled back
    (``on_refused``). One anonymous ``IntakeRefusal`` per missing examination (the day, the form,
    the medical organisation's region, MIS vendor and integrator, the department serving the
    person's registration unit today, the code), written in one INSERT in its own transaction;
    nothing of the referral or the person. A refusal for a duplicated code only counts nothing.
    Returns how many rows were written."""
    verdict = routing_verdict(referral=referral)
    if not verdict.remote or verdict.group is None:
        return 0
    sent = {str(e.get("code", "")) for e in examinations}
    org = referral.medical_organisation
    day = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    missing = _missing_examinations(group_id=verdict.group.pk, sent=sent)
    if not missing:
        return 0
    # The unsaved referral holds the person the intake read; its rollback undid none of the person's
    # or the territory's rows, so the unit and its department are read now, once for every row.
    atu = referral.person.registration_atu
    department = department_for_atu(atu=atu) if atu is not None else None
    rows = [
        IntakeRefusal(
            day=day,
            nosology_group_id=verdict.group.pk,
            region_id=org.region_id,
            mis_vendor=org.mis_vendor,
            integrator_id=org.integrator_id,
            department_id=department.pk if department is not None else None,
            examination_code=required.code,
        )
        for required in missing
    ]
    with transaction.atomic():
        return bulk_insert(rows)


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


# ---------------------------------------------------------------------------------------------
# P-6, E-8: distribution of the draft acts to their panel; E-9: redistribution; X-6: due-soon SMS
# ---------------------------------------------------------------------------------------------

# Which reading of P-6/E-8/E-9 an assignment was made under: bump it when the rules' code changes.
DISTRIBUTION_RULE_VERSION = "P-6/E-8/E-9 v1 (2025-11)"
# How many of the next candidates an assignment's reason lists besides the chosen one.
REASON_CANDIDATES = 5

log = logging.getLogger("mse_pilot.distribution")


@dataclass
class DistributionRun:
    """What one run did: the public ids of the cases assigned and of those left waiting."""

    assigned: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    redistributed: list[str] = field(default_factory=list)
    # the last draft act the run took (received_at, pk): where the next batch starts
    cursor: tuple[dt.datetime, int] | None = None


def _case_region_id(case: RemoteCase) -> int | None:
    """The person's region (registration), else the referring organisation's (read with the case
    as ``person_region_id`` by the distributor's locked read)."""
    if hasattr(case, "person_region_id"):
        return None if case.person_region_id is None else int(case.person_region_id)
    atu = case.person.registration_atu
    if atu is not None:
        return int(atu.region_id)
    return int(case.referral.medical_organisation.region_id)


class _Chooser:
    """P-6, E-8: picks the least loaded eligible expert of a pool; then the least recently given.

    ``pools[(group_id, role)]`` holds the registry's pool (``expert_pool_for``: active on the day,
    competent, of the role) with open-case counts read under the slots' locks, so committed ones.
    One heap per pool with lazy refresh: an expert chosen from another pool is re-queued with its
    new load when met."""

    def __init__(self, pools: dict[tuple[int, str], list[Any]], slots: dict[int, ExpertSlot]) -> None:
        self.experts: dict[int, Any] = {}
        self.load: dict[int, int] = {}
        self.last: dict[int, tuple[float, int]] = {}
        self.pools = pools
        self.slots = slots
        # what a reason says of each expert, written once per expert rather than once per choice
        self.public: dict[int, str] = {}
        self.given: dict[int, str | None] = {}
        self.tick = max((s.last_tick for s in slots.values()), default=0)
        for members in pools.values():
            for e in members:
                if e.pk in self.experts:
                    continue
                self.experts[e.pk] = e
                self.public[e.pk] = str(e.public_id)
                self.load[e.pk] = int(e.open_cases)
                slot = slots.get(e.pk)
                at = slot.last_assigned_at.timestamp() if slot and slot.last_assigned_at else float("-inf")
                self.last[e.pk] = (at, slot.last_tick if slot else 0)
                self.given[e.pk] = self._last_given(e.pk)
        # pools of the same experts (competent for several forms) share one heap: no stale entries
        shared: dict[tuple[int, ...], list[tuple[int, float, int, int]]] = {}
        self.heaps: dict[tuple[int, str], list[tuple[int, float, int, int]]] = {}
        for key, members in pools.items():
            ids = tuple(sorted(e.pk for e in members))
            if ids not in shared:
                shared[ids] = [self._entry(pk) for pk in ids]
                heapq.heapify(shared[ids])
            self.heaps[key] = shared[ids]

    def _entry(self, pk: int) -> tuple[int, float, int, int]:
        at, tick = self.last[pk]
        return (self.load[pk], at, tick, pk)

    def choose(
        self, *, key: tuple[int, str], region_id: int | None, taken: set[int], now: dt.datetime
    ) -> tuple[Any, dict[str, Any]] | None:
        heap = self.heaps.get(key, [])
        experts, load, last, given, public = self.experts, self.load, self.last, self.given, self.public
        aside: list[tuple[int, float, int, int]] = []
        picked: list[int] = []
        same_region = 0
        while heap and len(picked) < REASON_CANDIDATES + 1:
            entry = heapq.heappop(heap)
            pk = entry[3]
            at, tick = last[pk]
            if entry[0] != load[pk] or entry[1] != at or entry[2] != tick:
                # stale: chosen meanwhile from another pool
                heapq.heappush(heap, (load[pk], at, tick, pk))
                continue
            aside.append(entry)
            if pk in taken:
                continue
            if region_id is not None and experts[pk].region_id == region_id:
                same_region += 1
                continue
            picked.append(pk)
        if not picked:
            for entry in aside:
                heapq.heappush(heap, entry)
            return None
        chosen = picked[0]
        for entry in aside:  # the chosen one's entry goes back below with its new load
            if entry[3] != chosen:
                heapq.heappush(heap, entry)
        candidates = [
            {
                "expert": public[pk],
                "region_id": experts[pk].region_id,
                "open_cases": load[pk],
                "last_given_at": given[pk],
            }
            for pk in picked
        ]
        reason = {
            "rule_version": DISTRIBUTION_RULE_VERSION,
            "person_region_id": region_id,
            "eligible_in_pool": len(self.pools.get(key, [])),
            "same_region_skipped": same_region,
            "candidates": candidates,
            "chosen": candidates[0],
            "why": "fewest open cases, then the least recently given",
        }
        self.tick += 1
        self.load[chosen] += 1
        self.last[chosen] = (now.timestamp(), self.tick)
        slot = self.slots[chosen]
        slot.last_assigned_at, slot.last_tick = now, self.tick
        self.given[chosen] = self._last_given(chosen)
        heapq.heappush(heap, self._entry(chosen))
        return self.experts[chosen], reason

    def _last_given(self, pk: int) -> str | None:
        slot = self.slots.get(pk)
        return slot.last_assigned_at.isoformat() if slot is not None and slot.last_assigned_at else None


Pools = dict[tuple[int, str], list[int]]


def _pool_members(keys: set[tuple[int, str]], groups: dict[int, NosologyGroup], day: dt.date) -> Pools:
    """The registry's pool per (form, role) for ``day`` (``expert_pool_for``: active on the day,
    competent, of the role), ids only; the region is excluded per case later. Read before the
    slots are locked: it names the slots to lock."""
    return {
        (group_id, role): list(
            expert_registry_selectors.expert_pool_for(
                nosology_group=groups[group_id], role=role, exclude_region=None, on_date=day, with_load=False
            ).values_list("pk", flat=True)
        )
        for group_id, role in keys
    }


def _pools(members: Pools) -> dict[tuple[int, str], list[Any]]:
    """The pools' experts with their open-case counts, read in one query once their slots are locked
    (so the counts are committed ones)."""
    experts = {
        e.pk: e
        for e in expert_registry_selectors.experts_with_open_cases(
            expert_ids={pk for ids in members.values() for pk in ids}
        )
    }
    return {key: [experts[pk] for pk in ids if pk in experts] for key, ids in members.items()}


def _pool_ids(members: Pools) -> list[int]:
    return sorted({pk for ids in members.values() for pk in ids})


def _assign(
    *,
    case: RemoteCase,
    expert: Any,
    role: str,
    seat: int,
    now: dt.datetime,
    due_at: dt.datetime,
    reason: dict[str, Any],
    replaces: PanelAssignment | None = None,
) -> PanelAssignment:
    member = PanelAssignment(
        case_id=case.pk,
        person_id=case.person_id,
        expert_id=expert.pk,
        role=role,
        seat=seat,
        assigned_at=now,
        due_at=due_at,
        status=PanelAssignment.Status.ASSIGNED,
        status_at=now,
        reason=reason,
        rule_version=DISTRIBUTION_RULE_VERSION,
        redistributed_from_id=replaces.pk if replaces is not None else None,
    )
    # the case and the replaced member travel as ids (no per-member descriptor work) yet stay at hand
    PanelAssignment.case.field.set_cached_value(member, case)
    if replaces is not None:
        PanelAssignment.redistributed_from.field.set_cached_value(member, replaces)
    return member


def _work_records(assignments: list[PanelAssignment], experts: dict[int, Any], case_refs: dict[int, str]) -> None:
    """The registry's work record of each member (E-10's input): case received, due (one INSERT,
    ``work_record_case_received`` for many)."""
    if len(assignments) == 1:
        a = assignments[0]
        expert_registry_services.work_record_case_received(
            expert=experts[a.expert_id], case_ref=case_refs[a.case_id], received_at=a.assigned_at, due_at=a.due_at
        )
        return
    expert_registry_services.work_records_cases_received(
        records=[(experts[a.expert_id], case_refs[a.case_id], a.assigned_at, a.due_at) for a in assignments]
    )


def _slots_save(slots: list[ExpertSlot]) -> None:
    """Keep when each chosen expert was last given a case: one UPDATE ... FROM VALUES on PostgreSQL."""
    if not slots:
        return
    if connection.vendor != "postgresql":
        ExpertSlot.objects.bulk_update(slots, ["last_assigned_at", "last_tick"])
        return
    values = ", ".join(["(%s, %s::timestamptz, %s::bigint)"] * len(slots))
    params: list[Any] = [x for s in slots for x in (s.expert_id, s.last_assigned_at, s.last_tick)]
    table = ExpertSlot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS s SET last_assigned_at = v.at, last_tick = v.tick "  # noqa: S608 - no user input
            f"FROM (VALUES {values}) AS v(id, at, tick) WHERE s.expert_id = v.id",
            params,
        )


@transaction.atomic
def cases_distribute(
    *, now: dt.datetime | None = None, limit: int | None = None, after: tuple[dt.datetime, int] | None = None
) -> DistributionRun:
    """P-6, E-8: take up to ``limit`` draft acts of the waiting list in arrival order (after the
    cursor ``after``, so a run moves past acts that must wait) and assign each the panel its
    programme requires on the day. An act no eligible expert can take stays waiting, flagged for
    staff and logged; nothing is lost. Safe to run twice at once (``locks.py``)."""
    now = now or timezone.now()
    day = timezone.localdate(now, timezone.get_default_timezone())
    limit = limit or int(settings.MSE_PILOT_DISTRIBUTION_BATCH)
    run = DistributionRun()
    cases = locks.waiting_cases_for_update(limit=limit, after=after)
    if not cases:
        return run
    run.cursor = (cases[-1].received_at, cases[-1].pk)
    groups = NosologyGroup.objects.in_bulk({c.nosology_group_id for c in cases})
    plans: dict[int, tuple[Programme | None, list[ProgrammeSeat]]] = {
        gid: selectors.programme_panel_on(nosology_group=g, day=day) for gid, g in groups.items()
    }
    keys = {(c.nosology_group_id, seat.role) for c in cases for seat in plans[c.nosology_group_id][1]}
    pool_members = _pool_members(keys, groups, day)
    slots = locks.expert_slots_for_update(expert_ids=_pool_ids(pool_members))
    chooser = _Chooser(_pools(pool_members), slots)  # loads read under the locks: committed ones
    due_at = decision_due_at(now)
    new: list[PanelAssignment] = []
    changed: list[RemoteCase] = []
    for case in cases:
        programme, seats = plans[case.nosology_group_id]
        region_id = _case_region_id(case)
        members: list[PanelAssignment] = []
        missing: list[str] = []
        taken: set[int] = set()
        if programme is None:
            missing.append(f"no programme in force on {day:%d.%m.%Y} for form {groups[case.nosology_group_id].number}")
        for seat in seats:
            for n in range(1, seat.count + 1):
                got = chooser.choose(key=(case.nosology_group_id, seat.role), region_id=region_id, taken=taken, now=now)
                if got is None:
                    missing.append(f"{seat.role} {n}: no eligible expert")
                    continue
                expert, reason = got
                taken.add(expert.pk)
                reason |= {"programme": programme.code if programme else "", "role": seat.role, "day": day.isoformat()}
                members.append(
                    _assign(case=case, expert=expert, role=seat.role, seat=n, now=now, due_at=due_at, reason=reason)
                )
        if missing:
            # undo the in-memory loads: the act waits whole, no member half-assigned
            for m in members:
                chooser.load[m.expert_id] -= 1
            case.no_expert_since = case.no_expert_since or now
            case.no_expert_reason = "; ".join(missing)[:2000]
            case.updated_at = now
            changed.append(case)
            run.waiting.append(str(case.public_id))
            log.warning(
                "mse_pilot: draft act %s waits for an eligible expert: %s", case.public_id, case.no_expert_reason
            )
            continue
        case.stage, case.programme, case.due_at = RemoteCase.Stage.ASSIGNED, programme, due_at
        case.no_expert_since, case.no_expert_reason = None, ""
        case.updated_at = now
        changed.append(case)
        new.extend(members)
        run.assigned.append(str(case.public_id))
    bulk_insert(new)
    assigned = [c for c in changed if c.stage == RemoteCase.Stage.ASSIGNED]
    for programme_id in {c.programme_id for c in assigned}:
        RemoteCase.objects.filter(pk__in=[c.pk for c in assigned if c.programme_id == programme_id]).update(
            stage=RemoteCase.Stage.ASSIGNED,
            programme_id=programme_id,
            due_at=due_at,
            no_expert_since=None,
            no_expert_reason="",
            updated_at=now,
        )
    for case in changed:
        if case.stage == RemoteCase.Stage.WAITING:
            case.save(update_fields=["no_expert_since", "no_expert_reason", "updated_at"])
    _slots_save([s for s in slots.values() if s.last_assigned_at == now])
    _work_records(new, chooser.experts, {c.pk: str(c.public_id) for c in cases})
    return run


def cases_distribute_all(*, now: dt.datetime | None = None, limit: int | None = None) -> DistributionRun:
    """Every waiting draft act, batch after batch (each batch its own transaction), moving past
    those that must wait."""
    total = DistributionRun()
    after: tuple[dt.datetime, int] | None = None
    while True:
        run = cases_distribute(now=now, limit=limit, after=after)
        if not run.assigned and not run.waiting:
            return total
        total.assigned += run.assigned
        total.waiting += run.waiting
        if run.cursor is None:
            return total
        after = run.cursor


def redistribution_due_at(sent_at: dt.datetime) -> dt.datetime:
    """E-9: a redistributed case is reviewed "within 1 working day after the day it was sent": by
    the end (18:00) of the first working day after the day of sending, whatever the hour."""
    zone = timezone.get_default_timezone()
    sent_on = timezone.localtime(sent_at, zone).date()
    due_on = working_calendar().next_working_day(sent_on)
    return timezone.make_aware(dt.datetime.combine(due_on, WORKDAY_END), zone)


@transaction.atomic
def assignments_redistribute(*, now: dt.datetime | None = None) -> DistributionRun:
    """E-9: the open assignments of an expert excluded or incapacitated on the day, not done by
    their due time, go to another eligible expert of the same role (the same rules as P-6/E-8), due
    by the end of the working day after the day they are sent. With no eligible expert the member
    stays and the case is flagged for staff."""
    now = now or timezone.now()
    day = timezone.localdate(now, timezone.get_default_timezone())
    run = DistributionRun()
    late = PanelAssignment.objects.filter(status=PanelAssignment.Status.ASSIGNED, due_at__lt=now)
    expert_ids = set(late.values_list("expert_id", flat=True))
    gone = expert_registry_selectors.experts_unavailable_on(expert_ids=expert_ids, on_date=day)
    if not gone:
        return run
    rows = locks.open_assignments_for_update(ids=late.filter(expert_id__in=gone).values_list("pk", flat=True))
    if not rows:
        return run
    groups = {a.case.nosology_group_id: a.case.nosology_group for a in rows}
    keys = {(a.case.nosology_group_id, a.role) for a in rows}
    pool_members = _pool_members(keys, groups, day)
    slots = locks.expert_slots_for_update(expert_ids=_pool_ids(pool_members))
    chooser = _Chooser(_pools(pool_members), slots)
    due_at = redistribution_due_at(now)
    new: list[PanelAssignment] = []
    for old in rows:
        case = old.case
        taken = set(
            PanelAssignment.objects.filter(case=case, status=PanelAssignment.Status.ASSIGNED).values_list(
                "expert_id", flat=True
            )
        )
        got = chooser.choose(
            key=(case.nosology_group_id, old.role), region_id=_case_region_id(case), taken=taken, now=now
        )
        if got is None:
            case.no_expert_since = case.no_expert_since or now
            case.no_expert_reason = f"E-9: {old.role} {old.seat}: no eligible expert to take the case over"
            case.save(update_fields=["no_expert_since", "no_expert_reason", "updated_at"])
            log.warning("mse_pilot: case %s: %s", case.public_id, case.no_expert_reason)
            run.waiting.append(str(case.public_id))
            continue
        expert, reason = got
        reason |= {"role": old.role, "day": day.isoformat(), "redistributed_from": old.pk, "rule": "E-9"}
        old.status, old.status_at = PanelAssignment.Status.REDISTRIBUTED, now
        old.save(update_fields=["status", "status_at", "updated_at"])
        # the replaced expert's open entry is closed: not late in E-10, no longer their load
        expert_registry_services.work_record_case_withdrawn(
            expert=old.expert, case_ref=str(case.public_id), withdrawn_at=now
        )
        member = _assign(
            case=case, expert=expert, role=old.role, seat=old.seat, now=now, due_at=due_at, reason=reason, replaces=old
        )
        member.save()
        new.append(member)
        case.due_at = max(case.due_at, due_at)
        case.no_expert_since, case.no_expert_reason = None, ""
        case.save(update_fields=["due_at", "no_expert_since", "no_expert_reason", "updated_at"])
        run.redistributed.append(str(case.public_id))
    _slots_save([s for s in slots.values() if s.last_assigned_at == now])
    _work_records(new, chooser.experts, {a.case_id: str(a.case.public_id) for a in rows})
    return run


@transaction.atomic
def due_soon_warn(*, now: dt.datetime | None = None) -> list[int]:
    """X-6: an SMS to the expert when an open assignment turns due soon (within
    ``MSE_PILOT_DUE_SOON_WORKING_HOURS`` working hours, not yet late), once per assignment."""
    now = now or timezone.now()
    sent: list[int] = []
    rows = locks.due_soon_unwarned_for_update(before=now + dt.timedelta(days=7))
    for a in rows:
        state = deadline_state(remaining=working_hours_left(now, a.due_at))
        if state != DUE_SOON:
            continue
        local_due = timezone.localtime(a.due_at, timezone.get_default_timezone())
        messaging.notify(
            recipient=a.expert.person,
            template=PilotSms.EXPERT_DUE_SOON,
            context={"case": str(a.case.public_id), "due": f"{local_due:%d.%m.%Y %H:%M}"},
            dedupe_key=f"mse_pilot:assignment:{a.pk}:due_soon",
        )
        a.due_soon_sms_at = now
        a.save(update_fields=["due_soon_sms_at", "updated_at"])
        sent.append(a.pk)
    return sent


# --- Item 6: the expert's conclusion, the panel's outcome (E-8), methodology control ------------

CONCLUSION_PURPOSE = "mse_pilot_conclusion"


@dataclass(frozen=True)
class ConclusionDraft:
    """What the expert records before signing (item 6)."""

    recognised: bool
    reasons: str
    group: str = ""
    cause: str = ""
    term_until: dt.date | None = None
    without_term: bool = False
    general_capacity_loss: int | None = None
    professional_capacity_loss: int | None = None
    ipr_social: bool = False
    ipr_professional: bool = False
    needs_help_and_care: bool = False
    rehabilitation_needs: str = ""


@dataclass(frozen=True)
class ConclusionContent:
    """The canonical bytes the expert signs and what they are made of."""

    content: bytes
    department: MseDepartment
    signer_iin: str
    decision: dict[str, Any]
    annex: dict[str, str]


def is_methodology(user: User | None) -> bool:
    """[A] The methodology department's staff: the Committee's staff role (``Role.COMMITTEE_STAFF``)."""
    return user is not None and (user.is_superuser or (user.is_staff and user.has_role(Role.COMMITTEE_STAFF)))


def conclusion_annex(*, case: RemoteCase, reasons: str, rehabilitation_needs: str) -> dict[str, str]:
    """What the expert signs beyond the act: the case and the conclusion's reasons and needs."""
    return {"case": str(case.public_id), "reasons": reasons, "rehabilitation_needs": rehabilitation_needs}


def conclusion_content(
    *, assignment: PanelAssignment, draft: ConclusionDraft, examined_on: dt.date
) -> ConclusionContent:
    """Item 6, P-8: check the draft as the register would (``act_decision_check``) and build the
    canonical content the expert signs: the act's (place "remote", the department serving the
    person's address, the expert as signer) with the conclusion's annex. Raises ``ApplicationErrors``."""
    case = assignment.case
    person = case.person
    found: list[ErrorItem] = []
    if not draft.reasons.strip():
        found.append(ErrorItem("reasons", REASONS_REQUIRED.code, str(REASONS_REQUIRED.message)))
    atu = person.registration_atu
    department = department_for_atu(atu=atu) if atu is not None else None
    if department is None:
        found.append(ErrorItem(None, NO_DEPARTMENT.code, str(NO_DEPARTMENT.message)))
    category = Category.CHILD if acts_age_on(person.birth_date, examined_on) < 18 else Category.ADULT
    decision: dict[str, Any] = {
        "kind": ExaminationKind.REPEAT if MseAct.objects.filter(person=person).exists() else ExaminationKind.PRIMARY,
        "place": Place.REMOTE,
        "examined_on": examined_on,
        "recognised": draft.recognised,
        "group": draft.group if draft.recognised else "",
        "cause": draft.cause if draft.recognised else "",
        "category": category,
        "term_until": draft.term_until,
        "without_term": draft.without_term,
        "general_capacity_loss": draft.general_capacity_loss,
        "professional_capacity_loss": draft.professional_capacity_loss,
        "ipr_social": draft.ipr_social,
        "ipr_professional": draft.ipr_professional,
        "needs_help_and_care": draft.needs_help_and_care,
    }
    try:
        act_decision_check(person=person, referral=case.referral, **decision)
    except ApplicationErrors as exc:
        found.extend(exc.items)
    if found:
        raise ApplicationErrors(found)
    assert department is not None
    signer = assignment.expert.person.iin
    annex = conclusion_annex(
        case=case, reasons=draft.reasons.strip(), rehabilitation_needs=draft.rehabilitation_needs.strip()
    )
    content = act_signed_content(
        person_iin=person.iin,
        department=department_code(department),
        referral=str(case.referral.public_id),
        signer_iin=signer,
        annex=annex,
        **decision,
    )
    return ConclusionContent(content, department, signer, decision, annex)


def assignment_of(*, person_id: int | None, case_public_id: Any) -> PanelAssignment:
    """The signed-in expert's own assignment on the case (the latest, if redistributed to them
    and away); anyone else's case is not found (404)."""
    row = selectors.assignments_of_person(person_id=person_id).filter(case__public_id=case_public_id).first()
    if row is None:
        log.warning("mse_pilot: refused: person %s is not on the panel of case %s", person_id, case_public_id)
        raise NotFoundError(NOT_ON_PANEL, field="case")
    return row


def _refusal(assignment: PanelAssignment) -> ErrorCode | None:
    if assignment.status == PanelAssignment.Status.REDISTRIBUTED:
        return REDISTRIBUTED_AWAY
    if assignment.status == PanelAssignment.Status.DECLINED:
        return ALREADY_DECLINED
    if assignment.status == PanelAssignment.Status.DONE or Conclusion.objects.filter(assignment=assignment).exists():
        return ALREADY_SIGNED
    return None


def _refuse(assignment: PanelAssignment, code: ErrorCode, *, what: str) -> None:
    """A refused conclusion or decline: audited (logged with public ids) and answered 409."""
    log.warning(
        "mse_pilot: %s refused on case %s for expert %s: %s",
        what,
        assignment.case.public_id,
        assignment.expert.public_id,
        code.code,
    )
    raise ConflictError(code, field="case")


def conclusion_sign(
    *,
    person_id: int | None,
    case_public_id: Any,
    draft: ConclusionDraft,
    signature: str,
    now: dt.datetime | None = None,
) -> Conclusion:
    """Item 6, P-8: the expert's signed conclusion on their own case.

    The signature is verified first, against the expert's own IIN, outside the transaction (its
    audit row stays whatever follows); then, under the assignment's lock, a member redistributed
    away, one who declined, or a second signature is refused (409, logged); else the conclusion is
    stored, the work record says when it was decided (E-10), and the panel's outcome is decided
    (E-8). A decided case's act is registered after commit (``mse_pilot.register_act``)."""
    now = now or timezone.now()
    assignment = assignment_of(person_id=person_id, case_public_id=case_public_id)
    refused = _refusal(assignment)
    if refused is not None:
        _refuse(assignment, refused, what="conclusion")
    examined_on = timezone.localdate(now, timezone.get_default_timezone())
    built = conclusion_content(assignment=assignment, draft=draft, examined_on=examined_on)
    if not signature.strip():
        raise ApplicationError(SIGNATURE_REQUIRED, field="signature")
    result = signature_verify(
        cms=signature, content=built.content, expected_iin=built.signer_iin, purpose=CONCLUSION_PURPOSE
    )
    if result.outcome == "unknown":
        raise SignatureUnavailableError(acts_errors.SIGNATURE_UNAVAILABLE, field="signature")
    if not result.valid:
        log.warning(
            "mse_pilot: conclusion on case %s: signature refused (%s)", assignment.case.public_id, result.reason
        )
        raise ApplicationError(
            signature_reason_message(result.reason), code=f"signature_{result.reason}", field="signature"
        )
    return _conclusion_store(
        assignment_id=assignment.pk, built=built, draft=draft, signature=signature, result=result, now=now
    )


@transaction.atomic
def _conclusion_store(
    *,
    assignment_id: int,
    built: ConclusionContent,
    draft: ConclusionDraft,
    signature: str,
    result: VerificationResult,
    now: dt.datetime,
) -> Conclusion:
    assignment = locks.assignment_for_update(pk=assignment_id)
    refused = _refusal(assignment)
    if refused is not None:
        _refuse(assignment, refused, what="conclusion")
    d = built.decision
    conclusion = Conclusion.objects.create(
        assignment=assignment,
        case_id=assignment.case_id,
        person_id=assignment.person_id,
        expert_id=assignment.expert_id,
        department=built.department,
        kind=d["kind"],
        examined_on=d["examined_on"],
        category=d["category"],
        recognised=d["recognised"],
        group=d["group"],
        cause=d["cause"],
        term_until=d["term_until"],
        without_term=d["without_term"],
        general_capacity_loss=d["general_capacity_loss"],
        professional_capacity_loss=d["professional_capacity_loss"],
        ipr_social=d["ipr_social"],
        ipr_professional=d["ipr_professional"],
        needs_help_and_care=d["needs_help_and_care"],
        rehabilitation_needs=built.annex["rehabilitation_needs"],
        reasons=built.annex["reasons"],
        signature=signature.strip(),
        signature_verification=result.verification,
        signer_iin=built.signer_iin,
        signed_at=now,
        on_time=now <= assignment.due_at,
    )
    signature_attach(verification=result.verification, document=conclusion)
    assignment.status, assignment.status_at = PanelAssignment.Status.DONE, now
    assignment.save(update_fields=["status", "status_at", "updated_at"])
    # E-10's input: when it was decided (timeliness is decided_at against the record's due time)
    expert_registry_services.work_record_case_decided(
        expert=assignment.expert, case_ref=str(assignment.case.public_id), decided_at=now
    )
    _panel_outcome(case_id=assignment.case_id, now=now)
    return conclusion


@transaction.atomic
def assignment_decline(
    *, person_id: int | None, case_public_id: Any, reason: str, now: dt.datetime | None = None
) -> PanelAssignment:
    """E-8 [A]: a member declines the case: it goes to the methodology department's queue."""
    now = now or timezone.now()
    found = assignment_of(person_id=person_id, case_public_id=case_public_id)
    if not reason.strip():
        raise ApplicationError(DECLINE_REASON_REQUIRED, field="reason")
    assignment = locks.assignment_for_update(pk=found.pk)
    refused = _refusal(assignment)
    if refused is not None:
        _refuse(assignment, refused, what="decline")
    assignment.status, assignment.status_at = PanelAssignment.Status.DECLINED, now
    assignment.decline_reason = reason.strip()[:2000]
    assignment.save(update_fields=["status", "status_at", "decline_reason", "updated_at"])
    _panel_outcome(case_id=assignment.case_id, now=now)
    return assignment


def _panel_outcome(*, case_id: int, now: dt.datetime) -> None:
    """E-8 [A]: once every member has answered, the act follows the majority (more than half of the
    members agree on recognition, group, cause and term: the earliest-signed of them decides); one
    member's signed conclusion decides alone (P-6). A decline, or no majority, sends the case to
    the methodology department's queue."""
    case = locks.case_for_update(pk=case_id)
    if case.stage != RemoteCase.Stage.ASSIGNED:
        return
    members = list(case.panel.exclude(status=PanelAssignment.Status.REDISTRIBUTED))
    if any(m.status == PanelAssignment.Status.DECLINED for m in members):
        _to_methodology(case, now, "a member declined")
        return
    if any(m.status == PanelAssignment.Status.ASSIGNED for m in members):
        return
    conclusions = list(Conclusion.objects.filter(case=case, assignment__in=members).order_by("signed_at", "pk"))
    votes: dict[tuple[object, ...], list[Conclusion]] = {}
    for c in conclusions:
        votes.setdefault(c.majority_key(), []).append(c)
    best = max(votes.values(), key=len, default=[])
    if not best or len(best) * 2 <= len(members):
        _to_methodology(case, now, f"no majority among {len(members)} conclusions")
        return
    _decide(case, best[0], now, by=None)


def _to_methodology(case: RemoteCase, now: dt.datetime, why: str) -> None:
    case.stage, case.methodology_since, case.methodology_reason = RemoteCase.Stage.METHODOLOGY, now, why
    case.save(update_fields=["stage", "methodology_since", "methodology_reason", "updated_at"])
    log.info("mse_pilot: case %s goes to the methodology department: %s", case.public_id, why)


def _decide(case: RemoteCase, conclusion: Conclusion, now: dt.datetime, *, by: User | None) -> None:
    case.stage, case.deciding_conclusion, case.decided_at, case.decided_by = (
        RemoteCase.Stage.DECIDED,
        conclusion,
        now,
        by,
    )
    case.save(update_fields=["stage", "deciding_conclusion", "decided_at", "decided_by", "updated_at"])
    case_id = case.pk
    transaction.on_commit(lambda: register_act_task.delay(case_id))


def case_act_register(*, case_id: int) -> MseAct | None:
    """Item 7, P-8: register a decided case's act in the core's register with the deciding
    expert's signed conclusion (channel and place "remote", no staff member: ``actor_user=None``,
    the expert as ``signer_iin``). Idempotent: a registered case is left as it is; a refusal is
    kept on the case (``act_error``) and logged, and beat tries again."""
    with transaction.atomic():
        case = locks.case_for_update(pk=case_id)
        if case.act_id is not None or case.stage != RemoteCase.Stage.DECIDED or case.deciding_conclusion_id is None:
            return case.act
        c = Conclusion.objects.select_related("department", "case__referral", "person").get(
            pk=case.deciding_conclusion_id
        )
        try:
            with transaction.atomic():
                act = act_register(
                    actor_user=None,
                    person=c.person,
                    department=c.department,
                    referral=case.referral,
                    kind=c.kind,
                    place=Place.REMOTE,
                    examined_on=c.examined_on,
                    recognised=c.recognised,
                    category=c.category,
                    group=c.group,
                    cause=c.cause,
                    term_until=c.term_until,
                    without_term=c.without_term,
                    general_capacity_loss=c.general_capacity_loss,
                    professional_capacity_loss=c.professional_capacity_loss,
                    ipr_social=c.ipr_social,
                    ipr_professional=c.ipr_professional,
                    needs_help_and_care=c.needs_help_and_care,
                    signature=c.signature,
                    signer_iin=c.signer_iin,
                    annex=conclusion_annex(case=case, reasons=c.reasons, rehabilitation_needs=c.rehabilitation_needs),
                )
        except ApplicationError as exc:
            case.act_error = f"{exc.code}: {exc.message}"[:2000]
            case.save(update_fields=["act_error", "updated_at"])
            log.error("mse_pilot: the act of case %s is not registered: %s", case.public_id, exc.code)
            return None
        case.act, case.stage, case.act_error = act, RemoteCase.Stage.REGISTERED, ""
        case.save(update_fields=["act", "stage", "act_error", "updated_at"])
        return act


def cases_act_register_pending() -> int:
    """Beat: the decided cases whose act is not registered yet (a verifier that was down)."""
    ids = list(RemoteCase.objects.filter(stage=RemoteCase.Stage.DECIDED, act__isnull=True).values_list("pk", flat=True))
    return sum(1 for pk in ids if case_act_register(case_id=pk) is not None)


def conclusion_of_case(*, case: RemoteCase, public_id: Any) -> Conclusion | None:
    """A conclusion of the case by its public id; None for another case's or an id that is not one."""
    try:
        uid = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return Conclusion.objects.filter(case=case, public_id=uid).select_related("case", "expert").first()


def _methodology_require(actor_user: User | None) -> None:
    if not is_methodology(actor_user):
        raise ForbiddenError(NOT_METHODOLOGY, field="case")


@transaction.atomic
def case_methodology_decide(
    *, actor_user: User, case: RemoteCase, conclusion_public_id: Any, now: dt.datetime | None = None
) -> RemoteCase:
    """E-8 [A]: the methodology department decides a case in its queue: the act follows the
    signed conclusion it chooses (registered with that expert's signature)."""
    _methodology_require(actor_user)
    now = now or timezone.now()
    locked = locks.case_for_update(pk=case.pk)
    if locked.stage != RemoteCase.Stage.METHODOLOGY:
        raise ConflictError(NOT_AT_METHODOLOGY, field="case")
    conclusion = conclusion_of_case(case=locked, public_id=conclusion_public_id)
    if conclusion is None:
        raise ApplicationError(CONCLUSION_OTHER_CASE, field="conclusion")
    _decide(locked, conclusion, now, by=actor_user)
    log.info("mse_pilot: case %s decided by the methodology department", locked.public_id)
    return locked


@transaction.atomic
def case_methodology_redistribute(*, actor_user: User, case: RemoteCase, now: dt.datetime | None = None) -> RemoteCase:
    """E-8 [A]: the methodology department sends a case back to the waiting list for a new panel
    (every member declined, say): the open members are closed, the distributor takes it again."""
    _methodology_require(actor_user)
    now = now or timezone.now()
    # the whole panel is closed (its conclusions stay): the new panel's outcome counts only its own members
    member_ids = list(case.panel.exclude(status=PanelAssignment.Status.REDISTRIBUTED).values_list("pk", flat=True))
    for pk in sorted(member_ids):  # one lock order: assignments, then the case
        locks.assignment_for_update(pk=pk)
    locked = locks.case_for_update(pk=case.pk)
    if locked.stage != RemoteCase.Stage.METHODOLOGY:
        raise ConflictError(NOT_AT_METHODOLOGY, field="case")
    PanelAssignment.objects.filter(pk__in=member_ids).update(
        status=PanelAssignment.Status.REDISTRIBUTED, status_at=now, updated_at=now
    )
    locked.stage, locked.methodology_since = RemoteCase.Stage.WAITING, None
    locked.methodology_reason = f"{locked.methodology_reason}; sent back to the waiting list"[:2000]
    locked.save(update_fields=["stage", "methodology_since", "methodology_reason", "updated_at"])
    return locked


@transaction.atomic
def conclusion_review(
    *, actor_user: User, conclusion: Conclusion, upheld: bool, now: dt.datetime | None = None
) -> Conclusion:
    """Methodology control marks a conclusion upheld or not; the expert's work record keeps it
    (``work_record_case_reviewed``, E-10's quality)."""
    _methodology_require(actor_user)
    now = now or timezone.now()
    conclusion.upheld, conclusion.reviewed_at, conclusion.reviewed_by = upheld, now, actor_user
    conclusion.save(update_fields=["upheld", "reviewed_at", "reviewed_by", "updated_at"])
    expert_registry_services.work_record_case_reviewed(
        expert=conclusion.expert, case_ref=str(conclusion.case.public_id), upheld=upheld
    )
    return conclusion
