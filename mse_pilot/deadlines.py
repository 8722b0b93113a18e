"""P-7: when the expert's conclusion on a draft MSE act is due.

The act (algorithm, item 9): the expert decides "within 1 (one) working day from the day the draft
act arrives; a draft arriving after 16:00 counts from the next working day". Two readings, chosen by
``settings.MSE_PILOT_DUE_READING``:

- ``same_day`` ([A] SPEC's reading, the default): received on a working day by the cut-off, due at
  the end of that working day (18:00, S-1); received after the cut-off or on a day off, due at the
  end of the next working day. The 16:00 cut-off only has a purpose if the day of receipt counts.
- ``next_day`` (the Civil Code's count, a term starts the day after its event): due at the end of
  the first working day after the day of receipt, whatever the time of receipt.

Working days come from ``portal.workcal`` (holidays, the government's transfers, staff overrides).
The radar's arithmetic (working hours left) and its states (on time, due soon, late) are the core's,
shared by every app: ``portal.workcal`` and ``portal.deadlines.states``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mse_pilot.selectors import open_assignment_deadlines, waiting_case_deadlines
from portal.deadlines.registry import DeadlineSource
from portal.workcal.services import WORKDAY_END, WorkingCalendar, working_calendar

SAME_DAY = "same_day"
NEXT_DAY = "next_day"
READINGS = (SAME_DAY, NEXT_DAY)


def decision_cutoff() -> dt.time:
    value = str(settings.MSE_PILOT_DECISION_CUTOFF)
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"MSE_PILOT_DECISION_CUTOFF must be HH:MM, not {value!r}") from exc


def due_reading() -> str:
    reading = str(settings.MSE_PILOT_DUE_READING)
    if reading not in READINGS:
        raise ImproperlyConfigured(f"MSE_PILOT_DUE_READING must be one of {READINGS}, not {reading!r}")
    return reading


def decision_due_at(
    received_at: dt.datetime, *, reading: str | None = None, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """P-7: the aware datetime (Asia/Almaty) by which the conclusion on a draft received at
    ``received_at`` is due."""
    reading = reading or due_reading()
    calendar = calendar or working_calendar()
    if reading == SAME_DAY:
        return calendar.deadline(received_at, working_days=1, cutoff=decision_cutoff())
    if reading != NEXT_DAY:
        raise ImproperlyConfigured(f"unknown reading of P-7: {reading!r}")
    zone = timezone.get_default_timezone()
    received_on = timezone.localtime(received_at, zone).date()
    due_on = calendar.next_working_day(received_on)
    return timezone.make_aware(dt.datetime.combine(due_on, WORKDAY_END), zone)


# --- the pilot's deadlines on the core's radar, registered from ``apps.py`` ----------------
SOURCES = [
    DeadlineSource(
        kind="pilot_assignment",
        title=_("Remote pilot: expert's conclusion"),
        items=open_assignment_deadlines,
        rule="P-7, E-9",
    ),
    DeadlineSource(
        kind="pilot_waiting",
        title=_("Remote pilot: draft act waiting for distribution"),
        items=waiting_case_deadlines,
        rule="P-6, P-7",
    ),
]
