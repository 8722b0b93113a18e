from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NosologyConfig(AppConfig):
    name = "portal.nosology"
    label = "nosology"
    verbose_name = _("Nosological forms (ICD-10)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from portal.nosology.models import NosologyCode, NosologyGroup

        # a change of which diagnoses a pilot covers changes where people are examined.
        auditlog.register(NosologyGroup)
        auditlog.register(NosologyCode)
