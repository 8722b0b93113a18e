"""The deadline radar's page (X-6): every registered source's open deadlines in the staff member's
area, the least working time left first, "due soon" and "late" marked, filtered by kind.

Staff with an area only (``selectors.user_may_see_deadlines``): national staff see the country,
provider staff their region, department staff their department. The page shows labels, public ids
and numbers, no personal data.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.accounts.access import (
    ALL_ROWS,
    STAFF_DEPARTMENT,
    STAFF_REGION,
    allow,
    committee_staff,
    department_staff,
    operator,
    provider_staff,
)
from portal.accounts.models import User
from portal.deadlines.registry import DeadlineScope, deadline_source, deadline_sources
from portal.deadlines.selectors import radar_rows, user_may_see_deadlines
from portal.deadlines.states import due_soon_hours


@allow(
    department_staff(STAFF_DEPARTMENT),
    provider_staff(STAFF_REGION),
    committee_staff(ALL_ROWS),
    operator(ALL_ROWS),
)
@require_GET
def radar(request: HttpRequest) -> HttpResponse:
    """X-6: the open deadlines of the staff member's area; ``?kind=`` (repeatable) narrows to kinds."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:staff-sign-in"))
    user = request.user
    if not isinstance(user, User) or not user_may_see_deadlines(user):
        raise PermissionDenied
    kinds = [k for k in request.GET.getlist("kind") if k]
    unknown = [k for k in kinds if deadline_source(k) is None]
    status = 200
    error = ""
    if unknown:
        status = 400
        error = _("Choose the kinds of deadline from the list; unknown kind: %(kind)s.") % {"kind": unknown[0][:40]}
        rows = []
    else:
        rows = radar_rows(scope=DeadlineScope.for_user(user), now=timezone.now(), kinds=kinds)
    context = {
        "rows": rows,
        "sources": deadline_sources(),
        "chosen": kinds,
        "error": error,
        "due_soon_hours": due_soon_hours(),
    }
    return render(request, "deadlines/radar.html", context, status=status)
