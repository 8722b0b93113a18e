from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "portal.referrals"
    label = "referrals"
    verbose_name = _("Referrals (form 031/u)")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.referrals.models import MedicalOrganisation, Referral

        auditlog.register(Referral)
        auditlog.register(MedicalOrganisation)
