from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "portal.territory"
    label = "territory"
    verbose_name = _("Territory and MSE departments")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.territory.models import Atu, MseDepartment, Region

        # every change of the territory, the ATUs a department serves included (Q-3: who
        # receives whose residents), is audited with its actor.
        auditlog.register(Region)
        auditlog.register(Atu)
        auditlog.register(MseDepartment, m2m_fields={"atus"})
