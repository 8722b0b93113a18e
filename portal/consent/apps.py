from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "portal.consent"
    label = "consent"
    verbose_name = _("Consents to personal data processing")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.consent.models import Consent

        auditlog.register(Consent)
