from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    name = "portal.workcal"
    label = "workcal"
    verbose_name = _("Working calendar")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.workcal.models import CalendarException

        # Changes reach the apps through calendar_exception_save/_delete (services), not post_save.
        auditlog.register(CalendarException)
