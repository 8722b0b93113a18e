from django.contrib import admin

from portal.people.models import Guardianship, Person


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    fk_name = "representative"
    extra = 0
    autocomplete_fields = ["ward"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["iin", "last_name", "first_name", "patronymic", "birth_date", "phone", "registration_atu"]
    search_fields = ["iin", "last_name", "first_name", "phone"]
    list_filter = ["preferred_language", "registration_atu__region"]
    autocomplete_fields = ["registration_atu"]
    inlines = [GuardianshipInline]


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["representative", "ward", "basis", "valid_from", "valid_until"]
    search_fields = ["representative__iin", "ward__iin", "document_number"]
    autocomplete_fields = ["representative", "ward"]
    list_filter = ["basis"]
