"""X-7: the queue's monthly report, checked against the visits, slots and SMS the fixture writes."""

from decimal import Decimal

import pytest

from portal.reports.models import MonthlyReport
from portal.reports.registry import ReportScope, report_definition
from portal.reports.services import report_build

from .conftest import MONTH

pytestmark = pytest.mark.django_db


def _figures(report: MonthlyReport) -> dict[str, dict[str, list]]:
    return {s["key"]: {str(r[0]): r[1:] for r in s["rows"]} for s in report.figures["sections"]}


def test_x7_queue_report_is_registered_by_the_queue_app():
    assert report_definition("queue") is not None


def test_x7_queue_report_of_a_department(october_queue, dept_a):
    report = report_build(key="queue", scope=ReportScope(month=MONTH, department_id=dept_a.pk))
    assert report.status == "ready"
    f = _figures(report)
    assert f["visits"] == {
        "booked_in_advance": [5],
        "walk_ins": [2],
        "cancelled": [1],
        "annulled_late": [1],
        "served": [4],
        "left": [1],
    }
    assert f["slot_use"] == {"№ 1": [10, 4, "40.0"]}
    assert "s3_times" not in f
    # 1 October 00:05 and 31 October 23:50 Almaty count; 1 November does not
    assert f["sms"] == {"delivered": [2], "failed": [1], "pending": [1]}


def test_x7_queue_report_of_a_region_sums_its_departments_only(october_queue, akmola):
    f = _figures(report_build(key="queue", scope=ReportScope(month=MONTH, region_id=akmola.pk)))
    assert f["visits"]["walk_ins"] == [3]
    assert f["visits"]["cancelled"] == [1]  # Karaganda's 4 cancellations are not Akmola's
    assert f["slot_use"] == {"№ 1": [10, 4, "40.0"], "№ 2": [5, 5, "100.0"]}
    assert f["s3_waiting"]["measured"] == [6]
    assert f["s3_waiting"]["average_minutes"] == ["32.5"]  # (10 + 70 + 20 + 60 + 30 + 5) / 6
    assert f["s3_service"]["measured"] == [5]
    assert f["s3_service"]["average_minutes"] == ["51.0"]  # (30 + 20 + 130 + 60 + 15) / 5
    assert f["sms"]["delivered"] == [2]


def test_x7_queue_report_of_the_country(october_queue):
    f = _figures(report_build(key="queue", scope=ReportScope(month=MONTH)))
    assert f["visits"]["cancelled"] == [5]
    assert f["slot_use"]["№ 7"] == [8, 1, "12.5"]
    assert f["sms"]["delivered"] == [3]


def test_x7_queue_report_of_an_empty_month_has_zeros_not_errors(dept_a):
    import datetime as dt

    f = _figures(report_build(key="queue", scope=ReportScope(month=dt.date(2026, 1, 1), department_id=dept_a.pk)))
    assert f["visits"]["served"] == [0]
    assert f["slot_use"] == {}
    assert f["s3_waiting"]["average_minutes"] == [None]
    assert f["s3_service"]["measured"] == [0]


def test_x7_queue_report_reads_decimals_back_as_decimals(october_queue, dept_a):
    from portal.reports.presentation import sections_of

    report = report_build(key="queue", scope=ReportScope(month=MONTH, department_id=dept_a.pk))
    shown = {s.key: s for s in sections_of(report, report_definition("queue"))}
    assert shown["slot_use"].rows[0][3] == Decimal("40.0")


def test_x7_s3_queue_report_splits_waiting_and_service_against_an_hour_each(october_queue, dept_a):
    f = _figures(report_build(key="queue", scope=ReportScope(month=MONTH, department_id=dept_a.pk)))
    # waited 10, 70, 20, 60 (exactly an hour is within), 30 (left, never called: to the end)
    assert f["s3_waiting"] == {
        "arrived": [5],
        "measured": [5],
        "within_1h": [4],
        "over_1h": [1],
        "average_minutes": ["38.0"],
    }
    # service 30, 20, 130, 60; the walk-in who left was never called in: no service time
    assert f["s3_service"] == {
        "measured": [4],
        "within_1h": [3],
        "over_1h": [1],
        "average_minutes": ["60.0"],
    }


def test_x7_s3_queue_report_of_a_region_counts_only_its_departments(october_queue, akmola):
    f = _figures(report_build(key="queue", scope=ReportScope(month=MONTH, region_id=akmola.pk)))
    assert f["s3_waiting"]["within_1h"] == [5]
    assert f["s3_waiting"]["over_1h"] == [1]
    assert f["s3_service"]["within_1h"] == [4]
    assert f["s3_service"]["over_1h"] == [1]
