"""API token scopes of the registry of doctor-experts, registered in ``ExpertRegistryConfig.ready``.

``experts:read`` is issued to the Committee's own systems: the registry is the Committee's national
data (its candidates, results, exclusions, active experts), never bank details."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertScope(models.TextChoices):
    READ = "experts:read", _("read the registry of doctor-experts (applications, results, exclusions, experts)")
