"""The notifications' API token scopes (registered in ``NotificationsConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationScope(models.TextChoices):
    NOTIFICATIONS_READ = "notifications:read", _("read message statuses")
