from django.contrib import admin

from portal.workcal.models import CalendarException


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name_ru", "name_kk", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name_ru", "name_kk", "legal_basis"]
