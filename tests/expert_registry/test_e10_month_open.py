"""E-10: a month's result row is opened by the expert's first case of the month and filled in place by
the run on the 1st; until then it is no result: no page, API, report, price table or formula freeze
sees it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from expert_registry.models import EvaluationFormula, EvaluationResult, Expert, WorkRecord
from expert_registry.services.evaluation import evaluation_months_open, evaluations_compute, month_before
from expert_registry.services.work import work_record_case_withdrawn
from tests.expert_registry.test_e10_evaluation import at, case, formula_weights_edit, make_expert, may_work

pytestmark = pytest.mark.django_db

MAY = month_before(dt.date(2025, 6, 1))


def test_e10_a_case_received_opens_its_local_months_row_empty_and_unseen():
    expert = make_expert(planned=22)
    # received at 00:10 on 1 June in Almaty (18:10 UTC on 31 May): June's
    case(expert, "a", at(2025, 6, 1, 0, 10), at(2025, 6, 4, 18))
    row = EvaluationResult.all_rows.get(expert=expert)
    assert (row.period, row.period_start, row.period_end) == ("month", dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    assert (row.received, row.decided, row.decided_on_time, row.reviewed, row.upheld) == (0, 0, 0, 0, 0)
    assert (row.planned, row.score, row.computed_at) == (None, None, None)
    assert row.formula.version == 1
    # not a result yet
    assert not EvaluationResult.objects.exists()
    assert not expert.evaluations.exists()
    # a second case of the month opens nothing more
    case(expert, "b", at(2025, 6, 20), at(2025, 6, 24, 18))
    assert EvaluationResult.all_rows.count() == 1


def test_e10_a_decision_opens_the_month_it_was_made_in():
    expert = make_expert()
    case(expert, "a", at(2025, 5, 30), at(2025, 6, 4, 18), decided=at(2025, 6, 2))
    opened = EvaluationResult.all_rows.filter(expert=expert).values_list("period_start", flat=True)
    assert sorted(opened) == [dt.date(2025, 5, 1), dt.date(2025, 6, 1)]


def test_e10_a_month_without_a_formula_is_not_opened_and_the_case_is_kept():
    EvaluationFormula.objects.all().delete()
    expert = make_expert()
    case(expert, "a", at(2025, 5, 5), at(2025, 5, 9, 18))
    assert WorkRecord.objects.filter(expert=expert, case_ref="a").exists()
    assert not EvaluationResult.all_rows.exists()


@pytest.mark.parametrize("portable", [False, True], ids=["database", "portable"])
def test_e10_the_run_fills_the_open_row_in_place(portable):
    expert = make_expert(planned=22)
    may_work(expert)
    opened = EvaluationResult.all_rows.get(expert=expert, period_start=dt.date(2025, 5, 1))
    assert opened.computed_at is None
    evaluations_compute(period=MAY, portable=portable)
    result = EvaluationResult.objects.get(expert=expert, period_start=dt.date(2025, 5, 1))
    assert (result.pk, result.public_id) == (opened.pk, opened.public_id)
    assert (result.decided, result.decided_on_time, result.reviewed, result.upheld, result.received) == (
        11,
        9,
        5,
        4,
        13,
    )
    assert result.score == Decimal("74.73")
    assert result.computed_at is not None
    # June's row (a case decided at 00:30 on 1 June) and April's stay open: those months were not run
    still_open = EvaluationResult.all_rows.filter(expert=expert, computed_at=None).values_list(
        "period_start", flat=True
    )
    assert sorted(still_open) == [dt.date(2025, 4, 1), dt.date(2025, 6, 1)]


@pytest.mark.parametrize("portable", [False, True], ids=["database", "portable"])
def test_e10_the_run_removes_an_open_row_of_an_expert_it_does_not_evaluate(portable):
    worker, idle = make_expert(planned=3), make_expert()
    case(worker, "a", at(2025, 5, 5), at(2025, 5, 9, 18), decided=at(2025, 5, 8))
    # opened with no case of May behind it (no plan either): the run evaluates no one for it
    evaluation_months_open(entries=[(idle.pk, at(2025, 5, 3))])
    assert EvaluationResult.all_rows.filter(expert=idle).exists()
    assert evaluations_compute(period=MAY, portable=portable) == 1
    assert not EvaluationResult.all_rows.filter(expert=idle).exists()
    assert EvaluationResult.objects.get(expert=worker).decided == 1


def test_e10_an_open_month_is_in_no_cabinet_and_does_not_freeze_its_formula(client, citizen, admin_client):
    expert = make_expert(planned=5)
    case(expert, "a", at(2025, 6, 3), at(2025, 6, 6, 18))
    opened = EvaluationResult.all_rows.get(expert=expert)
    formula = EvaluationFormula.objects.get(version=1)
    assert admin_client.get(f"/admin/expert_registry/evaluationresult/{opened.pk}/change/").status_code == 302
    formula_weights_edit(admin_client, formula, timeliness="90", quality="5", volume="5")
    formula.refresh_from_db()
    assert formula.weight_timeliness == Decimal("90")
    Expert.objects.filter(pk=expert.pk).update(person=citizen.person)
    client.force_login(citizen)
    assert str(opened.public_id) not in client.get(reverse("expert_registry:cabinet")).content.decode()
    assert client.get(reverse("expert_registry:evaluation", args=[opened.public_id])).status_code == 404


@pytest.mark.parametrize("portable", [False, True], ids=["database", "portable"])
def test_e10_an_open_row_whose_counts_stay_zero_is_still_filled(portable):
    # the month's only case was redistributed away (E-9): the expert is evaluated with nothing counted,
    # and the open row, whose counts were zero already, is filled all the same
    expert = make_expert()
    case(expert, "a", at(2025, 5, 5), at(2025, 5, 9, 18))
    work_record_case_withdrawn(expert=expert, case_ref="a", withdrawn_at=at(2025, 5, 6))
    assert evaluations_compute(period=MAY, portable=portable) == 1
    result = EvaluationResult.objects.get(expert=expert)
    assert (result.received, result.decided, result.score) == (0, 0, None)
    assert result.computed_at is not None
