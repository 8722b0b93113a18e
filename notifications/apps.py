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

        from notifications.selectors import outbox_backlog_count
        from portal.monitoring.metrics import register_gauge

        register_gauge(
            name="portal_sms_outbox_backlog",
            documentation="SMS in the outbox whose send attempt is due and not made yet.",
            read=lambda: float(outbox_backlog_count()),
        )
