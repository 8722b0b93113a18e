from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatedataConfig(AppConfig):
    name = "portal.statedata"
    label = "statedata"
    verbose_name = _("State information systems")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.statedata.systems import CORE_SYSTEMS, register_system

        for system in CORE_SYSTEMS:
            register_system(system)
