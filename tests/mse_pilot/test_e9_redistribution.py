"""E-9: cases of an excluded or temporarily incapacitated expert, not done in time, go to another
expert of the registry, due within 1 working day after the day they were sent (18:00 of the next
working day). Literal datetimes, Asia/Almaty, across Nauryz and 16 December."""

import datetime as dt

import pytest

from expert_registry.models import Expert, WorkRecord
from expert_registry.services.experts import expert_status_change
from mse_pilot.models import PanelAssignment
from mse_pilot.services import assignments_redistribute, cases_distribute, redistribution_due_at
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import ASTANA, draft_act, staff_expert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # an ordinary Tuesday, morning or evening: Wednesday 18:00
        (almaty(2025, 11, 25, 9, 0), almaty(2025, 11, 26, 18, 0)),
        (almaty(2025, 11, 25, 17, 30), almaty(2025, 11, 26, 18, 0)),
        # Monday 15 December 2025: the 16th is Independence Day, due Wednesday 17th
        (almaty(2025, 12, 15, 10, 0), almaty(2025, 12, 17, 18, 0)),
        # sent on the holiday itself: the next working day after it
        (almaty(2025, 12, 16, 10, 0), almaty(2025, 12, 17, 18, 0)),
        # Friday 20 March 2026: Nauryz 21-23 March and the transferred days off 24-25: Thursday 26th
        (almaty(2026, 3, 20, 11, 0), almaty(2026, 3, 26, 18, 0)),
        # Thursday 20 March 2025: Nauryz 21-23, transfers 24-25: Wednesday 26th
        (almaty(2025, 3, 20, 9, 0), almaty(2025, 3, 26, 18, 0)),
    ],
)
def test_e9_redistributed_case_due_end_of_the_working_day_after_it_was_sent(sent, due):
    assert redistribution_due_at(sent) == due


def _assigned(received: dt.datetime, now: dt.datetime):
    first = staff_expert(kato=ASTANA)
    case = draft_act(received)
    cases_distribute(now=now)
    return first, case, PanelAssignment.objects.get(case=case)


def test_e9_an_incapacitated_experts_late_case_goes_to_another_expert_across_nauryz():
    sick, case, old = _assigned(almaty(2026, 3, 19, 9, 0), almaty(2026, 3, 19, 10, 0))
    assert old.due_at == almaty(2026, 3, 19, 18, 0)
    expert_status_change(
        expert=sick, to_status="incapacitated", actor=None, on_date=dt.date(2026, 3, 19), until=dt.date(2026, 3, 31)
    )
    other = staff_expert(kato=ASTANA)
    run = assignments_redistribute(now=almaty(2026, 3, 20, 11, 0))
    assert run.redistributed == [str(case.public_id)]
    old.refresh_from_db()
    assert old.status == PanelAssignment.Status.REDISTRIBUTED
    new = PanelAssignment.objects.get(case=case, status="assigned")
    assert (new.expert, new.role, new.seat, new.redistributed_from) == (other, "expert_head", 1, old)
    assert new.due_at == almaty(2026, 3, 26, 18, 0)
    assert new.reason["rule"] == "E-9"
    assert new.reason["redistributed_from"] == old.pk
    assert WorkRecord.objects.get(expert=other, case_ref=str(case.public_id)).due_at == new.due_at
    # a second run changes nothing
    assert assignments_redistribute(now=almaty(2026, 3, 20, 11, 10)).redistributed == []


def test_e9_an_excluded_experts_late_case_is_redistributed_across_16_december():
    gone, case, _old = _assigned(almaty(2025, 12, 12, 9, 0), almaty(2025, 12, 12, 10, 0))
    expert_status_change(
        expert=gone,
        to_status="excluded",
        actor=None,
        on_date=dt.date(2025, 12, 15),
        ground=Expert.ExclusionGround.OWN_APPLICATION,
    )
    other = staff_expert(kato=ASTANA)
    assignments_redistribute(now=almaty(2025, 12, 15, 9, 30))
    new = PanelAssignment.objects.get(case=case, status="assigned")
    assert new.expert == other
    assert new.due_at == almaty(2025, 12, 17, 18, 0)


def test_e9_a_case_not_yet_late_or_of_an_active_expert_stays():
    busy, case, _old = _assigned(almaty(2025, 11, 25, 9, 0), almaty(2025, 11, 25, 10, 0))
    staff_expert(kato=ASTANA)
    # late, but the expert is active: not E-9's case
    assert assignments_redistribute(now=almaty(2025, 11, 26, 10, 0)).redistributed == []
    expert_status_change(
        expert=busy, to_status="incapacitated", actor=None, on_date=dt.date(2025, 11, 25), until=dt.date(2025, 11, 28)
    )
    # incapacitated, but the case is not late yet (due 18:00)
    assert assignments_redistribute(now=almaty(2025, 11, 25, 17, 0)).redistributed == []
    assert PanelAssignment.objects.get(case=case, status="assigned").expert == busy


def test_e9_with_nobody_to_take_it_the_member_stays_and_staff_are_warned():
    sick, case, old = _assigned(almaty(2025, 11, 25, 9, 0), almaty(2025, 11, 25, 10, 0))
    expert_status_change(
        expert=sick, to_status="incapacitated", actor=None, on_date=dt.date(2025, 11, 26), until=dt.date(2025, 11, 28)
    )
    run = assignments_redistribute(now=almaty(2025, 11, 26, 10, 0))
    assert run.waiting == [str(case.public_id)]
    old.refresh_from_db()
    assert old.status == "assigned"
    case.refresh_from_db()
    assert case.no_expert_since == almaty(2025, 11, 26, 10, 0)
    assert "E-9" in case.no_expert_reason
