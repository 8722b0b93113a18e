"""API token scopes of the registry of doctor-experts, registered in ``ExpertRegistryConfig.ready``.

``experts:read`` is for the Committee's own systems (integrator kind ``committee``): the registry is the
Committee's national data (its candidates, results, exclusions, active experts), never bank details. A
token with the scope is issued only to a Committee system (``register_scopes(..., integrator_kinds=...)``
in ``ExpertRegistryConfig.ready``), and the API still refuses it on any other integrator's token, one
whose kind was changed after issuance (X-8; ``expert_registry.apis``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertScope(models.TextChoices):
    READ = "experts:read", _("read the registry of doctor-experts (applications, results, exclusions, experts)")
