"""E-10: the monthly (by the 5th) and yearly (by 20 December) evaluation, from the work record only."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from expert_registry.beat import BEAT_SCHEDULE
from expert_registry.models import EvaluationFormula, EvaluationResult, Expert
from expert_registry.scoring import explain
from expert_registry.services.evaluation import (
    evaluation_counts,
    evaluation_month_run,
    evaluation_year_run,
    evaluations_compute,
    month_before,
)
from expert_registry.services.experts import expert_register_staff
from expert_registry.services.work import (
    work_record_case_decided,
    work_record_case_received,
    work_record_case_reviewed,
)
from portal.nosology.models import NosologyGroup
from tests.factories import DepartmentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def at(y, m, d, h=12, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def make_expert(planned=None, kato="750000000"):
    expert = expert_register_staff(
        person=PersonFactory(),
        position=Expert.Position.CHIEF_SPECIALIST,
        department=DepartmentFactory(region=RegionFactory(kato=kato)),
        nosology_groups=[NosologyGroup.objects.get(number=2)],
        actor=None,
        on_date=dt.date(2025, 1, 2),
    )
    if planned is not None:
        Expert.objects.filter(pk=expert.pk).update(planned_monthly_cases=planned)
        expert.refresh_from_db()
    return expert


def case(expert, ref, received, due, decided=None, upheld=None):
    work_record_case_received(expert=expert, case_ref=ref, received_at=received, due_at=due)
    if decided is not None:
        work_record_case_decided(expert=expert, case_ref=ref, decided_at=decided)
    if upheld is not None:
        work_record_case_reviewed(expert=expert, case_ref=ref, upheld=upheld)


def may_work(expert):
    """10 decisions in May 2025: 8 on time, 2 late; 5 reviewed, 4 upheld; plus work outside May."""
    for i in range(10):
        late = i >= 8
        due = at(2025, 5, 10 + i, 18)
        decided = due + dt.timedelta(hours=2) if late else due - dt.timedelta(hours=3)
        upheld = None if i >= 5 else (i != 0)
        case(expert, f"may-{i}", at(2025, 5, 5 + i), due, decided, upheld)
    # decided at 23:30 on 31 May in Almaty (18:30 UTC): May's
    case(expert, "edge", at(2025, 5, 31, 9), at(2025, 6, 2, 18), at(2025, 5, 31, 23, 30))
    # April's decision and a June one: not May's
    case(expert, "april", at(2025, 4, 20), at(2025, 4, 25, 18), at(2025, 4, 24), True)
    case(expert, "june", at(2025, 5, 30), at(2025, 6, 5, 18), at(2025, 6, 1, 0, 30), False)
    # received in May, not decided yet
    case(expert, "open", at(2025, 5, 29), at(2025, 6, 4, 18))


def formula_weights_edit(admin_client, formula, *, timeliness, quality, volume):
    """Staff edit version 1's weights in the admin (refused, the form read-only, once it has results)."""
    return admin_client.post(
        f"/admin/expert_registry/evaluationformula/{formula.pk}/change/",
        {
            "version": 1,
            "valid_from": "2024-01-01",
            "weight_timeliness": timeliness,
            "weight_quality": quality,
            "weight_volume": volume,
            "volume_cap": "100",
            "explanation_kk": "x",
            "explanation_ru": "x",
            "explanation_en": "x",
        },
    )


