"""The abstract one-time code: only the code's hash is stored, with its expiry, the wrong attempts and
the moment it was used (or killed). Concrete tables: ``accounts.SignInCode`` (sign-in),
``consent.ConsentCode`` (X-8), ``benefits.ApplicationCode`` (B-1)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        abstract = True

    def hash_context(self) -> tuple[str, ...]:
        """What the hash is bound to besides the code (e.g. the row's public id), so that one code's
        hash is worthless for another row. Fixed before the row is saved."""
        return ()
