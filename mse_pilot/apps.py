from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MsePilotConfig(AppConfig):
    name = "mse_pilot"
    verbose_name = _("Proactive remote MSE (pilot)")
