"""E-7 (point 14): exclusion from the registry on grounds 1-5, each with its evidence.

(1) the expert's own application (appendix 6): the expert in the cabinet, or Committee staff with the
    paper application; (2) a court's decision of incapacity or limited capacity, (3) departure for
    permanent residence abroad, (4) death: applied automatically from the state systems
    (``experts_state_events_poll``, a daily beat asking ``court.capacity``, ``migration.emigration``
    and ``civil_registry.death`` through the core's port about every active or incapacitated expert).
    [A] A poll, not an inbound API: the port is a query port, and a poll needs no endpoint for the
    gateway to call, no credentials of its own and no replay protection; the price is up to a day's delay.
(5) the contract terminated after the planned indicator was missed more than 3 times: Committee staff
    decide (the act makes only (2)-(4) automatic) and the service refuses ground 5 unless the work
    record shows more than 3 missed months. After (5) the person can never apply again
    (``services.applications._expert_for_candidate``).

"Missed" [A]: a complete calendar month of the contract (after the month the expert became active,
before the current one, with no day of recorded temporary incapacity) in which the expert decided
fewer cases (``WorkRecord.decided_at`` in the month) than ``Expert.planned_monthly_cases``. The act
says "систематическом (более 3 раз)": more than 3 such months, not necessarily in a row.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from expert_registry import errors, statesystems
from expert_registry.models import Expert, ExpertStateEvent, ExpertStatusChange, WorkRecord
from expert_registry.services.experts import expert_status_change
from expert_registry.statesystems import StateEvent
from portal.errors import ApplicationError, ConflictError
from portal.statedata.services import StateAnswer, statedata_query
from portal.statedata.systems import CIVIL_REGISTRY_DEATH, DeathRecord

logger = logging.getLogger(__name__)
G = Expert.ExclusionGround
# E-7 (5): "более 3 раз"
INDICATOR_MISSES_ALLOWED = 3
IN_REGISTRY = (Expert.Status.ACTIVE, Expert.Status.INCAPACITATED)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def expert_indicator_missed_months(*, expert: Expert, today: dt.date | None = None) -> list[dt.date]:
    """The months (their first days) in which ``expert`` decided fewer cases than planned."""
    today = today or timezone.localdate()
    if not expert.planned_monthly_cases:
        return []
    history = list(ExpertStatusChange.objects.filter(expert=expert).order_by("at", "pk"))
    activations = [
        h.effective_from
        for h in history
        if h.to_status == Expert.Status.ACTIVE and h.from_status != Expert.Status.INCAPACITATED
    ]
    if not activations:
        return []
    incapacities = [
        (h.effective_from, h.effective_until or today) for h in history if h.to_status == Expert.Status.INCAPACITATED
    ]
    first = _next_month(activations[-1])
    current = _month_start(today)
    decided = dict(
        WorkRecord.objects.filter(expert=expert, decided_at__isnull=False)
        .annotate(month=TruncMonth("decided_at", tzinfo=timezone.get_default_timezone()))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month = {(m.date() if isinstance(m, dt.datetime) else m): n for m, n in decided.items()}
    missed, month = [], first
    while month < current:
        end = _next_month(month) - dt.timedelta(days=1)
        excused = any(start <= end and until >= month for start, until in incapacities)
        if not excused and by_month.get(month, 0) < expert.planned_monthly_cases:
            missed.append(month)
        month = _next_month(month)
    return missed


@transaction.atomic
def expert_exclude(*, expert: Expert, ground: int, evidence: str, actor: Any, on_date: dt.date | None = None) -> Expert:
    """Exclude ``expert`` on ``ground`` (1-5) with its evidence; ground 5 only after more than 3 missed months."""
    on_date = on_date or timezone.localdate()
    if ground not in G.values:
        raise ApplicationError(errors.EXCLUSION_GROUND, field="ground")
    if not evidence.strip():
        raise ApplicationError(errors.EVIDENCE_REQUIRED, field="evidence")
    if expert.status not in IN_REGISTRY:
        raise ConflictError(errors.NOT_IN_REGISTRY, field="status")
    if ground == G.INDICATOR_MISSED:
        missed = expert_indicator_missed_months(expert=expert, today=on_date)
        months = ", ".join(f"{m:%m.%Y}" for m in missed)
        if len(missed) <= INDICATOR_MISSES_ALLOWED:
            raise ConflictError(
                errors.INDICATOR_NOT_MISSED.format(count=len(missed), months=months or "-"), field="ground"
            )
        evidence = f"{evidence.strip()}\n[E-7 (5)] missed months: {months}"
    return expert_status_change(
        expert=expert,
        to_status=Expert.Status.EXCLUDED,
        actor=actor,
        on_date=on_date,
        ground=ground,
        evidence=evidence.strip(),
    )


# E-7 (2)-(4): the system asked for each automatic ground, in the order a found answer is applied.
EVENT_SYSTEMS: tuple[tuple[int, str, type], ...] = (
    (G.DEATH, CIVIL_REGISTRY_DEATH, DeathRecord),
    (G.INCAPABLE, statesystems.COURT_CAPACITY, StateEvent),
    (G.EMIGRATION, statesystems.EMIGRATION, StateEvent),
)


def experts_state_events_poll(*, today: dt.date | None = None) -> list[int]:
    """Ask the state systems about every expert in the registry; exclude on the first ground found.

    A system that does not answer is skipped for that expert (asked again tomorrow); never a guess."""
    today = today or timezone.localdate()
    excluded = []
    for expert in Expert.objects.filter(status__in=IN_REGISTRY).select_related("person"):
        for ground, system, as_type in EVENT_SYSTEMS:
            answer: StateAnswer[object] = statedata_query(system=system, key=expert.person.iin, as_type=as_type)
            if answer.unavailable:
                logger.warning("experts: %s did not answer about expert %s", system, expert.pk)
                continue
            if not answer.found or answer.value is None:
                continue
            if _state_event_apply(
                expert_id=expert.pk,
                ground=ground,
                system=system,
                value=answer.value,
                reference=answer.reference,
                today=today,
            ):
                excluded.append(expert.pk)
            break
    return excluded


@transaction.atomic
def _state_event_apply(
    *, expert_id: int, ground: int, system: str, value: object, reference: str, today: dt.date
) -> bool:
    from expert_registry import locks

    expert = locks.expert_for_update(expert_id)
    if isinstance(value, DeathRecord):
        event_date, document = value.death_date, f"death certificate {value.certificate_number}".strip()
    elif isinstance(value, StateEvent):
        event_date, document = value.event_date, value.document
    else:  # pragma: no cover - EVENT_SYSTEMS names the types
        raise TypeError(type(value).__name__)
    if event_date > today:
        return False  # a decision taking effect later: asked again on its day
    event, _created = ExpertStateEvent.objects.get_or_create(
        expert=expert,
        ground=ground,
        defaults={"system": system, "event_date": event_date, "evidence": document[:300], "reference": reference[:80]},
    )
    if expert.status not in IN_REGISTRY:
        return False
    evidence = f"{system}: {event.evidence} ({event.event_date:%d.%m.%Y}), {event.reference}"
    expert_exclude(expert=expert, ground=ground, evidence=evidence, actor=None, on_date=today)
    return True
