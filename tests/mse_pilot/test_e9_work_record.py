"""E-9 with E-10: a case redistributed away from an expert closes that expert's open work record
entry as withdrawn (``expert_registry.services.work_record_case_withdrawn``): it is no longer their
open case, and the month's evaluation counts it neither as received, decided nor late."""

import datetime as dt

import pytest
from django.db import connection

from expert_registry.models import EvaluationResult, WorkRecord
from expert_registry.selectors import expert_open_case_count
from expert_registry.services import work_record_case_decided, work_record_case_withdrawn
from expert_registry.services.evaluation import evaluations_compute, month_before
from expert_registry.services.experts import expert_status_change
from mse_pilot.models import PanelAssignment
from mse_pilot.services import assignments_redistribute, cases_distribute
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import ASTANA, draft_act, staff_expert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("portable", [True, False])
def test_e9_the_replaced_experts_work_record_is_withdrawn_and_not_late_in_e10(portable):
    if not portable and connection.vendor != "postgresql":
        pytest.skip("the SQL path of E-10 runs on PostgreSQL")
    sick = staff_expert(kato=ASTANA)
    case = draft_act(almaty(2025, 11, 25, 9, 0))  # Tuesday 25 November 2025
    cases_distribute(now=almaty(2025, 11, 25, 10, 0))
    ref = str(case.public_id)
    assert PanelAssignment.objects.get(case=case).due_at == almaty(2025, 11, 25, 18, 0)
    assert expert_open_case_count(expert=sick) == 1
    expert_status_change(
        expert=sick, to_status="incapacitated", actor=None, on_date=dt.date(2025, 11, 26), until=dt.date(2025, 11, 28)
    )
    other = staff_expert(kato=ASTANA)
    assert assignments_redistribute(now=almaty(2025, 11, 26, 11, 0)).redistributed == [ref]
    record = WorkRecord.objects.get(expert=sick, case_ref=ref)
    assert (record.decided_at, record.withdrawn_at) == (None, almaty(2025, 11, 26, 11, 0))
    assert expert_open_case_count(expert=sick) == 0
    # the new member decides on Thursday 27th, by the due time of 18:00
    work_record_case_decided(expert=other, case_ref=ref, decided_at=almaty(2025, 11, 27, 12, 0))
    # a decision reaching the withdrawn entry later does not reopen it
    work_record_case_decided(expert=sick, case_ref=ref, decided_at=almaty(2025, 11, 29, 12, 0))
    assert WorkRecord.objects.get(expert=sick, case_ref=ref).decided_at is None
    evaluations_compute(period=month_before(dt.date(2025, 12, 1)), portable=portable)
    mine = EvaluationResult.objects.get(expert=sick, period_start=dt.date(2025, 11, 1))
    assert (mine.received, mine.decided, mine.decided_on_time) == (0, 0, 0)
    assert mine.timeliness is None  # nothing to measure: not 0%, not late
    theirs = EvaluationResult.objects.get(expert=other, period_start=dt.date(2025, 11, 1))
    assert (theirs.received, theirs.decided, theirs.decided_on_time) == (1, 1, 1)


def test_e9_withdrawing_is_idempotent_and_leaves_a_decided_entry_as_it_is():
    expert = staff_expert(kato=ASTANA)
    at = almaty(2025, 11, 25, 10, 0)
    WorkRecord.objects.create(expert=expert, case_ref="a", received_at=at, due_at=almaty(2025, 11, 25, 18, 0))
    WorkRecord.objects.create(
        expert=expert, case_ref="b", received_at=at, due_at=almaty(2025, 11, 25, 18, 0), decided_at=at
    )
    first = work_record_case_withdrawn(expert=expert, case_ref="a", withdrawn_at=almaty(2025, 11, 26, 11, 0))
    again = work_record_case_withdrawn(expert=expert, case_ref="a", withdrawn_at=almaty(2025, 11, 27, 11, 0))
    assert first is not None
    assert again is not None
    assert again.withdrawn_at == almaty(2025, 11, 26, 11, 0)
    decided = work_record_case_withdrawn(expert=expert, case_ref="b", withdrawn_at=almaty(2025, 11, 26, 11, 0))
    assert decided is not None
    assert decided.withdrawn_at is None
    assert work_record_case_withdrawn(expert=expert, case_ref="none", withdrawn_at=at) is None
