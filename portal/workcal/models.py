from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel


class CalendarException(TimeStampedModel):
    """A staff-entered override of the public-holiday calendar.

    The ``holidays`` package knows Kazakhstan's public holidays and the day-off transfers up to
    2025; the government decrees each year's transfers (a weekday off, a weekend day worked) and
    one-off days off, and staff enter them here. An exception always wins over the package.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off (holiday or transferred day off)")
        WORKING_DAY = "working_day", _("working day (transferred working weekend day)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, help_text=_("The government decree or order that sets this day.")
    )

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"
