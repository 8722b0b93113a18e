from django.contrib import admin

from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.acts.models import ExaminationPlan, MseAct, ServiceRefusal, StaffSignatory
from portal.admin_scoping import StaffScopedAdminMixin


@admin.register(MseAct)
class MseActAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The register, read-only: acts are registered through ``act_register`` (signed), never typed in."""

    access_subject, access_person_fields = Subject.MSE_ACT, ("person",)
    scope_department = "department"
    scope_region = "department__region"
    list_display = ["number", "person", "examined_on", "place", "recognised", "group", "term_until", "department"]
    list_filter = ["recognised", "group", "place", "kind", "category", "signature_revocation_unknown", "department"]
    search_fields = ["number", "person__iin", "person__last_name"]
    date_hierarchy = "examined_on"

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ServiceRefusal)
class ServiceRefusalAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    access_subject, access_person_fields = Subject.MSE_ACT, ("person",)
    scope_department = "department"
    scope_region = "department__region"
    list_display = ["person", "ground", "decided_on", "department"]
    list_filter = ["ground", "department"]
    search_fields = ["person__iin", "person__last_name"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ExaminationPlan)
class ExaminationPlanAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    access_subject, access_person_fields = Subject.MSE_ACT, ("person",)
    scope_department = "department"
    scope_region = "department__region"
    list_display = ["planned_on", "place", "person", "department"]
    list_filter = ["place", "department"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(StaffSignatory)
class StaffSignatoryAdmin(StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Whose certificate a staff member's acts must be signed with."""

    scope_department = "user__department"
    scope_region = "user__department__region"
    list_display = ["user", "created_at"]
    autocomplete_fields = ["user"]
