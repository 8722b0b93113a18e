"""The registry itself (item 1): experts of both kinds, their status with dated history, bank details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from expert_registry import locks
from expert_registry.banking import bic_normalize, iban_normalize
from expert_registry.errors import (
    EXCLUSION_GROUND,
    INCAPACITY_DATES,
    LEAVE_DATES,
    LEAVE_NOT_IN_REGISTRY,
    LEAVE_OVERLAPS,
    STAFF_NEEDS_DEPARTMENT,
    TRANSITION_NOT_ALLOWED,
)
from expert_registry.models import Expert, ExpertLeave, ExpertStatusChange
from portal.errors import ApplicationError, ConflictError
from portal.nosology.models import NosologyGroup
from portal.people.models import Person
from portal.territory.models import MseDepartment

S = Expert.Status

# Which status may follow which. A refused candidate, or one excluded on grounds 1-4, may apply again
# (E-4, E-7); ground 5 is checked apart (``expert_may_apply``).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLICANT: frozenset({S.TESTING, S.REFUSED}),
    S.TESTING: frozenset({S.INCLUDED, S.REFUSED}),
    S.INCLUDED: frozenset({S.CONTRACT_PENDING, S.REFUSED}),
    S.CONTRACT_PENDING: frozenset({S.ACTIVE, S.REFUSED}),
    S.ACTIVE: frozenset({S.INCAPACITATED, S.EXCLUDED}),
    S.INCAPACITATED: frozenset({S.ACTIVE, S.INCAPACITATED, S.EXCLUDED}),
    S.REFUSED: frozenset({S.APPLICANT}),
    S.EXCLUDED: frozenset({S.APPLICANT}),
}


def _record(
    *,
    expert: Expert,
    old: str,
    new: str,
    actor: Any,
    on_date: dt.date,
    until: dt.date | None = None,
    ground: int | None = None,
    evidence: str = "",
) -> ExpertStatusChange:
    return ExpertStatusChange.objects.create(
        expert=expert,
        from_status=old,
        to_status=new,
        effective_from=on_date,
        effective_until=until,
        exclusion_ground=ground,
        evidence=evidence,
        actor=actor,
        at=timezone.now(),
    )


@transaction.atomic
def expert_register_staff(
    *,
    person: Person,
    position: str,
    department: MseDepartment,
    nosology_groups: list[NosologyGroup],
    actor: Any,
    on_date: dt.date | None = None,
) -> Expert:
    """An MSE department's expert-head or chief specialist joins the registry, active from ``on_date``."""
    if position not in (Expert.Position.EXPERT_HEAD, Expert.Position.CHIEF_SPECIALIST):
        raise ApplicationError(STAFF_NEEDS_DEPARTMENT, field="position")
    if Expert.objects.filter(person=person).exists():
        raise ConflictError(TRANSITION_NOT_ALLOWED.format(old=S.ACTIVE.label, new=S.ACTIVE.label), field="person")
    on_date = on_date or timezone.localdate()
    expert = Expert.objects.create(
        person=person,
        kind=Expert.Kind.DEPARTMENT_STAFF,
        position=position,
        department=department,
        region_id=department.region_id,
        status=S.ACTIVE,
        status_since=on_date,
    )
    expert.nosology_groups.set(nosology_groups)
    _record(expert=expert, old="", new=S.ACTIVE, actor=actor, on_date=on_date)
    return expert


@transaction.atomic
def expert_status_change(
    *,
    expert: Expert,
    to_status: str,
    actor: Any,
    on_date: dt.date | None = None,
    until: dt.date | None = None,
    ground: int | None = None,
    evidence: str = "",
) -> Expert:
    """Move ``expert`` to ``to_status`` if the registry allows it, leaving a dated history row (X-5).

    Incapacity needs its first and last day (``on_date``, ``until``); exclusion its ground (E-7).
    """
    expert = locks.expert_for_update(expert.pk)
    old = expert.status
    if to_status not in TRANSITIONS.get(old, frozenset()):
        raise ConflictError(TRANSITION_NOT_ALLOWED.format(old=S(old).label, new=S(to_status).label), field="status")
    on_date = on_date or timezone.localdate()
    fields = ["status", "status_since", "updated_at"]
    if to_status == S.INCAPACITATED:
        if until is None or until < on_date:
            raise ApplicationError(INCAPACITY_DATES, field="until")
        expert.incapacitated_from, expert.incapacitated_until = on_date, until
        fields += ["incapacitated_from", "incapacitated_until"]
    elif old == S.INCAPACITATED:
        expert.incapacitated_from = expert.incapacitated_until = None
        fields += ["incapacitated_from", "incapacitated_until"]
    if to_status == S.EXCLUDED:
        if ground not in Expert.ExclusionGround.values:
            raise ApplicationError(EXCLUSION_GROUND, field="ground")
        expert.exclusion_ground = ground
        fields.append("exclusion_ground")
    elif old == S.EXCLUDED:
        expert.exclusion_ground = None
        fields.append("exclusion_ground")
    expert.status, expert.status_since = to_status, on_date
    expert.save(update_fields=fields)
    _record(
        expert=expert,
        old=old,
        new=to_status,
        actor=actor,
        on_date=on_date,
        until=until if to_status == S.INCAPACITATED else None,
        ground=ground if to_status == S.EXCLUDED else None,
        evidence=evidence,
    )
    return expert


@transaction.atomic
def expert_bank_details_set(
    *, expert: Expert, bank_name: str, iban: str, bic: str, account_number: str = "", account_type: str = "текущий"
) -> Expert:
    """E-11: the bank details; the IBAN must pass its ISO 13616 checksum and be a KZ account."""
    expert.iban = iban_normalize(iban)
    expert.bic = bic_normalize(bic)
    expert.bank_name = bank_name.strip()
    expert.account_number = "".join(account_number.split()).upper() or expert.iban
    expert.account_type = account_type
    expert.save(update_fields=["iban", "bic", "bank_name", "account_number", "account_type", "updated_at"])
    return expert


@transaction.atomic
def expert_competences_set(*, expert: Expert, nosology_groups: list[NosologyGroup]) -> Expert:
    expert.nosology_groups.set(nosology_groups)
    return expert


@transaction.atomic
def expert_leave_add(
    *, expert: Expert, starts_on: dt.date, ends_on: dt.date, actor: Any, note: str = ""
) -> ExpertLeave:
    """A dated leave: the expert receives no new case from ``starts_on`` to ``ends_on`` inclusive and a
    late case of theirs on those days is redistributed (P-6, E-8, E-9). Refused when the dates are
    reversed, the expert is not in the registry's working states, or it overlaps another leave
    (checked under the expert's row lock, so two at once cannot both pass). Audited (X-5)."""
    if ends_on < starts_on:
        raise ApplicationError(LEAVE_DATES, field="ends_on")
    expert = locks.expert_for_update(expert.pk)
    if expert.status not in (S.ACTIVE, S.INCAPACITATED):
        raise ConflictError(LEAVE_NOT_IN_REGISTRY, field="expert")
    clash = ExpertLeave.objects.filter(expert=expert, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if clash is not None:
        raise ConflictError(LEAVE_OVERLAPS.format(dates=str(clash)), field="starts_on")
    return ExpertLeave.objects.create(
        expert=expert, starts_on=starts_on, ends_on=ends_on, note=note.strip(), created_by=actor
    )


@transaction.atomic
def expert_leave_cancel(*, leave: ExpertLeave) -> None:
    """Withdraw a recorded leave (audited: the delete stays in the audit log, X-5)."""
    locks.expert_for_update(leave.expert_id)
    leave.delete()
