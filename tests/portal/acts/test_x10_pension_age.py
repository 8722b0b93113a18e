"""X-10: pension age, men 63; women 61 until the end of 2027, then six months more each year from
1 January 2028 up to 63 from 1 January 2031 (the Social Code's schedule)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.acts.pension import age_in_months, is_pension_age


@pytest.mark.parametrize(
    ("birth_date", "day", "expected"),
    [
        (dt.date(1966, 12, 31), dt.date(2027, 12, 31), True),  # 61 on the last day of 2027: 61 applies
        (dt.date(1967, 3, 1), dt.date(2028, 3, 1), False),  # 61 in 2028: 61.5 applies
        (dt.date(1967, 3, 1), dt.date(2028, 8, 31), False),  # 61 years 5 months
        (dt.date(1967, 3, 1), dt.date(2028, 9, 1), True),  # 61 years 6 months
        (dt.date(1967, 3, 1), dt.date(2029, 2, 28), False),  # 61.99 in 2029: 62 applies
        (dt.date(1967, 3, 1), dt.date(2029, 3, 1), True),  # 62
        (dt.date(1968, 1, 1), dt.date(2030, 6, 30), False),  # 62 years 5 months in 2030: 62.5 applies
        (dt.date(1968, 1, 1), dt.date(2030, 7, 1), True),
        (dt.date(1968, 6, 1), dt.date(2031, 1, 1), False),  # 62.5 in 2031: 63 applies
        (dt.date(1968, 6, 1), dt.date(2031, 6, 1), True),
    ],
)
def test_x10_the_womens_pension_age_rises_by_six_months_a_year_from_2028(birth_date, day, expected):
    assert is_pension_age(birth_date=birth_date, female=True, day=day) is expected


@pytest.mark.parametrize(
    ("birth_date", "day", "expected"),
    [
        (dt.date(1965, 3, 1), dt.date(2028, 2, 29), False),
        (dt.date(1965, 3, 1), dt.date(2028, 3, 1), True),
        (dt.date(1967, 3, 1), dt.date(2028, 9, 1), False),  # a man of 61.5 is not of pension age
    ],
)
def test_x10_the_mens_pension_age_is_63(birth_date, day, expected):
    assert is_pension_age(birth_date=birth_date, female=False, day=day) is expected


def test_x10_age_in_months_counts_a_month_complete_on_the_birth_days_number():
    assert age_in_months(dt.date(1967, 3, 15), dt.date(2028, 9, 14)) == 61 * 12 + 5
    assert age_in_months(dt.date(1967, 3, 15), dt.date(2028, 9, 15)) == 61 * 12 + 6
