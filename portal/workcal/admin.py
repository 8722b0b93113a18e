from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import NationalDataAdminMixin
from portal.workcal.models import CalendarException
from portal.workcal.services import CalendarChangeReport, calendar_exception_delete, calendar_exception_save

MSG_APP_FAILED = _(
    'The calendar change is saved, but "%(app)s" could not apply it (the error is logged): '
    "check its records for the changed days."
)


@admin.register(CalendarException)
class CalendarExceptionAdmin(NationalDataAdminMixin, admin.ModelAdmin):
    # The calendar is national: a day off here moves bookings in every region. Staff read it;
    # superusers, Committee staff and operators edit it. A department's own closures are the
    # queue's business trips and days off (``ReceptionException``), scoped to the area.
    list_display = ["date", "kind", "name_ru", "name_kk", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name_ru", "name_kk", "legal_basis"]

    def _report(self, request, report: CalendarChangeReport) -> None:
        """What the apps did about the change (``calendar_changed`` receivers' sentences), and which failed."""
        for said in report.said:
            self.message_user(request, said, messages.WARNING)
        for app in report.failed_apps:
            self.message_user(request, MSG_APP_FAILED % {"app": app}, messages.ERROR)

    def save_model(self, request, obj, form, change):
        self._report(request, calendar_exception_save(exception=obj, actor_user=request.user))

    def delete_model(self, request, obj):
        self._report(request, calendar_exception_delete(exception=obj, actor_user=request.user))

    def delete_queryset(self, request, queryset):
        report = CalendarChangeReport()
        with transaction.atomic():
            for obj in queryset:
                report.extend(calendar_exception_delete(exception=obj, actor_user=request.user))
        self._report(request, report)
