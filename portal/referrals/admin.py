from django.contrib import admin

from portal.referrals.models import MedicalOrganisation, Referral, ReferralExamination


class ReferralExaminationInline(admin.TabularInline):
    model = ReferralExamination
    extra = 0


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["external_id", "person", "icd10", "signed_at", "valid_until", "status", "route"]
    list_filter = ["status", "route", "medical_organisation__mis_vendor"]
    search_fields = ["external_id", "person__iin", "person__last_name", "icd10"]
    date_hierarchy = "signed_at"
    autocomplete_fields = ["person"]
    readonly_fields = ["public_id", "valid_until", "created_at", "updated_at"]
    inlines = [ReferralExaminationInline]


@admin.register(MedicalOrganisation)
class MedicalOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "bin", "region", "mis_vendor", "integrator"]
    list_filter = ["mis_vendor", "region"]
    search_fields = ["name", "bin"]
