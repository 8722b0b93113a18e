"""Who may act for an MSE department: the check every app's services make before a staff operation.

A service calls ``staff_require`` with the acting user and the department the operation touches;
views and APIs never decide this themselves.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role
from portal.accounts.selectors import integrator_serves_department
from portal.errors import ForbiddenError
from portal.territory.models import MseDepartment

MSG_NOT_STAFF = _("You do not work in this MSE department.")


def staff_require(*, actor_user, department: MseDepartment) -> None:
    """Department staff act for their department, provider staff for their region's departments, an
    integrator for the departments it is bound to (X-8); anyone else gets 403 ``not_staff``.

    ``actor_user=None`` is the system itself (a beat task); a superuser may act anywhere.
    """
    if actor_user is None or actor_user.is_superuser:
        return
    if actor_user.department_id == department.pk:
        return
    if actor_user.region_id == department.region_id and actor_user.has_role(Role.PROVIDER_STAFF):
        return
    integrator = getattr(actor_user, "integrator", None)
    # a department's system works only the departments it is bound to.
    if integrator is not None and integrator_serves_department(integrator=integrator, department_id=department.pk):
        return
    raise ForbiddenError(MSG_NOT_STAFF, code="not_staff", field="department")
