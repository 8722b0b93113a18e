"""The working calendar: 2026 holidays, weekend moves, staff overrides and the deadlines built on it."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from portal.workcal.models import CalendarException
from portal.workcal.services import (
    WORKDAY_END,
    WORKDAY_START,
    WorkingCalendar,
    add_working_days,
    calendar_exception_delete,
    calendar_exception_save,
    is_working_day,
    working_calendar,
    working_deadline,
)

pytestmark = pytest.mark.django_db

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def almaty(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


def day_off(date, name="Transferred day off"):
    row = CalendarException(
        date=date, kind=CalendarException.Kind.DAY_OFF, name_ru=name, legal_basis="Government decree (test)"
    )
    calendar_exception_save(exception=row)
    return row


def working_day(date, name="Transferred working day"):
    row = CalendarException(
        date=date, kind=CalendarException.Kind.WORKING_DAY, name_ru=name, legal_basis="Government decree (test)"
    )
    calendar_exception_save(exception=row)
    return row


@pytest.mark.parametrize(
    "date",
    [
        dt.date(2026, 1, 1),  # New Year
        dt.date(2026, 1, 2),
        dt.date(2026, 1, 7),  # Orthodox Christmas
        dt.date(2026, 3, 23),  # Nauryz
        dt.date(2026, 5, 1),  # Unity Day
        dt.date(2026, 5, 7),  # Defender of the Fatherland Day
        dt.date(2026, 5, 27),  # Kurban Ait
        dt.date(2026, 7, 6),  # Capital Day
        dt.date(2026, 12, 16),  # Independence Day
    ],
)
def test_2026_public_holidays_are_not_working_days(date):
    assert date.weekday() < 5  # a weekday, so only the holiday makes it a day off
    assert not is_working_day(date)


@pytest.mark.parametrize(
    ("holiday", "moved_to"),
    [
        (dt.date(2026, 3, 8), dt.date(2026, 3, 9)),  # Women's Day on a Sunday -> Monday
        (dt.date(2026, 5, 9), dt.date(2026, 5, 11)),  # Victory Day on a Saturday -> Monday
        (dt.date(2026, 10, 25), dt.date(2026, 10, 26)),  # Republic Day on a Sunday -> Monday
        (dt.date(2026, 3, 22), dt.date(2026, 3, 25)),  # Nauryz 21-22 on the weekend -> 24 and 25
    ],
)
def test_2026_holiday_on_a_weekend_moves_to_the_next_working_day(holiday, moved_to):
    assert holiday.weekday() >= 5
    assert not is_working_day(moved_to)
    assert is_working_day(moved_to + dt.timedelta(days=1))


def test_2026_ordinary_weekdays_work_and_weekends_do_not():
    assert is_working_day(dt.date(2026, 11, 24))  # Tuesday
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_working_day(dt.date(2026, 11, 29))  # Sunday


def test_2026_no_constitution_day_in_the_package_until_staff_add_it():
    # 31 Aug 2026 is a Monday; some 2026 calendars list Constitution Day, the package does not.
    assert is_working_day(dt.date(2026, 8, 31))
    day_off(dt.date(2026, 8, 31), "День Конституции")
    assert not is_working_day(dt.date(2026, 8, 31))


def test_staff_day_off_overrides_the_package():
    day = dt.date(2026, 12, 18)  # a Friday
    assert is_working_day(day)
    day_off(day)
    assert not is_working_day(day)


def test_staff_transfer_day_off_and_worked_saturday_override_the_package():
    # a decreed transfer: a Friday off, the Saturday after it worked
    friday, saturday = dt.date(2026, 12, 18), dt.date(2026, 12, 19)
    day_off(friday)
    working_day(saturday)
    cal = working_calendar()
    assert not cal.is_working_day(friday)
    assert cal.is_working_day(saturday)
    # a working-day exception beats even a public holiday
    working_day(dt.date(2026, 7, 6))
    assert is_working_day(dt.date(2026, 7, 6))


def test_calendar_sees_an_exception_changed_after_it_was_cached():
    day = dt.date(2026, 12, 21)
    assert is_working_day(day)
    row = day_off(day)
    assert not is_working_day(day)
    row.kind = CalendarException.Kind.WORKING_DAY
    calendar_exception_save(exception=row)
    assert is_working_day(day)
    calendar_exception_delete(exception=row)
    assert is_working_day(day)
    day_off(day)
    assert not is_working_day(day)


def test_package_transfer_of_2025_is_honoured():
    # the package models the 2025 transfer: Fri 3 Jan off, Sun 5 Jan worked
    assert not is_working_day(dt.date(2025, 1, 3))
    assert is_working_day(dt.date(2025, 1, 5))


def test_add_working_days_skips_weekends_and_holidays():
    # Fri 20 Mar 2026: Mon 23 - Wed 25 are Nauryz (with the weekend moves)
    assert add_working_days(dt.date(2026, 3, 20), 1) == dt.date(2026, 3, 26)
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 24), 0) == dt.date(2026, 11, 24)
    assert add_working_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 30)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(dt.date(2026, 11, 24), -1)


def test_add_working_days_follows_staff_exceptions():
    day_off(dt.date(2026, 11, 30))
    working_day(dt.date(2026, 11, 28))
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 28)
    assert add_working_days(dt.date(2026, 11, 27), 2) == dt.date(2026, 12, 1)


def test_working_days_between_and_in_count_the_same_days():
    cal = WorkingCalendar()
    # (20 Mar, 31 Mar]: 26, 27, 30, 31
    assert cal.working_days_between(dt.date(2026, 3, 20), dt.date(2026, 3, 31)) == 4
    assert cal.working_days_in(dt.date(2026, 3, 21), dt.date(2026, 3, 31)) == [
        dt.date(2026, 3, 26),
        dt.date(2026, 3, 27),
        dt.date(2026, 3, 30),
        dt.date(2026, 3, 31),
    ]


def test_item7_received_by_16_due_same_day_18_00():
    due = working_deadline(almaty(2026, 11, 24, 15, 59))
    assert due == almaty(2026, 11, 24, 18, 0)
    assert working_deadline(almaty(2026, 11, 24, 16, 0)) == almaty(2026, 11, 24, 18, 0)


def test_item7_received_after_16_counts_from_next_working_day():
    assert working_deadline(almaty(2026, 11, 24, 16, 1)) == almaty(2026, 11, 25, 18, 0)
    # Friday evening -> Monday
    assert working_deadline(almaty(2026, 11, 27, 17, 30)) == almaty(2026, 11, 30, 18, 0)
    # Tue 15 Dec evening: 16 Dec is Independence Day -> Thu 17 Dec
    assert working_deadline(almaty(2026, 12, 15, 16, 30)) == almaty(2026, 12, 17, 18, 0)


def test_item7_received_on_a_saturday_due_next_working_day():
    assert working_deadline(almaty(2026, 11, 28, 10, 0)) == almaty(2026, 11, 30, 18, 0)
    # a Saturday before a holiday Monday (9 May 2026, Victory Day moved to Mon 11 May)
    assert working_deadline(almaty(2026, 5, 9, 9, 0)) == almaty(2026, 5, 12, 18, 0)


def test_item7_received_on_a_staff_day_off_counts_from_next_working_day():
    day_off(dt.date(2026, 11, 24))
    assert working_deadline(almaty(2026, 11, 24, 10, 0)) == almaty(2026, 11, 25, 18, 0)


def test_item7_cut_off_is_read_on_the_almaty_clock_whatever_the_input_zone():
    utc = dt.UTC
    # 10:59 UTC = 15:59 in Almaty (UTC+5): same day
    assert working_deadline(dt.datetime(2026, 11, 24, 10, 59, tzinfo=utc)) == almaty(2026, 11, 24, 18, 0)
    # 11:01 UTC = 16:01 in Almaty: next working day
    assert working_deadline(dt.datetime(2026, 11, 24, 11, 1, tzinfo=utc)) == almaty(2026, 11, 25, 18, 0)
    # 20:00 UTC on Monday is already Tuesday 01:00 in Almaty
    assert working_deadline(dt.datetime(2026, 11, 23, 20, 0, tzinfo=utc)) == almaty(2026, 11, 24, 18, 0)


def test_item7_deadline_stays_on_almaty_time_when_a_request_activated_another_zone():
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        due = working_deadline(almaty(2026, 11, 24, 16, 30))
    assert due == almaty(2026, 11, 25, 18, 0)
    assert due.utcoffset() == dt.timedelta(hours=5)


def test_q13_incident_due_within_3_working_days_of_being_found():
    # found Fri 20 Mar 2026: Nauryz Mon-Wed, so the 3rd working day after is Mon 30 Mar
    assert add_working_days(dt.date(2026, 3, 20), 3) == dt.date(2026, 3, 30)
    # found on a Tuesday of an ordinary week: Friday
    assert add_working_days(dt.date(2026, 11, 24), 3) == dt.date(2026, 11, 27)


def test_working_deadline_of_several_days_counts_the_day_of_receipt_first():
    # received Tue 24 Nov by the cut-off: day 1 Tue, day 2 Wed, day 3 Thu
    assert working_deadline(almaty(2026, 11, 24, 10, 0), working_days=3) == almaty(2026, 11, 26, 18, 0)


def test_s1_provider_day_is_09_00_to_18_00():
    assert (dt.time(9, 0), dt.time(18, 0)) == (WORKDAY_START, WORKDAY_END)
    assert working_deadline(almaty(2026, 11, 24, 9, 0)).time() == dt.time(18, 0)


def test_holiday_names_in_three_languages_with_ru_supplied_by_the_portal():
    cal = WorkingCalendar()
    assert cal.holiday_name(dt.date(2026, 12, 16), "en") == "Independence Day"
    assert cal.holiday_name(dt.date(2026, 12, 16), "ru") == "День Независимости"
    assert cal.holiday_name(dt.date(2026, 3, 9), "ru") == "Международный женский день (перенос)"
    assert cal.holiday_name(dt.date(2026, 5, 27), "ru") == "Курбан айт"
    assert cal.holiday_name(dt.date(2026, 12, 16), "kk")
    assert cal.holiday_name(dt.date(2026, 11, 24), "ru") is None
    day_off(dt.date(2026, 8, 31), "День Конституции")
    assert cal.holiday_name(dt.date(2026, 8, 31), "ru") == "День Конституции"
