"""X-7: the expert registry's monthly report, checked against the rows the test writes.

October 2026 (Asia/Almaty), doctors of Akmola unless said otherwise:
- applications submitted in October: one still submitted, one refused on 20 Oct for a failed test
  and incomplete documents, one included; an application of Almaty city submitted in October;
- tests started in October: 2 passed, 1 failed;
- status history: 1 included on 12 Oct, excluded 1 on 15 Oct for their own application and 1 on
  16 Oct for death; an exclusion of 3 November is not October's;
- October's evaluation: scores 95.00, 72.50, 40.00 and one without a score; decided 10, 4, 2, 0;
  the tariff of 2026 is 5 000.00: unit prices 4 750.00, 3 625.00, 2 000.00 -> pay 47 500.00 +
  14 500.00 + 4 000.00 = 66 000.00 for 16 services.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from expert_registry.models import (
    Application,
    EvaluationFormula,
    EvaluationResult,
    Expert,
    ExpertStatusChange,
    Tariff,
)
from expert_registry.models import (
    TestAttempt as Attempt,
)
from portal.reports.registry import ReportScope, report_definition
from portal.reports.services import report_build
from tests.expert_registry.test_e3_state_checks import submitted
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
MONTH = dt.date(2026, 10, 1)


def at(day: int, hour: int = 12, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=ALMATY)


@pytest.fixture
def akmola(db):
    return RegionFactory(kato="110000000")


def doctor_application(region, *, day: int, status: str, decided=None, grounds=()):
    app = submitted()
    Expert.objects.filter(pk=app.expert_id).update(region=region, department=None)
    Application.objects.filter(pk=app.pk).update(
        submitted_at=at(day), status=status, decided_at=decided, refusal_grounds=list(grounds)
    )
    app.refresh_from_db()
    return app


def attempt(app, *, number: int, day: int, result: str):
    Attempt.objects.create(
        application=app,
        number=number,
        language="ru",
        question_ids=[],
        started_at=at(day, 10),
        ends_at=at(day, 11),
        question_count=30,
        result=result,
    )


def change(expert, *, to: str, on: dt.date, ground=None):
    ExpertStatusChange.objects.create(expert=expert, to_status=to, effective_from=on, exclusion_ground=ground, at=at(1))


def evaluation(expert, *, score, decided: int):
    EvaluationResult.objects.create(
        expert=expert,
        period=EvaluationResult.Period.MONTH,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        formula=EvaluationFormula.objects.order_by("version").first(),
        received=decided,
        decided=decided,
        decided_on_time=decided,
        reviewed=0,
        upheld=0,
        score=score,
        computed_at=at(5, 9, month=11),
    )


@pytest.fixture
def october(akmola):
    S = Application.Status
    doctor_application(akmola, day=5, status=S.SUBMITTED)
    refused = doctor_application(
        akmola, day=6, status=S.REFUSED, decided=at(20), grounds=["test_failed", "incomplete_or_expired"]
    )
    included = doctor_application(akmola, day=7, status=S.INCLUDED, decided=at(12))
    doctor_application(RegionFactory(kato="750000000"), day=8, status=S.SUBMITTED)
    R = Attempt.Result
    attempt(refused, number=1, day=10, result=R.FAILED)
    attempt(included, number=1, day=9, result=R.PASSED)
    other = doctor_application(akmola, day=1, status=S.TESTING)
    attempt(other, number=1, day=11, result=R.PASSED)
    change(included.expert, to=Expert.Status.INCLUDED, on=dt.date(2026, 10, 12))
    G = Expert.ExclusionGround
    change(other.expert, to=Expert.Status.EXCLUDED, on=dt.date(2026, 10, 15), ground=G.OWN_APPLICATION)
    change(refused.expert, to=Expert.Status.EXCLUDED, on=dt.date(2026, 10, 16), ground=G.DEATH)
    change(included.expert, to=Expert.Status.EXCLUDED, on=dt.date(2026, 11, 3), ground=G.DEATH)
    Tariff.objects.create(year=2026, amount=Decimal("5000.00"), basis="order of the Committee")
    evaluation(included.expert, score=Decimal("95.00"), decided=10)
    evaluation(other.expert, score=Decimal("72.50"), decided=4)
    evaluation(refused.expert, score=Decimal("40.00"), decided=2)
    no_score = doctor_application(akmola, day=2, status=S.INCLUDED)
    evaluation(no_score.expert, score=None, decided=0)


def figures(scope: ReportScope) -> dict[str, dict[str, list]]:
    report = report_build(key="expert_registry", scope=scope)
    assert report.status == "ready", report.figures
    return {s["key"]: {str(r[0]): r[1:] for r in s["rows"]} for s in report.figures["sections"]}


def test_x7_registry_report_is_registered_by_the_registry_app():
    assert report_definition("expert_registry") is not None


def test_x7_e4_registry_report_applications_and_refusals_by_ground(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    # 5 Oct submitted, 6 Oct refused, 7 Oct included, 1 Oct testing, 2 Oct included; Almaty city's is not Akmola's
    assert f["applications"] == {
        "all": [5],
        "status_included": [2],
        "status_refused": [1],
        "status_submitted": [1],
        "status_testing": [1],
    }
    grounds = {k: v for k, v in f["refusals_by_ground"].items() if v != [0]}
    assert grounds == {"test_failed": [1], "incomplete_or_expired": [1]}


def test_x7_e5_registry_report_tests_inclusions_and_exclusions(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["tests"] == {"result_failed": [1], "result_passed": [2]}
    assert f["inclusions"] == {"included": [1]}
    assert f["exclusions_by_ground"] == {"ground_1": [1], "ground_4": [1]}


def test_x7_e11_registry_report_scores_and_pay(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["scores"] == {
        "score_under_50": [1],
        "score_50_70": [0],
        "score_70_90": [1],
        "score_90_up": [1],
        "no_score": [1],
    }
    assert f["pay"] == {"evaluated": [3], "services": [16], "amount_tenge": ["66000.00"]}


def test_x7_registry_report_of_the_country_counts_every_region(october):
    f = figures(ReportScope(month=MONTH))
    assert f["applications"]["all"] == [6]
    assert f["applications"]["status_submitted"] == [2]


def test_x7_registry_report_of_an_empty_month_has_zeros_not_errors(akmola):
    f = figures(ReportScope(month=dt.date(2026, 1, 1), region_id=akmola.pk))
    assert f["applications"] == {"all": [0]}
    assert f["pay"] == {"evaluated": [0], "services": [0], "amount_tenge": ["0.00"]}
