"""Issue 13: what availability keeps in the cache is thrown away by the writes that change it.

Each test reads (and so keeps) an answer, commits a write, and reads again: the next answer must
show the write. The tests commit for real (transactional), as the cache is told on commit.
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.workcal.models import CalendarException
from portal.workcal.services import calendar_exception_save
from queue_booking import selectors, services
from queue_booking.models import Booking, ReceptionException, Slot
from tests.queue_booking.conftest import NOW, at, book, slot_at

pytestmark = pytest.mark.django_db(transaction=True)

TUE = dt.date(2026, 12, 1)
WED = dt.date(2026, 12, 2)


def _slot_times(department, day):
    return [s.starts_at for s in selectors.available_slots(department=department, day=day, now=NOW)]


def test_item13_second_read_is_served_from_the_cache(schedule, department):
    first = selectors.available_dates(department=department, now=NOW)
    selectors.available_slots(department=department, day=TUE, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.available_dates(department=department, now=NOW)
        selectors.available_slots(department=department, day=TUE, now=NOW)
    assert again == first
    assert not [q for q in queries.captured_queries if "queue_booking_slot" in q["sql"]]


def test_item13_a_booking_takes_its_slot_out_of_the_next_answer(schedule, department, referral):
    assert at(TUE, 10) in _slot_times(department, TUE)
    book(referral, slot_at(department, TUE, 10))
    # capacity 1 (the fixture's schedule): the slot is full now
    assert at(TUE, 10) not in _slot_times(department, TUE)
    assert at(TUE, 9) in _slot_times(department, TUE)


def test_item13_a_full_day_leaves_the_dates(schedule, department, person):
    from tests.factories import PersonFactory, ReferralFactory
    from tests.queue_booking.conftest import consenting

    assert TUE in selectors.available_dates(department=department, now=NOW)
    for slot in Slot.objects.filter(department=department, day=TUE):
        other = consenting(PersonFactory(registration_atu=person.registration_atu))
        book(ReferralFactory(person=other, signed_at=NOW), slot)
    assert TUE not in selectors.available_dates(department=department, now=NOW)


def test_item13_a_cancellation_brings_the_slot_back(schedule, department, referral):
    booking = book(referral, slot_at(department, TUE, 10))
    assert at(TUE, 10) not in _slot_times(department, TUE)
    services.booking_cancel(booking=booking, actor=referral.person, now=NOW)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert at(TUE, 10) in _slot_times(department, TUE)


def test_item13_a_business_trip_removes_its_days(schedule, department):
    assert WED in selectors.available_dates(department=department, now=NOW)
    assert _slot_times(department, WED)
    services.reception_exception_save(
        exception=ReceptionException(department=department, starts_on=WED, ends_on=WED), now=NOW
    )
    assert WED not in selectors.available_dates(department=department, now=NOW)
    assert _slot_times(department, WED) == []


def test_item13_a_calendar_day_off_removes_the_day(schedule, department):
    day = dt.date(2026, 12, 8)
    assert day in selectors.available_dates(department=department, now=NOW)
    calendar_exception_save(
        exception=CalendarException(date=day, kind="day_off", name_ru="x", legal_basis="decree"), now=NOW
    )
    assert day not in selectors.available_dates(department=department, now=NOW)


def test_item13_a_shorter_pilot_shortens_the_window(schedule, department, pilot, referral):
    assert dt.date(2026, 12, 10) in selectors.available_dates(department=department, now=NOW)
    services.booking_eligibility(referral=referral, actor=referral.person, now=NOW)  # keeps the unit's pilot
    pilot.ends_on = dt.date(2026, 12, 4)
    pilot.save()
    dates = selectors.available_dates(department=department, now=NOW)
    assert max(dates) == dt.date(2026, 12, 4)
    _dept, dates = services.booking_availability(referral=referral, actor=referral.person, now=NOW)
    assert max(dates) == dt.date(2026, 12, 4)


def test_item13_a_slot_that_has_started_is_not_offered_from_the_cache(schedule, department):
    assert at(TUE, 9) in _slot_times(department, TUE)
    later = at(TUE, 9, 30)
    times = [s.starts_at for s in selectors.available_slots(department=department, day=TUE, now=later)]
    assert times == [at(TUE, 10), at(TUE, 11), at(TUE, 12), at(TUE, 14, 30)]


def test_item13_a_rolled_back_booking_leaves_nothing_in_the_cache(schedule, department, referral):
    assert at(TUE, 10) in _slot_times(department, TUE)
    seen_inside = []

    def book_then_fail():
        with transaction.atomic():
            book(referral, slot_at(department, TUE, 10))
            # inside its transaction the booking sees its own write
            seen_inside.extend(_slot_times(department, TUE))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        book_then_fail()
    assert at(TUE, 10) not in seen_inside
    assert at(TUE, 10) in _slot_times(department, TUE)


def test_item13_a_slot_write_reads_past_only_its_department_entries(schedule, department):
    assert _slot_times(department, TUE)
    assert selectors.is_working_day_kept(TUE) is True  # kept
    with transaction.atomic():
        Slot.objects.of_department(department.pk).filter(day=TUE).update(capacity=0)
        # the transaction sees its own write in its department's answer
        assert _slot_times(department, TUE) == []
        # a slot write does not change the working calendar: still served from the cache
        with CaptureQueriesContext(connection) as queries:
            assert selectors.is_working_day_kept(TUE) is True
        # (the database cache, without Redis, is itself a query: the calendar's tables are not read)
        assert not [q for q in queries.captured_queries if "workcal" in q["sql"]]
    assert _slot_times(department, TUE) == []
