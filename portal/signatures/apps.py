from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "portal.signatures"
    label = "signatures"
    verbose_name = _("Electronic signatures")

    def ready(self) -> None:
        from portal.signatures import checks  # noqa: F401  (registers the system check)
