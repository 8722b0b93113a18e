"""P-6: a draft act is distributed from the waiting list, in arrival order, to one extraterritorial
expert-head (the nosology pilot, act 001), active, competent, not incapacitated that day, the least
loaded first; the reason is stored; with no eligible expert the act waits and staff are warned."""

import datetime as dt
import logging

import pytest

from expert_registry.models import Expert, WorkRecord
from expert_registry.services.experts import expert_status_change
from mse_pilot.models import PanelAssignment, Programme, RemoteCase
from mse_pilot.services import cases_distribute, cases_distribute_all
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import AKMOLA, ASTANA, doctor_expert, draft_act, staff_expert

pytestmark = pytest.mark.django_db

# Tuesday 25 November 2025, inside act 001's window (22.06.2025-21.06.2026)
NOW = almaty(2025, 11, 25, 10, 0)


def test_p6_the_nosology_pilot_is_seeded_with_one_expert_head():
    programme = Programme.objects.get(code="nosology-pilot-001")
    assert (programme.starts_on, programme.ends_on) == (dt.date(2025, 6, 22), dt.date(2026, 6, 21))
    assert [(s.role, s.count, s.until_on) for s in programme.seats.all()] == [("expert_head", 1, None)]


def test_p6_one_extraterritorial_expert_head_is_assigned_with_its_reason_and_work_record():
    home = staff_expert(kato=AKMOLA)  # the person's own region: never chosen
    away = staff_expert(kato=ASTANA)
    staff_expert(Expert.Position.CHIEF_SPECIALIST, kato=ASTANA)  # another role: not on this panel
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    run = cases_distribute(now=NOW)
    assert run.assigned == [str(case.public_id)]
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.ASSIGNED
    assert case.programme.code == "nosology-pilot-001"
    (member,) = PanelAssignment.objects.filter(case=case)
    assert (member.expert_id, member.role, member.status) == (away.pk, "expert_head", "assigned")
    # received 10:00 on a working day, before 16:00: due 18:00 the same day (P-7)
    assert member.due_at == almaty(2025, 11, 25, 18, 0)
    assert member.reason["chosen"]["expert"] == str(away.public_id)
    assert member.reason["same_region_skipped"] == 1
    assert member.reason["rule_version"] == member.rule_version
    assert "P-6" in member.rule_version
    assert [c["open_cases"] for c in member.reason["candidates"]] == [0]
    assert home.pk not in {c["expert"] for c in member.reason["candidates"]}
    record = WorkRecord.objects.get(expert=away, case_ref=str(case.public_id))
    assert (record.received_at, record.due_at, record.decided_at) == (NOW, member.due_at, None)


def test_p6_fewest_open_cases_then_least_recently_given():
    a, b, c = (staff_expert(kato=ASTANA) for _ in range(3))
    WorkRecord.objects.create(expert=a, case_ref="old-1", received_at=NOW, due_at=NOW)  # a has one open case
    cases = [draft_act(almaty(2025, 11, 25, 8, m)) for m in range(4)]
    cases_distribute(now=NOW)
    chosen = [PanelAssignment.objects.get(case=k).expert_id for k in cases]
    # b and c (0 open) first, then whoever is least recently given among equals
    assert chosen[:2] == [b.pk, c.pk]
    assert chosen[2] == a.pk  # all at 1 open case now: a was never given by the distributor
    assert chosen[3] == b.pk  # b was given before c
    assert sorted(WorkRecord.objects.filter(decided_at__isnull=True).values_list("expert_id", flat=True)) == sorted(
        [a.pk, a.pk, b.pk, b.pk, c.pk]
    )


def test_p6_decided_and_withdrawn_cases_are_not_open_load():
    a, b = staff_expert(kato=ASTANA), staff_expert(kato=ASTANA)
    WorkRecord.objects.create(expert=a, case_ref="done", received_at=NOW, due_at=NOW, decided_at=NOW)
    WorkRecord.objects.create(expert=a, case_ref="taken-over", received_at=NOW, due_at=NOW, withdrawn_at=NOW)
    WorkRecord.objects.create(expert=b, case_ref="open", received_at=NOW, due_at=NOW)
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    cases_distribute(now=NOW)
    member = PanelAssignment.objects.get(case=case)
    assert member.expert_id == a.pk
    assert [(c["expert"], c["open_cases"]) for c in member.reason["candidates"]] == [
        (str(a.public_id), 0),
        (str(b.public_id), 1),
    ]


