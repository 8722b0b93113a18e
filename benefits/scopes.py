"""The benefits' API token scopes (registered in ``BenefitsConfig.ready``), declared ahead of the app's
operations (B-rules) so that integrators' tokens can be issued with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitScope(models.TextChoices):
    BENEFITS_WRITE = "benefits:write", _("submit benefit applications")
    BENEFITS_READ = "benefits:read", _("read benefit applications")
    SCHOOL_NOTICE = "benefits:school_notice", _("notify of a benefit recipient's expulsion or move to extramural study")
