"""The pilot's window in force (Q-1)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

# in force "after ten calendar days from the day of the last signature", for 12 months.
PILOT_DELAY_DAYS = 10
PILOT_MONTHS = 12


def pilot_window(*, last_signed_on: dt.date) -> tuple[dt.date, dt.date]:
    """(first day in force, last day in force) of an order signed last on ``last_signed_on``.

    Signed 11 Nov 2025: days 12-21 Nov elapse, in force from 22 Nov 2025 until 21 Nov 2026.
    """
    starts_on = last_signed_on + dt.timedelta(days=PILOT_DELAY_DAYS + 1)
    return starts_on, starts_on + relativedelta(months=PILOT_MONTHS) - dt.timedelta(days=1)
