"""Who may open a page: the decorators every app's views use.

They check only who is asking; what the person may see (their own rows, their department's) is the
view's selector's business. Each view also declares its access rule (``portal.accounts.access``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from portal.accounts.roles import Role


def citizen_required(view):
    """A signed-in person (a recipient or a legal representative); staff accounts have no cabinet."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.person_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def department_staff_required(view):
    """Staff of an MSE department: they see and change only their own department's rows."""

    @login_required(login_url="accounts:staff-sign-in")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.department_id is None or not request.user.has_role(Role.DEPARTMENT_STAFF):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
