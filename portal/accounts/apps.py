from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from portal.beat import beat_schedule_sync

        post_migrate.connect(beat_schedule_sync, sender=self, dispatch_uid="beat_schedule_sync")

        from portal.accounts.scopes import Scope, register_scopes

        register_scopes(Scope)

        from portal.accounts.models import ApiToken, Integrator, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Integrator)
        auditlog.register(ApiToken, exclude_fields=["key_hash"])
