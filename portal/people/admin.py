from django.contrib import admin

from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.admin_scoping import StaffScopedAdminMixin, atu_served_by_department
from portal.people.models import Guardianship, Person


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    fk_name = "representative"
    extra = 0
    autocomplete_fields = ["ward"]


@admin.register(Person)
class PersonAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
    access_subject, access_person_fields = Subject.PERSON, ("pk",)
    # people registered in the area: served by the staff member's department (directly or
    # through an ancestor ATU), or in the provider's region. Nobody scoped sees the unregistered.
    scope_department = atu_served_by_department("registration_atu")
    scope_region = "registration_atu__region"

    list_display = ["iin", "last_name", "first_name", "patronymic", "birth_date", "phone", "registration_atu"]
    search_fields = ["iin", "last_name", "first_name", "phone"]
    list_filter = ["preferred_language", "registration_atu__region"]
    autocomplete_fields = ["registration_atu"]
    inlines = [GuardianshipInline]


@admin.register(Guardianship)
class GuardianshipAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
    access_subject, access_person_fields = Subject.GUARDIANSHIP, ("representative", "ward")
    # by the ward's registration, as for people.
    scope_department = atu_served_by_department("ward__registration_atu")
    scope_region = "ward__registration_atu__region"

    list_display = ["representative", "ward", "basis", "valid_from", "valid_until"]
    search_fields = ["representative__iin", "ward__iin", "document_number"]
    autocomplete_fields = ["representative", "ward"]
    list_filter = ["basis"]
