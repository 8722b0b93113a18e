from django.contrib import admin

from portal.consent.models import Consent


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["subject", "given_by", "scope", "channel", "given_at", "withdrawn_at"]
    list_filter = ["scope", "channel"]
    search_fields = ["subject__iin", "given_by__iin"]
    date_hierarchy = "given_at"
    autocomplete_fields = ["subject", "given_by"]
