"""API token scopes of the register of MSE acts, registered in ``ActsConfig.ready``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActScope(models.TextChoices):
    READ = "acts:read", _("read the register of MSE acts (own people only)")
