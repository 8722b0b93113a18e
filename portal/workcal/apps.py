from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    name = "portal.workcal"
    label = "workcal"
    verbose_name = _("Working calendar")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from portal.workcal import signals
        from portal.workcal.models import CalendarException

        auditlog.register(CalendarException)
        post_save.connect(signals.on_exception_saved, sender=CalendarException, dispatch_uid="workcal.changed")
        post_delete.connect(signals.on_exception_deleted, sender=CalendarException, dispatch_uid="workcal.deleted")
