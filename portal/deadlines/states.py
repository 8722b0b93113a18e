"""X-6: the states of a deadline on the radar, from the working hours left (``portal.workcal``)."""

from __future__ import annotations

from django.conf import settings

ON_TIME = "on_time"
DUE_SOON = "due_soon"
LATE = "late"


def due_soon_hours() -> float:
    """The working hours left (or fewer) at which a deadline is due soon: the setting, default 2."""
    return float(settings.DEADLINES_DUE_SOON_WORKING_HOURS)


def deadline_state(*, remaining: float, late: bool | None = None) -> str:
    """Late once the due time has passed (``late``, or negative hours left); due soon within the
    setting's working hours; else on time."""
    if late or remaining < 0:
        return LATE
    if remaining <= due_soon_hours():
        return DUE_SOON
    return ON_TIME
