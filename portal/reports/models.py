"""A built monthly report (X-7): one row per report key, month and scope; rebuilding replaces it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel


class MonthlyReport(TimeStampedModel):
    class Status(models.TextChoices):
        BUILDING = "building", _("being built")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    key = models.CharField(_("report"), max_length=64)
    month = models.DateField(_("month"), help_text=_("The month's first day."))
    # "all" (the country), "r<region id>" or "d<department id>": one value per scope, so that the
    # unique constraint holds without relying on how a database compares NULLs.
    scope_key = models.CharField(_("scope"), max_length=32, editable=False)
    region = models.ForeignKey(
        "territory.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BUILDING)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "key", "scope_key"]
        constraints = [
            models.UniqueConstraint(fields=["key", "month", "scope_key"], name="reports_one_per_key_month_scope"),
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) | models.Q(department__isnull=True),
                name="reports_region_or_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m} {self.scope_key} ({self.status})"


def scope_key_for(*, region_id: int | None, department_id: int | None) -> str:
    if department_id is not None:
        return f"d{department_id}"
    if region_id is not None:
        return f"r{region_id}"
    return "all"
