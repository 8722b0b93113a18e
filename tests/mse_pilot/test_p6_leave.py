"""P-6, E-8, E-9: an expert on a dated leave receives no new case on any day of it, inclusive of the
first and last day, and a late case of theirs on a day of leave is redistributed. Literal dates."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from expert_registry.models import Expert, ExpertLeave
from expert_registry.selectors import expert_pool_for, experts_unavailable_on
from expert_registry.services.experts import expert_leave_add, expert_leave_cancel, expert_status_change
from mse_pilot.models import PanelAssignment
from mse_pilot.services import assignments_redistribute, cases_distribute, cases_distribute_all
from portal.errors import ApplicationError, ConflictError
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import AKMOLA, ASTANA, draft_act, group, staff_expert

pytestmark = pytest.mark.django_db


def _pool(day: dt.date) -> list[int]:
    pool = expert_pool_for(nosology_group=group(2), role="expert_head", exclude_region=None, on_date=day)
    return [e.pk for e in pool]


def test_p6_an_expert_on_leave_is_out_of_the_pool_from_its_first_to_its_last_day():
    away = staff_expert(kato=ASTANA)
    expert_leave_add(expert=away, starts_on=dt.date(2025, 11, 24), ends_on=dt.date(2025, 11, 28), actor=None)
    assert _pool(dt.date(2025, 11, 23)) == [away.pk]
    assert _pool(dt.date(2025, 11, 24)) == []
    assert _pool(dt.date(2025, 11, 28)) == []
    assert _pool(dt.date(2025, 11, 29)) == [away.pk]
    ids = {away.pk}
    assert experts_unavailable_on(expert_ids=ids, on_date=dt.date(2025, 11, 23)) == set()
    assert experts_unavailable_on(expert_ids=ids, on_date=dt.date(2025, 11, 24)) == {away.pk}
    assert experts_unavailable_on(expert_ids=ids, on_date=dt.date(2025, 11, 28)) == {away.pk}
    assert experts_unavailable_on(expert_ids=ids, on_date=dt.date(2025, 11, 29)) == set()


def test_p6_an_expert_on_leave_gets_no_case_and_is_back_the_day_after():
    resting = staff_expert(kato=ASTANA)
    staff_expert(kato=AKMOLA)  # the person's own region: never chosen
    expert_leave_add(expert=resting, starts_on=dt.date(2025, 11, 24), ends_on=dt.date(2025, 11, 28), actor=None)
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    assert cases_distribute(now=almaty(2025, 11, 25, 10, 0)).waiting == [str(case.public_id)]
    # Monday 1 December 2025, the leave over
    assert cases_distribute_all(now=almaty(2025, 12, 1, 10, 0)).assigned == [str(case.public_id)]
    assert PanelAssignment.objects.get(case=case).expert == resting


def test_p6_an_incapacitated_expert_on_leave_on_another_day_is_still_out_that_day():
    expert = staff_expert(kato=ASTANA)
    expert_status_change(
        expert=expert, to_status="incapacitated", actor=None, on_date=dt.date(2025, 11, 3), until=dt.date(2025, 11, 7)
    )
    expert_leave_add(expert=expert, starts_on=dt.date(2025, 11, 10), ends_on=dt.date(2025, 11, 14), actor=None)
    assert _pool(dt.date(2025, 11, 5)) == []
    assert _pool(dt.date(2025, 11, 12)) == []
    assert _pool(dt.date(2025, 11, 17)) == [expert.pk]


def test_e9_a_late_case_of_an_expert_on_leave_is_redistributed():
    first = staff_expert(kato=ASTANA)
    case = draft_act(almaty(2025, 11, 21, 9, 0))  # Friday 21 November 2025
    cases_distribute(now=almaty(2025, 11, 21, 10, 0))
    old = PanelAssignment.objects.get(case=case)
    assert (old.expert, old.due_at) == (first, almaty(2025, 11, 21, 18, 0))
    expert_leave_add(expert=first, starts_on=dt.date(2025, 11, 24), ends_on=dt.date(2025, 12, 5), actor=None)
    other = staff_expert(kato=ASTANA)
    run = assignments_redistribute(now=almaty(2025, 11, 24, 9, 30))
    assert run.redistributed == [str(case.public_id)]
    assert PanelAssignment.objects.get(case=case, status="assigned").expert == other


def test_item1_a_leave_is_refused_when_reversed_overlapping_or_of_an_excluded_expert_and_is_audited():
    expert = staff_expert(kato=ASTANA)
    with pytest.raises(ApplicationError) as reversed_:
        expert_leave_add(expert=expert, starts_on=dt.date(2025, 11, 28), ends_on=dt.date(2025, 11, 24), actor=None)
    assert (reversed_.value.code, reversed_.value.field) == ("leave_dates_invalid", "ends_on")
    leave = expert_leave_add(
        expert=expert, starts_on=dt.date(2025, 11, 24), ends_on=dt.date(2025, 11, 28), actor=None, note=" отпуск "
    )
    assert leave.note == "отпуск"
    with pytest.raises(ConflictError) as overlap:
        expert_leave_add(expert=expert, starts_on=dt.date(2025, 11, 28), ends_on=dt.date(2025, 12, 2), actor=None)
    assert overlap.value.code == "leave_overlaps"
    assert "24.11.2025 - 28.11.2025" in str(overlap.value.message)
    # the next day after the last day is free
    expert_leave_add(expert=expert, starts_on=dt.date(2025, 11, 29), ends_on=dt.date(2025, 12, 2), actor=None)
    assert ExpertLeave.objects.filter(expert=expert).count() == 2
    assert LogEntry.objects.get_for_object(leave).filter(action=LogEntry.Action.CREATE).exists()
    expert_leave_cancel(leave=leave)
    assert ExpertLeave.objects.filter(expert=expert).count() == 1
    assert _pool(dt.date(2025, 11, 25)) == [expert.pk]
    expert_status_change(expert=expert, to_status="excluded", actor=None, on_date=dt.date(2025, 12, 10), ground=1)
    with pytest.raises(ConflictError) as excluded:
        expert_leave_add(expert=expert, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 9), actor=None)
    assert excluded.value.code == "leave_not_in_registry"


def test_e7_unavailable_experts_are_exactly_those_the_pool_leaves_out_on_a_day():
    # Monday 24 November 2025; every expert of the same role, group and no excluded region
    active = staff_expert(kato=ASTANA)
    sick_today = staff_expert(kato=ASTANA)
    sick_before = staff_expert(kato=ASTANA)
    sick_after = staff_expert(kato=ASTANA)
    sick_open = staff_expert(kato=ASTANA)  # incapacitated from the 20th, no end known
    sick_undated = staff_expert(kato=ASTANA)  # incapacitated, no dates at all: every day
    excluded = staff_expert(kato=ASTANA)
    away = staff_expert(kato=ASTANA)
    expert_leave_add(expert=away, starts_on=dt.date(2025, 11, 24), ends_on=dt.date(2025, 11, 24), actor=None)
    Expert.objects.filter(pk=sick_today.pk).update(
        status="incapacitated", incapacitated_from=dt.date(2025, 11, 24), incapacitated_until=dt.date(2025, 11, 24)
    )
    Expert.objects.filter(pk=sick_before.pk).update(
        status="incapacitated", incapacitated_from=dt.date(2025, 11, 17), incapacitated_until=dt.date(2025, 11, 23)
    )
    Expert.objects.filter(pk=sick_after.pk).update(
        status="incapacitated", incapacitated_from=dt.date(2025, 11, 25), incapacitated_until=dt.date(2025, 11, 28)
    )
    Expert.objects.filter(pk=sick_open.pk).update(status="incapacitated", incapacitated_from=dt.date(2025, 11, 20))
    Expert.objects.filter(pk=sick_undated.pk).update(status="incapacitated")
    Expert.objects.filter(pk=excluded.pk).update(status="excluded", exclusion_ground=1)
    everyone = {e.pk for e in (active, sick_today, sick_before, sick_after, sick_open, sick_undated, excluded, away)}

    unavailable = experts_unavailable_on(expert_ids=everyone, on_date=dt.date(2025, 11, 24))

    assert unavailable == {sick_today.pk, sick_open.pk, sick_undated.pk, excluded.pk, away.pk}
    assert set(_pool(dt.date(2025, 11, 24))) == everyone - unavailable == {active.pk, sick_before.pk, sick_after.pk}
    # the next day the one-day leave and incapacity are over; the later incapacity has begun
    assert experts_unavailable_on(expert_ids=everyone, on_date=dt.date(2025, 11, 25)) == {
        sick_after.pk,
        sick_open.pk,
        sick_undated.pk,
        excluded.pk,
    }
    # only the experts asked about are answered
    assert experts_unavailable_on(expert_ids={active.pk, excluded.pk}, on_date=dt.date(2025, 11, 24)) == {excluded.pk}
