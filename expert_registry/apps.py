from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertRegistryConfig(AppConfig):
    name = "expert_registry"
    verbose_name = _("Registry of doctor-experts")

    def ready(self) -> None:
        from expert_registry.sms import SAMPLE_CONTEXTS
        from notifications.services import template_samples_register

        template_samples_register(SAMPLE_CONTEXTS)
