"""P-7: the expert's conclusion is due within 1 working day; after 16:00 the term counts from the
next working day. [A] SPEC's reading (the default): received on a working day by 16:00, due 18:00
that day; later, or on a day off, due 18:00 of the next working day. Literal datetimes, Asia/Almaty."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from mse_pilot.deadlines import decision_due_at
from mse_pilot.models import RemoteCase
from portal.workcal.models import CalendarException
from portal.workcal.services import calendar_exception_save
from tests.mse_pilot.conftest import almaty

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # an ordinary Tuesday: by 16:00 the same day, after it the next day
        (almaty(2026, 11, 24, 9, 0), almaty(2026, 11, 24, 18, 0)),
        (almaty(2026, 11, 24, 16, 0), almaty(2026, 11, 24, 18, 0)),
        (almaty(2026, 11, 24, 16, 1), almaty(2026, 11, 25, 18, 0)),
        # a Friday after 16:00 and a Saturday: Monday
        (almaty(2026, 11, 27, 16, 30), almaty(2026, 11, 30, 18, 0)),
        (almaty(2026, 11, 28, 11, 0), almaty(2026, 11, 30, 18, 0)),
    ],
)
def test_p7_received_by_16_due_18_that_day_after_16_or_day_off_next_working_day(received, due):
    assert decision_due_at(received) == due


def test_p7_nauryz_2026_after_16_on_friday_20_march_due_thursday_26_march():
    # 21-23 March 2026 is Nauryz (Sat-Mon); the weekend's two days move to Tue 24 and Wed 25
    assert decision_due_at(almaty(2026, 3, 20, 16, 30)) == almaty(2026, 3, 26, 18, 0)
    assert decision_due_at(almaty(2026, 3, 23, 10, 0)) == almaty(2026, 3, 26, 18, 0)
    assert decision_due_at(almaty(2026, 3, 20, 15, 59)) == almaty(2026, 3, 20, 18, 0)


def test_p7_nauryz_2025_after_16_on_thursday_20_march_due_wednesday_26_march():
    # 21-23 March 2025 (Fri-Sun), Saturday's and Sunday's days off moved to Mon 24 and Tue 25
    assert decision_due_at(almaty(2025, 3, 20, 17, 0)) == almaty(2025, 3, 26, 18, 0)


def test_p7_independence_day_16_december_2026():
    # 16 December 2026 is a Wednesday, a public holiday
    assert decision_due_at(almaty(2026, 12, 15, 16, 5)) == almaty(2026, 12, 17, 18, 0)
    assert decision_due_at(almaty(2026, 12, 16, 10, 0)) == almaty(2026, 12, 17, 18, 0)
    assert decision_due_at(almaty(2026, 12, 15, 12, 0)) == almaty(2026, 12, 15, 18, 0)


def test_p7_the_governments_transfer_of_january_2025():
    # Fri 3 Jan 2025 was a day off, Sun 5 Jan a working day (the government's transfer)
    assert decision_due_at(almaty(2025, 1, 3, 10, 0)) == almaty(2025, 1, 5, 18, 0)
    assert decision_due_at(almaty(2025, 1, 4, 12, 0)) == almaty(2025, 1, 5, 18, 0)
    assert decision_due_at(almaty(2025, 1, 5, 15, 0)) == almaty(2025, 1, 5, 18, 0)
    # after 16:00 on the worked Sunday: Monday 6 January (7 January is Orthodox Christmas)
    assert decision_due_at(almaty(2025, 1, 5, 16, 30)) == almaty(2025, 1, 6, 18, 0)


def test_p7_a_transfer_staff_enter_for_2026_moves_the_due_time():
    # a decreed transfer: Friday 4 December 2026 off, Saturday 5 December worked
    calendar_exception_save(
        exception=CalendarException(date=dt.date(2026, 12, 4), kind=CalendarException.Kind.DAY_OFF, name_ru="Перенос")
    )
    calendar_exception_save(
        exception=CalendarException(
            date=dt.date(2026, 12, 5), kind=CalendarException.Kind.WORKING_DAY, name_ru="Рабочий день (перенос)"
        )
    )
    assert decision_due_at(almaty(2026, 12, 3, 17, 0)) == almaty(2026, 12, 5, 18, 0)
    assert decision_due_at(almaty(2026, 12, 4, 9, 0)) == almaty(2026, 12, 5, 18, 0)


def test_p7_the_civil_code_reading_counts_from_the_day_after(settings):
    settings.MSE_PILOT_DUE_READING = "next_day"
    assert decision_due_at(almaty(2026, 11, 24, 9, 0)) == almaty(2026, 11, 25, 18, 0)
    assert decision_due_at(almaty(2026, 3, 20, 10, 0)) == almaty(2026, 3, 26, 18, 0)


def test_p7_the_cutoff_is_a_setting(settings):
    settings.MSE_PILOT_DECISION_CUTOFF = "15:00"
    assert decision_due_at(almaty(2026, 11, 24, 15, 30)) == almaty(2026, 11, 25, 18, 0)
    settings.MSE_PILOT_DUE_READING = "someday"
    with pytest.raises(ImproperlyConfigured):
        decision_due_at(almaty(2026, 11, 24, 9, 0))


def test_p7_the_due_time_is_read_on_the_almaty_clock_whatever_the_input_zone():
    # 10:30 UTC is 15:30 in Almaty (UTC+5): by 16:00
    received = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
    assert decision_due_at(received) == almaty(2026, 11, 24, 18, 0)


def test_p6_p7_an_accepted_pilot_referral_forms_a_draft_act_on_the_waiting_list_with_its_due_time(window, intake):
    from django.utils import timezone

    from mse_pilot.selectors import waiting_list

    first, _ = intake("Q90.0")
    second, _ = intake("Q90.1")
    cases = list(waiting_list())
    assert [c.referral_id for c in cases] == [first.pk, second.pk]  # arrival order
    case = RemoteCase.objects.get(referral=first)
    assert case.stage == RemoteCase.Stage.WAITING
    assert case.person_id == first.person_id
    assert case.nosology_group.code == "down_syndrome"
    assert case.received_at <= timezone.now()
    assert case.due_at == decision_due_at(case.received_at)
    assert case.due_reading == "same_day"
