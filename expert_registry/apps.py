from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertRegistryConfig(AppConfig):
    name = "expert_registry"
    verbose_name = _("Registry of doctor-experts")
