"""The demo backend's data: what a state system would answer, edited by staff in the admin and written by
tests. Never read by the ``shep`` backend."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel


class DemoRecord(TimeStampedModel):
    """One answer of one system for one key (an IIN or a BIN), optionally for a period (a status on a date)."""

    system = models.CharField(_("state system"), max_length=64)
    key = models.CharField(_("IIN or BIN"), max_length=12)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    data = models.JSONField(_("answer"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("demo state record")
        verbose_name_plural = _("demo state records")
        ordering = ["system", "key", "valid_from"]
        indexes = [models.Index(fields=["system", "key"])]

    def __str__(self) -> str:
        return f"{self.system} #{self.pk}"

    def clean(self) -> None:
        from portal.statedata.systems import system_get

        try:
            system = system_get(self.system)
        except LookupError:
            raise ValidationError({"system": _("Unknown state system.")}) from None
        try:
            system.parse(self.key, self.data if isinstance(self.data, dict) else {})
        except (ValueError, TypeError) as exc:
            raise ValidationError({"data": str(exc)}) from None
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The period ends before it starts.")})
