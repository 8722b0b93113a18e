from django.contrib import admin

from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.admin_scoping import StaffScopedAdminMixin, atu_served_by_department
from portal.consent.models import Consent


@admin.register(Consent)
class ConsentAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
    access_subject, access_person_fields = Subject.CONSENT, ("subject", "given_by")
    # by the subject's registration, as for people.
    scope_department = atu_served_by_department("subject__registration_atu")
    scope_region = "subject__registration_atu__region"

    list_display = ["subject", "given_by", "scope", "channel", "integrator", "given_at", "withdrawn_at"]
    list_filter = ["scope", "channel"]
    search_fields = ["subject__iin", "given_by__iin"]
    date_hierarchy = "given_at"
    autocomplete_fields = ["subject", "given_by"]
