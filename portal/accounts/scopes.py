"""API token scopes. A token can do only what its scopes name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    REFERRALS_WRITE = "referrals:write", _("submit referrals (form 031/u)")
    REFERRALS_READ = "referrals:read", _("read referrals")
    BOOKINGS_READ = "bookings:read", _("read bookings and availability")
    BOOKINGS_WRITE = "bookings:write", _("book and cancel for a citizen")
    QUEUE_STAFF = "queue:staff", _("department queue operations")
    NOTIFICATIONS_READ = "notifications:read", _("read message statuses")
    CONSENTS_WRITE = "consents:write", _("ask a person for consent by a code sent to their phone")
    BENEFITS_WRITE = "benefits:write", _("submit benefit applications")
    BENEFITS_READ = "benefits:read", _("read benefit applications")