def test_e10_run_on_the_1st_evaluates_the_month_before_from_work_records():
    expert = make_expert(planned=22)
    may_work(expert)
    assert month_before(dt.date(2025, 6, 1)).start == dt.date(2025, 5, 1)
    assert evaluation_month_run(today=dt.date(2025, 6, 1)) == 1
    r = EvaluationResult.objects.get(expert=expert)
    assert (r.period, r.period_start, r.period_end) == ("month", dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    # inputs: 11 decided in May (10 + the 23:30 one, on time), 9 on time; 5 reviewed, 4 upheld; 13 received
    assert (r.decided, r.decided_on_time, r.reviewed, r.upheld, r.planned) == (11, 9, 5, 4, 22)
    assert r.received == 13
    # v1: 40% x 81.82 + 40% x 80.00 + 20% x 50.00 = 74.73 (81.818.. rounded half up)
    assert r.timeliness == Decimal("81.82")
    assert r.quality == Decimal("80.00")
    assert r.volume == Decimal("50.00")
    assert r.score == Decimal("74.73")
    assert r.formula.version == 1


def test_e10_repeated_run_never_doubles_a_result_and_updates_it():
    expert = make_expert(planned=10)
    may_work(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    first = EvaluationResult.objects.get(expert=expert)
    # a late review arrives; the run on the 2nd updates the same row
    work_record_case_reviewed(expert=expert, case_ref="may-6", upheld=True)
    evaluation_month_run(today=dt.date(2025, 6, 2))
    assert EvaluationResult.objects.filter(expert=expert).count() == 1
    again = EvaluationResult.objects.get(expert=expert)
    assert again.pk == first.pk
    assert again.public_id == first.public_id
    assert (again.reviewed, again.upheld) == (6, 5)
    # and the database itself refuses a second row for the same expert and month
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationResult.objects.create(
            expert=expert,
            period="month",
            period_start=dt.date(2025, 5, 1),
            period_end=dt.date(2025, 5, 31),
            formula=first.formula,
            received=0,
            decided=0,
            decided_on_time=0,
            reviewed=0,
            upheld=0,
            computed_at=first.computed_at,
        )


@pytest.mark.parametrize("portable", [False, True], ids=["database", "portable"])
def test_e10_a_rerun_rewrites_only_the_results_that_changed(portable):
    # given: two experts evaluated for May 2025 on 1 June at 02:00
    changes, same = make_expert(planned=10), make_expert(planned=10, kato="710000000")
    may_work(changes)
    may_work(same)
    may = month_before(dt.date(2025, 6, 1))
    assert evaluations_compute(period=may, now=at(2025, 6, 1, 2), portable=portable) == 2
    # when: a late review reaches one of them; the run on the 2nd
    work_record_case_reviewed(expert=changes, case_ref="may-6", upheld=True)
    assert evaluations_compute(period=may, now=at(2025, 6, 2, 2), portable=portable) == 2
    # then: only that one is rewritten; the other keeps the time it was computed, nothing new is added
    rewritten, kept = EvaluationResult.objects.get(expert=changes), EvaluationResult.objects.get(expert=same)
    assert (rewritten.reviewed, rewritten.upheld, rewritten.computed_at) == (6, 5, at(2025, 6, 2, 2))
    assert (kept.reviewed, kept.upheld, kept.computed_at) == (5, 4, at(2025, 6, 1, 2))
    # and a run on the 3rd with nothing new rewrites nothing
    assert evaluations_compute(period=may, now=at(2025, 6, 3, 2), portable=portable) == 2
    assert set(EvaluationResult.objects.values_list("computed_at", flat=True)) == {at(2025, 6, 1, 2), at(2025, 6, 2, 2)}
    assert EvaluationResult.objects.count() == 2


def test_e10_a_part_with_nothing_to_measure_is_left_out():
    no_plan = make_expert(planned=None)
    case(no_plan, "a", at(2025, 5, 5), at(2025, 5, 6, 18), at(2025, 5, 6, 10))
    case(no_plan, "b", at(2025, 5, 5), at(2025, 5, 6, 18), at(2025, 5, 7, 10))
    idle = make_expert(planned=15, kato="710000000")  # a plan, no work: volume 0, the score 0
    evaluation_month_run(today=dt.date(2025, 6, 1))
    r = EvaluationResult.objects.get(expert=no_plan)
    assert (r.timeliness, r.quality, r.volume, r.score) == (Decimal("50.00"), None, None, Decimal("50.00"))
    i = EvaluationResult.objects.get(expert=idle)
    assert (i.decided, i.planned, i.volume, i.score) == (0, 15, Decimal("0.00"), Decimal("0.00"))


def test_e10_volume_counted_up_to_the_plan():
    expert = make_expert(planned=2)
    for n in range(3):
        case(expert, f"c{n}", at(2025, 5, 5), at(2025, 5, 9, 18), at(2025, 5, 8), True)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    r = EvaluationResult.objects.get(expert=expert)
    assert (r.volume, r.score) == (Decimal("100.00"), Decimal("100.00"))


def test_e10_new_formula_version_applies_to_later_periods_and_each_result_keeps_its_own():
    expert = make_expert(planned=22)
    may_work(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    v1 = EvaluationFormula.objects.get(version=1)
    EvaluationFormula.objects.create(
        version=2,
        valid_from=dt.date(2025, 6, 1),
        weight_timeliness=50,
        weight_quality=50,
        weight_volume=0,
        explanation_kk="kk",
        explanation_ru="ru",
        explanation_en="en",
    )
    case(expert, "jun-2", at(2025, 6, 2), at(2025, 6, 3, 18), at(2025, 6, 3), True)
    evaluation_month_run(today=dt.date(2025, 7, 1))
    may = EvaluationResult.objects.get(expert=expert, period_start=dt.date(2025, 5, 1))
    june = EvaluationResult.objects.get(expert=expert, period_start=dt.date(2025, 6, 1))
    assert may.formula == v1
    assert june.formula.version == 2
    # June: "june" decided 1 June 00:30 before its due time, not upheld; "jun-2" on time, upheld
    assert (june.decided, june.decided_on_time, june.reviewed, june.upheld) == (2, 2, 2, 1)
    assert june.score == Decimal("75.00")  # (50 x 100 + 50 x 50) / 100; volume weighs 0


def test_e10_yearly_evaluation_covers_january_to_november():
    expert = make_expert(planned=2)
    case(expert, "jan", at(2025, 1, 10), at(2025, 1, 15, 18), at(2025, 1, 14), True)
    case(expert, "nov", at(2025, 11, 20), at(2025, 11, 28, 18), at(2025, 11, 30, 23), False)
    case(expert, "dec", at(2025, 12, 1), at(2025, 12, 5, 18), at(2025, 12, 2), True)
    evaluation_year_run(today=dt.date(2025, 12, 19))
    r = EvaluationResult.objects.get(expert=expert, period="year")
    assert (r.period_start, r.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 11, 30))
    assert (r.decided, r.decided_on_time, r.reviewed, r.upheld) == (2, 1, 2, 1)
    assert r.planned == 22  # 2 a month x 11 months


def test_e10_beat_runs_on_the_1st_and_is_done_by_the_5th_and_the_year_by_20_december():
    task, cron, _why = BEAT_SCHEDULE["experts: evaluate the month"]
    assert task == "expert_registry.evaluate_month"
    first, last = (int(x) for x in cron["day_of_month"].split("-"))
    assert first == 1
    assert last < 5
    task, cron, _why = BEAT_SCHEDULE["experts: evaluate the year"]
    assert task == "expert_registry.evaluate_year"
    assert cron["month_of_year"] == "12"
    assert max(int(d) for d in cron["day_of_month"].split(",")) < 20


def test_e10_counts_come_from_one_grouped_query(django_assert_num_queries):
    for n in range(5):
        expert = make_expert(planned=3, kato=f"7{n}0000000")
        case(expert, "x", at(2025, 5, 5), at(2025, 5, 9, 18), at(2025, 5, 8), True)
    with django_assert_num_queries(1):
        rows = evaluation_counts(period=month_before(dt.date(2025, 6, 1)))
    assert len(rows) == 5


def test_e10_explainer_names_inputs_parts_weights_and_version():
    expert = make_expert(planned=22)
    may_work(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    text = "\n".join(explain(EvaluationResult.objects.get(expert=expert)))
    for expected in ("version 1", "9 of 11", "81.82%", "4 of 5", "80.00%", "planned indicator of 22", "74.73%"):
        assert expected in text


def test_e10_explainer_in_the_experts_cabinet_and_not_for_another_person(client, citizen):
    expert = expert_register_staff(
        person=citizen.person,
        position=Expert.Position.CHIEF_SPECIALIST,
        department=DepartmentFactory(region=RegionFactory(kato="750000000")),
        nosology_groups=[NosologyGroup.objects.get(number=2)],
        actor=None,
        on_date=dt.date(2025, 1, 2),
    )
    Expert.objects.filter(pk=expert.pk).update(planned_monthly_cases=22)
    may_work(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    other = make_expert(planned=5, kato="710000000")
    case(other, "o", at(2025, 5, 5), at(2025, 5, 9, 18), at(2025, 5, 8), True)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    mine = EvaluationResult.objects.get(expert=expert)
    client.force_login(citizen)
    page = client.get(reverse("expert_registry:cabinet"))
    assert page.status_code == 200
    body = page.content.decode()
    assert str(mine.public_id) in body
    assert "74.73" in body
    assert "the contract is in force" in body
    detail = client.get(reverse("expert_registry:evaluation", args=[mine.public_id]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "9 of 11" in text
    assert "v1" in text
    theirs = EvaluationResult.objects.get(expert=other)
    assert client.get(reverse("expert_registry:evaluation", args=[theirs.public_id])).status_code == 404


def test_e10_admin_shows_the_explainer_and_freezes_a_formula_with_results(admin_client):
    expert = make_expert(planned=22)
    may_work(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    r = EvaluationResult.objects.get(expert=expert)
    page = admin_client.get(f"/admin/expert_registry/evaluationresult/{r.pk}/change/")
    assert page.status_code == 200
    assert "9 of 11" in page.content.decode()
    formula = EvaluationFormula.objects.get(version=1)
    formula_weights_edit(admin_client, formula, timeliness="90", quality="5", volume="5")
    formula.refresh_from_db()
    assert formula.weight_timeliness == Decimal("40")
