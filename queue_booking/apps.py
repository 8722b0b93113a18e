from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueBookingConfig(AppConfig):
    name = "queue_booking"
    verbose_name = _("Electronic queue")
