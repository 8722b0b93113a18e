"""Q-12 in the Django admin: staff see the rows of their own area only.

Who sees what (``User.department`` / ``User.region``, set on the staff member's account):

- a non-superuser with a ``department`` (MSE department staff): that department's rows;
- else one with a ``region`` (provider staff): the rows of that region;
- everyone else the admin lets in (superusers, committee staff, operators): every row.

Each admin says how its rows reach a department and a region, by lookup paths compared with the
department's or the region's primary key::

    @admin.register(Booking)
    class BookingAdmin(StaffScopedAdminMixin, admin.ModelAdmin):
        scope_department = "department"
        scope_region = "department__region"

or, where a path cannot say it, by a callable taking that primary key and returning a ``Q``.
``atu_served_by_department("registration_atu")`` is the one for rows reached through an ATU (a
person's permanent registration). A path must follow single-valued relations (foreign keys) so that
no row is repeated; a rule over a many-valued relation is a callable using ``__in`` or ``Exists``.
A row whose path ends in null (no department) matches no scope: only unscoped users see it, unless
the admin's rule adds it explicitly.

Everything the admin shows of a model goes through ``get_queryset``: the changelist, its actions and
filters' results, the autocomplete of other admins' forms, and the change, delete and history
pages, which answer an out-of-scope row as a missing one (a redirect to the admin index saying the
object does not exist). In add/change forms a foreign key to ``MseDepartment`` offers only the
departments in scope, and becomes required for department staff (a row they saved without a
department would leave their own view). The mixin goes before ``admin.ModelAdmin`` in the bases.

Part of the shared core: apps import it; it imports no app.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from portal.territory.models import MseDepartment
from portal.territory.selectors import atus_served_by

ScopeRule = str | Callable[[int], Q]


def staff_scope(user) -> tuple[str, int] | None:
    """``("department", pk)``, ``("region", pk)``, or None when ``user`` sees every row."""
    if getattr(user, "is_superuser", False):
        return None
    department_id = getattr(user, "department_id", None)
    if department_id is not None:
        return ("department", department_id)
    region_id = getattr(user, "region_id", None)
    if region_id is not None:
        return ("region", region_id)
    return None


def scope_filter(queryset: QuerySet, user, *, department: ScopeRule, region: ScopeRule) -> QuerySet:
    """``queryset`` narrowed to ``user``'s area, by the rules ``department`` and ``region``."""
    scope = staff_scope(user)
    if scope is None:
        return queryset
    kind, pk = scope
    rule = department if kind == "department" else region
    return queryset.filter(rule(pk) if callable(rule) else Q((rule, pk)))


def departments_in_scope(user) -> QuerySet[MseDepartment] | None:
    """The departments ``user`` works for, or None when not limited."""
    scope = staff_scope(user)
    if scope is None:
        return None
    kind, pk = scope
    if kind == "department":
        return MseDepartment.objects.filter(pk=pk)
    return MseDepartment.objects.filter(region_id=pk)


def atu_served_by_department(atu_path: str) -> Callable[[int], Q]:
    """A ``scope_department`` rule: the row's ATU (at ``atu_path``) is served by the department."""

    def rule(department_id: int) -> Q:
        return Q((f"{atu_path}__in", atus_served_by(department_id).values("pk")))

    return rule


class StaffScopedAdminMixin:
    """A ModelAdmin showing department and provider staff only the rows of their area (Q-12)."""

    # How a row reaches a department and a region: a lookup path, or a callable pk -> Q.
    scope_department: ScopeRule | None = None
    scope_region: ScopeRule | None = None

    def __init__(self, *args, **kwargs):
        if self.scope_department is None or self.scope_region is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set scope_department and scope_region.")
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Read from the class: a function stored there would otherwise come back bound to the admin.
        rules = type(self)
        return scope_filter(queryset, request.user, department=rules.scope_department, region=rules.scope_region)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is MseDepartment:
            departments = departments_in_scope(request.user)
            if departments is not None:
                kwargs["queryset"] = departments.using(kwargs.get("using"))
                if staff_scope(request.user)[0] == "department":
                    kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
