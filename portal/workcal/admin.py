from django.contrib import admin, messages

from portal.admin_scoping import NationalDataAdminMixin
from portal.workcal.models import CalendarException


@admin.register(CalendarException)
class CalendarExceptionAdmin(NationalDataAdminMixin, admin.ModelAdmin):
    # The calendar is national: a day off here moves bookings in every region. Staff read it;
    # superusers, Committee staff and operators edit it. A department's own closures are the
    # queue's business trips and days off (``ReceptionException``), scoped to the area.
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
