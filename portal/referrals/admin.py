from django.contrib import admin

from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.admin_languages import KazakhTextWarningAdminMixin
from portal.admin_scoping import StaffScopedAdminMixin, atu_served_by_department
from portal.referrals.models import MedicalOrganisation, Referral, ReferralExamination


class ReferralExaminationInline(admin.TabularInline):
    model = ReferralExamination
    extra = 0


@admin.register(Referral)
class ReferralAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
    access_subject, access_person_fields = Subject.REFERRAL, ("person",)
    # by the registration of the person referred, as for people.
    scope_department = atu_served_by_department("person__registration_atu")
    scope_region = "person__registration_atu__region"

    list_display = [
        "external_id",
        "person",
        "icd10",
        "signed_at",
        "valid_until",
        "status",
        "route",
        "signature_revocation_unknown",  # P-5: staff check these by hand
    ]
    list_filter = ["status", "route", "signature_revocation_unknown", "medical_organisation__mis_vendor"]
    search_fields = ["external_id", "person__iin", "person__last_name", "icd10"]
    date_hierarchy = "signed_at"
    autocomplete_fields = ["person"]
    readonly_fields = ["public_id", "valid_until", "signature_verification", "created_at", "updated_at"]
    inlines = [ReferralExaminationInline]


@admin.register(MedicalOrganisation)
class MedicalOrganisationAdmin(KazakhTextWarningAdminMixin, admin.ModelAdmin):  # a registry: not scoped
    kazakh_fields = ("name",)
    list_display = ["name_ru", "name_kk", "bin", "region", "mis_vendor", "integrator"]
    list_filter = ["mis_vendor", "region"]
    search_fields = ["name_ru", "name_kk", "bin"]
