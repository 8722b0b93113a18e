from django.contrib import admin, messages

from portal.workcal.models import CalendarException


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name_ru", "name_kk", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name_ru", "name_kk", "legal_basis"]

    def _report(self, request, obj) -> None:
        """What the apps did about the change (``calendar_changed`` receivers' sentences)."""
        for _receiver, said in getattr(obj, "_calendar_responses", []):
            if said:
                self.message_user(request, said, messages.WARNING)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._report(request, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._report(request, obj)
