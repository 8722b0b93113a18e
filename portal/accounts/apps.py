from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.accounts.models import ApiToken, Integrator, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Integrator)
        auditlog.register(ApiToken, exclude_fields=["key_hash"])
