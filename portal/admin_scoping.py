"""Q-12 in the Django admin: staff see the rows of their own area only.

Who sees what (``User.department`` / ``User.region``, set on the staff member's account):

- a non-superuser with a ``department`` (MSE department staff): that department's rows;
- else one with a ``region`` (provider staff): the rows of that region;
- else department or provider staff (by role): no row, their account being set up half-way;
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
object does not exist); ``has_view_permission``, ``has_change_permission`` and
``has_delete_permission`` refuse such a row too, whoever asks. The area's own places are limited
the same way wherever the admin offers them:

- a foreign key or a many-to-many field to a department, a region or an ATU offers only those of
  the area (``choices_in_scope``: department staff their department, its region and the ATUs it
  serves; provider staff their region, its departments and its ATUs); a department foreign key
  becomes required for department staff (a row they saved without a department would leave their
  own view); links of a many-to-many field to places outside the area are kept as they were, the
  staff member neither sees nor removes them;
- a ``list_filter`` entry on a department, a region or an ATU lists only those of the area.

The mixin goes before ``admin.ModelAdmin`` in the bases.

Rows that apply nationwide (the working calendar) are not scoped: ``NationalDataAdminMixin`` lets
every staff member with the view permission read them and only superusers, Committee staff and
operators add, change or delete them.

Part of the shared core: apps import it; it imports no app.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin import RelatedFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from portal.accounts.roles import Role
from portal.territory.models import Atu, MseDepartment, Region
from portal.territory.selectors import atus_served_by

ScopeRule = str | Callable[[int], Q]

# The places an area is made of: choices and filters on these are limited to the area.
AREA_MODELS = (MseDepartment, Region, Atu)
# The scope of area staff whose account names no area: no row at all.
NOWHERE = ("nowhere", 0)


def staff_scope(user) -> tuple[str, int] | None:
    """``("department", pk)``, ``("region", pk)``, ``NOWHERE``, or None when ``user`` sees every row.

    Department and provider staff whose account names no department or region get ``NOWHERE``:
    an account set up half-way sees no row rather than every row.
    """
    if getattr(user, "is_superuser", False):
        return None
    department_id = getattr(user, "department_id", None)
    if department_id is not None:
        return ("department", department_id)
    region_id = getattr(user, "region_id", None)
    if region_id is not None:
        return ("region", region_id)
    has_role = getattr(user, "has_role", None)
    if has_role is not None and (has_role(Role.DEPARTMENT_STAFF) or has_role(Role.PROVIDER_STAFF)):
        return NOWHERE
    return None


def scope_filter(queryset: QuerySet, user, *, department: ScopeRule, region: ScopeRule) -> QuerySet:
    """``queryset`` narrowed to ``user``'s area, by the rules ``department`` and ``region``."""
    return scope_apply(queryset, staff_scope(user), department=department, region=region)


def scope_apply(
    queryset: QuerySet, scope: tuple[str, int] | None, *, department: ScopeRule, region: ScopeRule
) -> QuerySet:
    """``queryset`` narrowed to an area as ``staff_scope`` gives it (None: every row)."""
    if scope is None:
        return queryset
    if scope == NOWHERE:
        return queryset.none()
    kind, pk = scope
    rule = department if kind == "department" else region
    return queryset.filter(rule(pk) if callable(rule) else Q((rule, pk)))


def choices_in_scope(model: type[Model], user) -> QuerySet | None:
    """The departments, regions or ATUs (``model``) of ``user``'s area, or None when not limited.

    Department staff: their department, its region, the ATUs it serves (``atus_served_by``).
    Provider staff: their region, its departments, its ATUs. None for any other model.
    """
    scope = staff_scope(user)
    if scope is None or model not in AREA_MODELS:
        return None
    if scope == NOWHERE:
        return model.objects.none()
    kind, pk = scope
    if kind == "department":
        if model is MseDepartment:
            return MseDepartment.objects.filter(pk=pk)
        if model is Region:
            return Region.objects.filter(pk__in=MseDepartment.objects.filter(pk=pk).values("region_id"))
        return atus_served_by(pk)
    if model is Region:
        return Region.objects.filter(pk=pk)
    return model.objects.filter(region_id=pk)


def may_edit_national_data(user) -> bool:
    """Superusers, Committee staff and operators."""
    if getattr(user, "is_superuser", False):
        return True
    if not hasattr(user, "has_role"):
        return False
    return user.has_role(Role.COMMITTEE_STAFF) or user.has_role(Role.OPERATOR)


class AreaFieldListFilter(RelatedFieldListFilter):
    """A ``list_filter`` on a department, region or ATU listing only those of the user's area."""

    def field_choices(self, field, request, model_admin):
        allowed = choices_in_scope(field.related_model, request.user)
        if allowed is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": allowed.values("pk")}, ordering=ordering
        )


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

    def _row_in_scope(self, request, obj) -> bool:
        if obj is None or obj.pk is None or staff_scope(request.user) is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._row_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._row_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._row_in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        allowed = choices_in_scope(db_field.related_model, request.user)
        if allowed is not None:
            kwargs["queryset"] = allowed.using(kwargs.get("using"))
            if db_field.related_model is MseDepartment and staff_scope(request.user)[0] == "department":
                kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        allowed = choices_in_scope(db_field.related_model, request.user)
        if allowed is not None:
            kwargs["queryset"] = allowed.using(kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The form offered only the area's places: keep the row's links to the others as they were.
        if change:
            for field in self.model._meta.many_to_many:
                allowed = choices_in_scope(field.related_model, request.user)
                if allowed is None or field.name not in form.cleaned_data:
                    continue
                outside = getattr(form.instance, field.name).exclude(pk__in=allowed.values("pk"))
                chosen = form.cleaned_data[field.name]
                form.cleaned_data[field.name] = field.related_model.objects.filter(
                    Q(pk__in=[obj.pk for obj in chosen]) | Q(pk__in=outside.values("pk"))
                )
        super().save_related(request, form, formsets, change)

    def get_list_filter(self, request):
        return [self._area_filter(entry) for entry in super().get_list_filter(request)]

    def _area_filter(self, entry):
        if not isinstance(entry, str):
            return entry
        try:
            field = get_fields_from_path(self.model, entry)[-1]
        except FieldDoesNotExist:
            return entry
        if field.is_relation and field.related_model in AREA_MODELS:
            return (entry, AreaFieldListFilter)
        return entry


class NationalDataAdminMixin:
    """A ModelAdmin of rows that apply nationwide: staff read them; only national staff edit them.

    Superusers, Committee staff and operators add, change and delete; every other user with the
    model's view permission only reads. Goes before
    ``admin.ModelAdmin`` in the bases.
    """

    def has_add_permission(self, request, *args):
        return may_edit_national_data(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return may_edit_national_data(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_edit_national_data(request.user) and super().has_delete_permission(request, obj)