def test_p6_arrival_order_is_kept_when_experts_are_scarce():
    expert = staff_expert(kato=ASTANA)
    late = draft_act(almaty(2025, 11, 25, 9, 30))
    early = draft_act(almaty(2025, 11, 25, 9, 0))
    run = cases_distribute(now=NOW, limit=1)
    assert run.assigned == [str(early.public_id)]
    assert PanelAssignment.objects.get(case=early).expert == expert
    assert RemoteCase.objects.get(pk=late.pk).stage == RemoteCase.Stage.WAITING


def test_p6_incapacitated_inactive_incompetent_experts_are_not_chosen():
    sick = staff_expert(kato=ASTANA)
    expert_status_change(
        expert=sick, to_status="incapacitated", actor=None, on_date=dt.date(2025, 11, 24), until=dt.date(2025, 11, 28)
    )
    staff_expert(kato=ASTANA, groups=(1,))  # not competent for form 2
    doctor_expert()  # a doctor-expert: not on the nosology pilot's panel
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    assert cases_distribute(now=NOW).waiting == [str(case.public_id)]
    # the day after the incapacity ends the expert is back in the pool
    later = almaty(2025, 12, 1, 10, 0)
    assert cases_distribute_all(now=later).assigned == [str(case.public_id)]
    assert PanelAssignment.objects.get(case=case).expert == sick


def test_p6_with_no_eligible_expert_the_act_waits_staff_are_warned_and_a_later_run_takes_it(caplog):
    staff_expert(kato=AKMOLA)  # only the person's own region
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    with caplog.at_level(logging.WARNING, logger="mse_pilot.distribution"):
        run = cases_distribute_all(now=NOW)
    assert run.waiting == [str(case.public_id)]
    assert run.assigned == []
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.WAITING
    assert case.no_expert_since == NOW
    assert "expert_head 1: no eligible expert" in case.no_expert_reason
    # the id's first group: its last, 12 hex digits, may be all digits and then masked as if an IIN
    assert str(case.public_id)[:8] in caplog.text
    assert not PanelAssignment.objects.exists()
    away = staff_expert(kato=ASTANA)
    assert cases_distribute_all(now=almaty(2025, 11, 25, 11, 0)).assigned == [str(case.public_id)]
    case.refresh_from_db()
    assert (case.no_expert_since, case.no_expert_reason) == (None, "")
    assert PanelAssignment.objects.get(case=case).expert == away


def test_p6_a_run_moves_past_waiting_acts_to_later_ones():
    staff_expert(kato=ASTANA, groups=(2,))
    stuck = draft_act(almaty(2025, 11, 25, 8, 0), number=1)  # nobody is competent for form 1
    fine = draft_act(almaty(2025, 11, 25, 9, 0))
    run = cases_distribute_all(now=NOW, limit=1)
    assert (run.waiting, run.assigned) == ([str(stuck.public_id)], [str(fine.public_id)])


def test_p6_outside_every_programme_the_act_waits():
    staff_expert(kato=ASTANA)
    case = draft_act(almaty(2026, 11, 24, 9, 0))
    run = cases_distribute(now=almaty(2026, 11, 24, 10, 0))  # after act 001's window, act 002 long over
    assert run.waiting == [str(case.public_id)]
    assert "no programme in force on 24.11.2026" in RemoteCase.objects.get(pk=case.pk).no_expert_reason


def test_p6_staff_read_the_reason_in_the_admin(admin_client):
    staff_expert(kato=ASTANA)
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    cases_distribute(now=NOW)
    member = PanelAssignment.objects.get(case=case)
    page = admin_client.get(f"/admin/mse_pilot/panelassignment/{member.pk}/change/")
    assert page.status_code == 200
    assert "same_region_skipped" in page.content.decode()
    assert "P-6/E-8" in page.content.decode()
