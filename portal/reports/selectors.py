"""Reads of the reports (X-7): which areas a staff member may see, and their built reports.

Department staff see their department's reports; provider staff their region's and its
departments'; Committee staff, operators and superusers every area and the whole country. A report
of an area outside the staff member's is not found, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.reports.models import MonthlyReport, scope_key_for
from portal.reports.registry import ReportScope
from portal.territory.models import MseDepartment, Region


@dataclass(frozen=True)
class Area:
    """One area a report can cover, as a staff member picks it: its key in URLs and its name."""

    key: str  # "all", "r<id>", "d<id>"
    name: str
    region_id: int | None = None
    department_id: int | None = None


def user_is_national(user: User) -> bool:
    return bool(user.is_superuser or user.has_role(Role.COMMITTEE_STAFF) or user.has_role(Role.OPERATOR))


def user_may_see_reports(user: User) -> bool:
    """Staff with an area: national, a region's provider staff, or a department's staff."""
    if not user.is_authenticated or not user.is_staff:
        return False
    return user_is_national(user) or user.region_id is not None or user.department_id is not None


def areas_for(user: User) -> list[Area]:
    """The areas the staff member may see, widest first."""
    from django.utils.translation import gettext as _

    areas: list[Area] = []
    if user_is_national(user):
        areas.append(Area("all", _("Kazakhstan (all regions)")))
        regions = Region.objects.order_by("kato")
        departments = MseDepartment.objects.select_related("region").order_by("region__kato", "number")
    elif user.region_id is not None and user.has_role(Role.PROVIDER_STAFF):
        regions = Region.objects.filter(pk=user.region_id)
        departments = MseDepartment.objects.filter(region_id=user.region_id).order_by("number")
    elif user.department_id is not None:
        regions = Region.objects.none()
        departments = MseDepartment.objects.filter(pk=user.department_id)
    else:
        return []
    areas.extend(Area(f"r{r.pk}", r.name, region_id=r.pk) for r in regions)
    areas.extend(Area(f"d{d.pk}", d.name, department_id=d.pk) for d in departments)
    return areas


def area_for(user: User, key: str) -> Area | None:
    """The area ``key`` if the staff member may see it; ``None`` (not found) otherwise."""
    return next((a for a in areas_for(user) if a.key == key), None)


def report_get(*, key: str, scope: ReportScope) -> MonthlyReport | None:
    """The built (or building) report of a scope; the caller checked the area first."""
    return MonthlyReport.objects.filter(
        key=key,
        month=scope.first_day,
        scope_key=scope_key_for(region_id=scope.region_id, department_id=scope.department_id),
    ).first()
