"""The queue's API token scopes (registered in ``QueueBookingConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QueueScope(models.TextChoices):
    BOOKINGS_READ = "bookings:read", _("read bookings and availability")
    BOOKINGS_WRITE = "bookings:write", _("book and cancel for a citizen")
    QUEUE_STAFF = "queue:staff", _("department queue operations")
