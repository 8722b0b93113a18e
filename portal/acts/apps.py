from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActsConfig(AppConfig):
    name = "portal.acts"
    label = "acts"
    verbose_name = _("Register of MSE acts")

    def ready(self) -> None:
        from portal.accounts.scopes import register_scopes
        from portal.acts.scopes import ActScope

        register_scopes(ActScope)

        from portal.acts.receivers import result_ready_sms
        from portal.acts.signals import act_registered

        act_registered.connect(result_ready_sms, dispatch_uid="acts.result_ready_sms")
