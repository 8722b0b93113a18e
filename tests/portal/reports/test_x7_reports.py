"""X-7: the reports' machinery: staff see their own area only, bad input gets a clear answer, the
monthly job is safe to run again, and the page and both exports carry the same figures."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from portal.reports.models import MonthlyReport
from portal.reports.registry import ReportScope
from portal.reports.services import report_build, reports_build_month
from portal.reports.tasks import reports_build_previous_month

from .conftest import MONTH

pytestmark = pytest.mark.django_db


def url(area: str, suffix: str = "", month: str = "2026-10") -> str:
    return f"/reports/queue/{month}/{area}/{suffix}"


def test_x7_monthly_job_is_safe_to_run_again(october_queue, akmola, dept_a):
    reports_build_month(month=MONTH)
    first = MonthlyReport.objects.count()
    # the country, 2 regions, 3 departments, for each registered report
    assert MonthlyReport.objects.filter(key="queue").count() == 6
    reports_build_month(month=MONTH)
    assert MonthlyReport.objects.count() == first
    row = MonthlyReport.objects.get(key="queue", month=MONTH, scope_key=f"d{dept_a.pk}")
    assert row.status == "ready"
    assert row.department_id == dept_a.pk


def test_x7_beat_builds_the_month_that_has_just_closed(october_queue, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 1))
    reports_build_previous_month()
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {dt.date(2026, 10, 1)}


def test_x7_a_failing_build_is_marked_failed(dept_a, monkeypatch):
    from portal.reports import registry

    def broken(scope):
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._REPORTS, "broken", registry.ReportDefinition(key="broken", title="b", build=broken))
    row = report_build(key="broken", scope=ReportScope(month=MONTH, department_id=dept_a.pk))
    assert row.status == "failed"
    assert row.error == "RuntimeError"


def test_x7_department_staff_see_their_department_only(client, october_queue, desk_a, dept_a, dept_a2, akmola):
    report_build(key="queue", scope=ReportScope(month=MONTH, department_id=dept_a.pk))
    client.force_login(desk_a)
    page = client.get(url(f"d{dept_a.pk}"))
    assert page.status_code == 200
    assert "Walk-ins (live queue)" in page.content.decode()
    assert client.get(url(f"d{dept_a2.pk}")).status_code == 404
    assert client.get(url(f"r{akmola.pk}")).status_code == 404
    assert client.get(url("all")).status_code == 404


def test_x7_provider_staff_see_their_region_not_another(client, october_queue, provider_a, akmola, karaganda, dept_k):
    client.force_login(provider_a)
    assert client.get(url(f"r{akmola.pk}")).status_code == 200
    assert client.get(url(f"r{karaganda.pk}")).status_code == 404
    assert client.get(url(f"d{dept_k.pk}")).status_code == 404
    assert client.post(url(f"r{karaganda.pk}", "build/")).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_x7_committee_sees_every_area(client, october_queue, committee, karaganda):
    client.force_login(committee)
    assert client.get(url("all")).status_code == 200
    assert client.get(url(f"r{karaganda.pk}")).status_code == 200


def test_x7_citizen_and_anonymous_get_no_report(citizen_client):
    from django.test import Client

    assert Client().get(url("all")).status_code == 302  # to the staff sign-in
    assert citizen_client.get(url("all")).status_code == 403


def test_x7_month_in_the_future_is_a_clear_400(client, committee):
    client.force_login(committee)
    today = timezone.localdate()
    future = (today.replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    page = client.get(url("all", month=future))
    assert page.status_code == 400
    assert "has not begun yet" in page.content.decode()
    build = client.post(url("all", "build/", month=future))
    assert build.status_code == 400
    assert not MonthlyReport.objects.exists()
    assert client.get(url("all", month="2026-13")).status_code == 400
    assert client.get("/reports/", {"key": "queue", "month": future, "area": "all"}).status_code == 400


def test_x7_export_of_a_report_still_building_is_a_clear_409(client, committee):
    MonthlyReport.objects.create(key="queue", month=MONTH, scope_key="all", status="building")
    client.force_login(committee)
    answer = client.get(url("all", "export.csv"))
    assert answer.status_code == 409
    assert "still being built" in answer.content.decode()
    assert client.get(url("all", "export.xlsx")).status_code == 409


def test_x7_staff_build_on_demand(client, october_queue, provider_a, akmola, django_capture_on_commit_callbacks):
    client.force_login(provider_a)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url(f"r{akmola.pk}", "build/"))
    assert answer.status_code == 302
    row = MonthlyReport.objects.get(key="queue", scope_key=f"r{akmola.pk}")
    assert row.status == "ready"
    assert row.requested_by == provider_a


def test_x7_page_has_svg_charts_each_beside_its_table(client, october_queue, committee, dept_a):
    report_build(key="queue", scope=ReportScope(month=MONTH, department_id=dept_a.pk))
    client.force_login(committee)
    html = client.get(url(f"d{dept_a.pk}")).content.decode()
    assert html.count("<svg") == 5
    assert html.count("<table") == 5
    assert 'role="img"' in html
    assert '<title id="chart-1-title">' in html
    assert "cdn" not in html.lower()
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_x7_csv_and_xlsx_exports_carry_the_same_figures(client, october_queue, committee, dept_a):
    report_build(key="queue", scope=ReportScope(month=MONTH, department_id=dept_a.pk))
    client.force_login(committee)
    answer = client.get(url(f"d{dept_a.pk}", "export.csv"))
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert ["Walk-ins (live queue)", "2"] in rows
    assert ["№ 1", "10", "4", "40.0"] in rows
    assert ["Average minutes", "38.0"] in rows  # waiting
    assert ["Average minutes", "60.0"] in rows  # service
    assert ["Delivered", "2"] in rows
    xlsx = client.get(url(f"d{dept_a.pk}", "export.xlsx"))
    assert xlsx.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>38.0</v>" in sheet
    assert "<v>40.0</v>" in sheet
    assert "Walk-ins (live queue)" in sheet
