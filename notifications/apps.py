from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications (SMS)")

    def ready(self):
        from notifications.services import notify
        from portal import messaging

        messaging.register_sender(notify)

        from notifications.scopes import NotificationScope
        from portal.accounts.scopes import register_scopes

        register_scopes(NotificationScope)

        from django.db.models.signals import post_delete, post_save

        from notifications.models import Template
        from notifications.selectors import template_changed

        def template_saved(sender, instance, **kwargs) -> None:
            template_changed(key=instance.key)

        post_save.connect(template_saved, sender=Template, dispatch_uid="notifications.template_saved", weak=False)
        post_delete.connect(template_saved, sender=Template, dispatch_uid="notifications.template_deleted", weak=False)

        from notifications.selectors import outbox_backlog_count
        from portal.monitoring.metrics import register_gauge

        register_gauge(
            name="portal_sms_outbox_backlog",
            documentation="SMS in the outbox whose send attempt is due and not made yet.",
            read=lambda: float(outbox_backlog_count()),
        )
