"""Pension age (X-10: people of pension age are re-examined only on their own application).

Men: 63. Women: 61 until 31 December 2027; from 1 January 2028 it rises by six months a year until it
equals the men's, 63 from 1 January 2031 (the Social Code's transitional schedule, as the Ministry
of Labour announced it). Which age applies is the one in force on the day checked.
"""

from __future__ import annotations

import datetime as dt

MEN_MONTHS = 63 * 12
# (in force from, pension age in months) for women, oldest first
WOMEN_MONTHS: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2023, 1, 1), 61 * 12),
    (dt.date(2028, 1, 1), 61 * 12 + 6),
    (dt.date(2029, 1, 1), 62 * 12),
    (dt.date(2030, 1, 1), 62 * 12 + 6),
    (dt.date(2031, 1, 1), 63 * 12),
)


def age_in_months(birth_date: dt.date, day: dt.date) -> int:
    """Whole months of life on ``day`` (a month is complete on the birth day's number)."""
    months = (day.year - birth_date.year) * 12 + day.month - birth_date.month
    return months - (1 if day.day < birth_date.day else 0)


def pension_age_months(*, female: bool, day: dt.date) -> int:
    """The pension age in force on ``day``, in months."""
    if not female:
        return MEN_MONTHS
    months = WOMEN_MONTHS[0][1]
    for since, value in WOMEN_MONTHS:
        if since <= day:
            months = value
    return months


def is_pension_age(*, birth_date: dt.date, female: bool, day: dt.date) -> bool:
    return age_in_months(birth_date, day) >= pension_age_months(female=female, day=day)
