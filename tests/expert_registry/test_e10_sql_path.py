"""E-10: the one-statement PostgreSQL evaluation gives the same results as the portable ORM path."""

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expert_registry.models import EvaluationFormula, EvaluationResult, Expert, WorkRecord
from expert_registry.scoring import explain
from expert_registry.services.evaluation import evaluation_months_open, evaluations_compute, month_before, year_of
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"),
]

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
FIELDS = (
    "expert_id",
    "period",
    "period_start",
    "period_end",
    "formula_id",
    "received",
    "decided",
    "decided_on_time",
    "reviewed",
    "upheld",
    "planned",
    "timeliness",
    "quality",
    "volume",
    "score",
)


def at(y, m, d, h=12, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def expert(status=Expert.Status.ACTIVE, planned=None):
    return Expert.objects.create(
        person=PersonFactory(),
        kind=Expert.Kind.INDEPENDENT,
        position=Expert.Position.DOCTOR_EXPERT,
        status=status,
        planned_monthly_cases=planned,
        exclusion_ground=Expert.ExclusionGround.OWN_APPLICATION if status == Expert.Status.EXCLUDED else None,
    )


def records(e, rows):
    WorkRecord.objects.bulk_create(
        [
            WorkRecord(expert=e, case_ref=f"{e.pk}-{n}", received_at=r, due_at=due, decided_at=dec, upheld=up)
            for n, (r, due, dec, up) in enumerate(rows)
        ]
    )


def seed():
    """Experts with random work over 2025 and the edges: shares ending in 5 at the third decimal
    (1/8 = 12.5%, 1/800 = 0.125%), more cases than the plan, a plan of 0, no plan, a plan and no work
    (active, incapacitated: evaluated; excluded: not), cases decided at 23:30 on a month's last day."""
    rng = random.Random(10)
    for _n in range(25):
        e = expert(planned=rng.choice([None, 0, 3, 7, 20]))
        rows = []
        for _ in range(rng.randrange(0, 40)):
            received = at(2025, rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(0, 24))
            due = received + dt.timedelta(days=rng.randrange(1, 5))
            decided = None if rng.random() < 0.1 else received + dt.timedelta(hours=rng.randrange(1, 140))
            upheld = None if decided is None or rng.random() < 0.3 else rng.random() < 0.8
            rows.append((received, due, decided, upheld))
        records(e, rows)
    eighth = expert(planned=800)  # 1 of 8 on time; 1 of 800 planned
    rows = [
        (at(2025, 5, 2), at(2025, 5, 3, 18), at(2025, 5, 3, 9 + (i > 0) * 10), True if i == 0 else None)
        for i in range(8)
    ]
    records(eighth, rows)
    tiny = expert(planned=1600)  # 2 of 1600 = 0.125% -> 0.13 (half up; half even would give 0.12)
    records(tiny, [(at(2025, 5, 6), at(2025, 5, 9, 18), at(2025, 5, 7), None)] * 2)
    over = expert(planned=2)  # 3 decided against a plan of 2: 150%, capped
    records(over, [(at(2025, 5, 5), at(2025, 5, 9, 18), at(2025, 5, 8), True)] * 3)
    edge = expert(planned=0)
    records(edge, [(at(2025, 5, 31, 9), at(2025, 6, 2, 18), at(2025, 5, 31, 23, 30), None)])
    idle = [expert(planned=5), expert(status=Expert.Status.INCAPACITATED, planned=4)]
    excluded = expert(status=Expert.Status.EXCLUDED, planned=4)
    return {"eighth": eighth, "tiny": tiny, "over": over, "edge": edge, "idle": idle, "excluded": excluded}


def snapshot():
    return {r[0]: r for r in EvaluationResult.objects.order_by("expert_id").values_list(*FIELDS)}


@pytest.fixture
def odd_formula():
    # weights that do not divide evenly and a cap above 100: every rounding of the SQL shows
    return EvaluationFormula.objects.create(
        version=7,
        valid_from=dt.date(2025, 1, 1),
        weight_timeliness=Decimal("33.33"),
        weight_quality=Decimal("33.33"),
        weight_volume=Decimal("33.34"),
        volume_cap=Decimal("120.00"),
        explanation_kk="kk",
        explanation_ru="ru",
        explanation_en="en",
    )


@pytest.mark.parametrize("period", [month_before(dt.date(2025, 6, 1)), year_of(2025)], ids=["month", "year"])
def test_e10_sql_statement_and_orm_path_give_identical_results(odd_formula, period):
    # given
    seed()
    # when: the portable path inserts, then the SQL statement updates the same rows
    written_orm = evaluations_compute(period=period, portable=True)
    orm = snapshot()
    ids = dict(EvaluationResult.objects.values_list("expert_id", "public_id"))
    written_sql = evaluations_compute(period=period)
    # then
    assert written_sql == written_orm == len(orm)
    assert snapshot() == orm
    assert dict(EvaluationResult.objects.values_list("expert_id", "public_id")) == ids
    # and the SQL statement inserting from nothing writes the same rows
    EvaluationResult.objects.all().delete()
    evaluations_compute(period=period)
    assert snapshot() == orm


def test_e10_sql_statement_fills_the_months_open_rows_with_the_orm_paths_results(odd_formula):
    # given: the ORM path's results of May from nothing
    named = seed()
    period = month_before(dt.date(2025, 6, 1))
    evaluations_compute(period=period, portable=True)
    orm = snapshot()
    EvaluationResult.all_rows.all().delete()
    # when: every case has opened its months (and one row has no case of May behind it), then the run
    work = WorkRecord.objects.values_list("expert_id", "received_at", "decided_at")
    evaluation_months_open(entries=[(e, moment) for e, *moments in work for moment in moments if moment])
    evaluation_months_open(entries=[(named["excluded"].pk, at(2025, 5, 3))])
    opened = dict(EvaluationResult.all_rows.filter(period_start=period.start).values_list("expert_id", "pk"))
    evaluations_compute(period=period)
    # then: the same results, in the rows the cases opened, and no row of May left open
    assert snapshot() == orm
    filled = dict(EvaluationResult.objects.filter(period_start=period.start).values_list("expert_id", "pk"))
    assert all(filled[e] == pk for e, pk in opened.items() if e in filled)
    # the one row opened with nothing behind it is removed
    assert set(opened) - set(filled) == {named["excluded"].pk}
    assert not EvaluationResult.all_rows.filter(period_start=period.start, computed_at=None).exists()


def test_e10_sql_rounds_half_up_and_caps_volume_with_literal_values(odd_formula):
    named = seed()
    evaluations_compute(period=month_before(dt.date(2025, 6, 1)))
    eighth = EvaluationResult.objects.get(expert=named["eighth"])
    # 1 of 8 on time = 12.50; 1 of 1 upheld = 100.00; 8 of 800 = 1.00
    assert (eighth.timeliness, eighth.quality, eighth.volume) == (Decimal("12.50"), Decimal("100.00"), Decimal("1.00"))
    # (33.33 x 12.5 + 33.33 x 100 + 33.34 x 1) / 100 = 37.8309 -> 37.83
    assert eighth.score == Decimal("37.83")
    over = EvaluationResult.objects.get(expert=named["over"])
    assert (over.decided, over.volume) == (3, Decimal("120.00"))
    # decided at 23:30 local on 31 May counts in May; a plan of 0 is no plan: volume not measured
    edge = EvaluationResult.objects.get(expert=named["edge"])
    assert (edge.planned, edge.volume, edge.score) == (None, None, Decimal("100.00"))
    # a plan and no work: active and incapacitated evaluated at 0, the excluded not at all
    idle = EvaluationResult.objects.filter(expert__in=named["idle"])
    assert sorted(idle.values_list("planned", "score")) == [(4, Decimal("0.00")), (5, Decimal("0.00"))]
    assert not EvaluationResult.objects.filter(expert=named["excluded"]).exists()
    assert "12.50%" in "\n".join(explain(eighth))
    tiny = EvaluationResult.objects.get(expert=named["tiny"])
    assert (tiny.timeliness, tiny.quality, tiny.volume) == (Decimal("100.00"), None, Decimal("0.13"))
    # quality not measured: (33.33 x 100 + 33.34 x 0.13) / 66.67 = 50.0575... -> 50.06
    assert tiny.score == Decimal("50.06")


def test_e10_sql_path_is_one_statement_and_a_rerun_never_doubles(odd_formula):
    seed()
    period = month_before(dt.date(2025, 6, 1))
    with CaptureQueriesContext(connection) as ctx:
        first = evaluations_compute(period=period)
    # one statement writes
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if "evaluationresult" in q["sql"].lower() and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(writes) == 1
    assert writes[0].lstrip().upper().startswith("WITH")
    assert not any("expert_registry_workrecord" in q["sql"] and q["sql"] not in writes for q in ctx.captured_queries)
    count = EvaluationResult.objects.count()
    assert evaluations_compute(period=period) == first
    assert EvaluationResult.objects.count() == count == first
