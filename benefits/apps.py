from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Benefits")

    def ready(self) -> None:
        from benefits.scopes import BenefitScope
        from portal.accounts.scopes import register_scopes

        register_scopes(BenefitScope)

        from benefits.sms import SAMPLE_CONTEXTS
        from notifications.services import template_samples_register

        template_samples_register(SAMPLE_CONTEXTS)
