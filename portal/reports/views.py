"""Pages of the monthly reports (X-7): the list, one report with its charts and tables, the request
to build it, and its CSV and XLSX exports.

Staff only, each within their area (``selectors.areas_for``): another area's report is not found.
Bad input gets a page saying what is wrong (400 for a month in the future or not a month, 409 for an
export of a report not ready), never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.access import (
    ALL_ROWS,
    STAFF_DEPARTMENT,
    STAFF_REGION,
    AccessRule,
    allow,
    committee_staff,
    department_staff,
    operator,
    provider_staff,
)
from portal.accounts.models import User
from portal.errors import ApplicationError
from portal.reports.errors import MONTH_INVALID, REPORT_NOT_READY
from portal.reports.models import MonthlyReport
from portal.reports.presentation import export_rows, sections_of
from portal.reports.registry import ReportDefinition, ReportScope, report_definition, report_definitions
from portal.reports.selectors import Area, area_for, areas_for, report_get, user_may_see_reports
from portal.reports.services import month_check, previous_month, report_request
from portal.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, as_csv, as_xlsx

_View = Callable[..., HttpResponse]

# Who may read the reports: staff, each within their own area (the country for the Committee).
REPORTS_ACCESS: AccessRule = allow(
    department_staff(STAFF_DEPARTMENT),
    provider_staff(STAFF_REGION),
    committee_staff(ALL_ROWS),
    operator(ALL_ROWS),
)


def reports_staff_required(view: _View) -> _View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff-sign-in"))
        assert isinstance(request.user, User)
        if not user_may_see_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _problem(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "reports/problem.html", {"message": message}, status=status)


def _parse_month(text: str) -> dt.date:
    year, _dash, month = text.partition("-")
    try:
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ApplicationError(MONTH_INVALID, field="month") from None


def _resolve(request: HttpRequest, key: str, month: str, area_key: str) -> tuple[ReportDefinition, ReportScope, Area]:
    """The report, month and area of a URL; unknown report or area: 404; bad month: ApplicationError."""
    definition = report_definition(key)
    area = area_for(_user(request), area_key)
    if definition is None or area is None:
        raise Http404
    first = month_check(month=_parse_month(month))
    return definition, ReportScope(month=first, region_id=area.region_id, department_id=area.department_id), area


@REPORTS_ACCESS
@require_GET
@reports_staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The registered reports; a form picks one, a month and an area."""
    user = _user(request)
    areas = areas_for(user)
    last_month = previous_month(timezone.localdate())
    if request.GET.get("key"):
        key, month, area_key = request.GET["key"], request.GET.get("month", ""), request.GET.get("area", "")
        if report_definition(key) is None or area_for(user, area_key) is None:
            raise Http404
        try:
            month_check(month=_parse_month(month))
        except ApplicationError as exc:
            return _problem(request, str(exc.message), status=400)
        return redirect("reports:detail", key=key, month=month, area=area_key)
    return render(
        request,
        "reports/index.html",
        {"definitions": report_definitions(), "areas": areas, "month": f"{last_month:%Y-%m}"},
    )


@REPORTS_ACCESS
@require_GET
@reports_staff_required
def detail(request: HttpRequest, key: str, month: str, area: str) -> HttpResponse:
    try:
        definition, scope, chosen = _resolve(request, key, month, area)
    except ApplicationError as exc:
        return _problem(request, str(exc.message), status=400)
    report = report_get(key=key, scope=scope)
    ready = report is not None and report.status == MonthlyReport.Status.READY
    context = {
        "definition": definition,
        "title": str(definition.title),
        "scope": scope,
        "area": chosen,
        "month": month,
        "report": report,
        "sections": sections_of(report, definition) if report is not None and ready else [],
    }
    return render(request, "reports/detail.html", context)


@REPORTS_ACCESS
@require_POST
@reports_staff_required
def build(request: HttpRequest, key: str, month: str, area: str) -> HttpResponse:
    try:
        _definition, scope, chosen = _resolve(request, key, month, area)
        report_request(actor_user=_user(request), key=key, month=scope.first_day, area_key=chosen.key)
    except ApplicationError as exc:
        return _problem(request, str(exc.message), status=exc.status)
    messages.success(request, _("The report is being built; this page shows it once it is ready."))
    return redirect("reports:detail", key=key, month=month, area=area)


@REPORTS_ACCESS
@require_GET
@reports_staff_required
def export(request: HttpRequest, key: str, month: str, area: str, fmt: str) -> HttpResponse:
    try:
        definition, scope, chosen = _resolve(request, key, month, area)
    except ApplicationError as exc:
        return _problem(request, str(exc.message), status=400)
    report = report_get(key=key, scope=scope)
    if report is None or report.status != MonthlyReport.Status.READY:
        return _problem(request, str(REPORT_NOT_READY.message), status=409)
    heading = [str(definition.title), month, chosen.name]
    rows = export_rows(report, definition, heading=heading)
    filename = f"report-{key}-{month}-{chosen.key}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(as_xlsx(rows, sheet=key), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(as_csv(rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
