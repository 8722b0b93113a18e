"""Pages of the remote pilot: the deadline radar (X-6) for staff and for experts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mse_pilot.deadlines import due_soon_hours
from mse_pilot.models import PanelAssignment
from mse_pilot.selectors import cases_waiting_without_expert, deadline_radar
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import (
    ALL_ROWS,
    STAFF_DEPARTMENT,
    STAFF_REGION,
    ObjectCheck,
    allow,
    citizen,
    committee_staff,
    department_staff,
    operator,
    provider_staff,
)
from portal.accounts.decorators import citizen_required as _citizen_required
from portal.admin_scoping import atu_served_by_department, scope_filter

_View = TypeVar("_View", bound=Callable[..., Any])
citizen_required: Callable[[_View], _View] = _citizen_required
RADAR_PURPOSE = Purpose.ADMINISTRATION
OWN_ASSIGNMENTS = ObjectCheck("own_assignments", "the cases assigned to the signed-in expert only")


@allow(
    department_staff(STAFF_DEPARTMENT),
    provider_staff(STAFF_REGION),
    committee_staff(ALL_ROWS),
    operator(ALL_ROWS),
)
@login_required(login_url="accounts:staff-sign-in")
def radar(request: HttpRequest) -> HttpResponse:
    """X-6: every open assignment of the staff member's area, the most urgent first."""
    if not request.user.is_staff:
        raise PermissionDenied
    rows = scope_filter(
        PanelAssignment.objects.all(),
        request.user,
        department=atu_served_by_department("person__registration_atu"),
        region="person__registration_atu__region",
    )
    waiting = scope_filter(
        cases_waiting_without_expert(),
        request.user,
        department=atu_served_by_department("person__registration_atu"),
        region="person__registration_atu__region",
    )
    radar_rows = deadline_radar(now=timezone.now(), assignments=rows)
    if radar_rows:  # the cases are people's
        personal_data_read(request, [r.assignment.case for r in radar_rows], Subject.REFERRAL, RADAR_PURPOSE)
    context = {"rows": radar_rows, "waiting": list(waiting), "due_soon_hours": due_soon_hours(), "staff": True}
    return render(request, "mse_pilot/radar.html", context)


@allow(citizen(OWN_ASSIGNMENTS))
@citizen_required
def my_radar(request: HttpRequest) -> HttpResponse:
    """X-6: the signed-in expert's own open cases, the most urgent first."""
    person_id = getattr(request.user, "person_id", None)
    rows = PanelAssignment.objects.filter(expert__person_id=person_id) if person_id else PanelAssignment.objects.none()
    context = {"rows": deadline_radar(now=timezone.now(), assignments=rows), "due_soon_hours": due_soon_hours()}
    return render(request, "mse_pilot/radar.html", context)
