"""Booking by the recipient: Q-2, Q-5..Q-7, Q-9 and the refusals of bad input."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.errors import NotFoundError
from portal.referrals.models import Referral
from portal.workcal.models import CalendarException
from portal.workcal.services import calendar_exception_save
from queue_booking import selectors, services
from queue_booking.models import Q2_TIMES, Booking, BookingTransition, Pilot, ReceptionException, Slot
from tests.portal.factories import AtuFactory, GuardianshipFactory, PersonFactory, ReferralFactory, RegionFactory
from tests.queue_booking.conftest import ALMATY, NOW, at, book, refused, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)
SAT = dt.date(2026, 12, 5)
INDEPENDENCE_DAY = dt.date(2026, 12, 16)


# --- five times on working days ---------------------------------------------------------


def test_q2_only_five_times_on_working_days(schedule, department):
    times = [s.starts_at for s in Slot.objects.filter(department=department, day=TUE).order_by("starts_at")]
    # the law's literal times, not the constant under test
    assert times == [at(TUE, 9), at(TUE, 10), at(TUE, 11), at(TUE, 12), at(TUE, 14, 30)]
    assert not Slot.objects.filter(department=department, day=SAT).exists()
    assert not Slot.objects.filter(department=department, day=INDEPENDENCE_DAY).exists()
    assert {s.capacity for s in Slot.objects.filter(department=department)} == {1}


def test_q2_capacity_per_slot_is_the_departments(schedule, department):
    schedule.capacity_per_slot = 3
    schedule.save()
    services.reception_schedule_publish(schedule=schedule, now=NOW)
    assert slot_at(department, TUE, 9).capacity == 3


# --- checks and what is shown ------------------------------------------------------------


def test_q6_available_dates_leave_out_weekends_holidays_and_trips(schedule, department):
    services.reception_exception_save(
        exception=ReceptionException(
            department=department, starts_on=dt.date(2026, 12, 3), ends_on=dt.date(2026, 12, 4)
        ),
        now=NOW,
    )
    calendar_exception_save(
        exception=CalendarException(date=dt.date(2026, 12, 8), kind="day_off", name_ru="x", legal_basis="decree"),
        now=NOW,
    )
    dates = selectors.available_dates(department=department, now=NOW)
    assert dates[0] == NOW.date()
    assert TUE in dates
    assert SAT not in dates
    assert INDEPENDENCE_DAY not in dates
    assert dt.date(2026, 12, 3) not in dates
    assert dt.date(2026, 12, 4) not in dates
    assert dt.date(2026, 12, 8) not in dates
    assert all(d.weekday() < 5 for d in dates)
    assert selectors.available_slots(department=department, day=dt.date(2026, 12, 3), now=NOW) == []
    assert selectors.available_slots(department=department, day=dt.date(2026, 12, 8), now=NOW) == []


def test_q6_available_dates_and_slots_take_few_queries(schedule, department, django_assert_max_num_queries):
    selectors.available_dates(department=department, now=NOW)  # warm the calendar's cache
    with django_assert_max_num_queries(3):
        dates = selectors.available_dates(department=department, now=NOW)
    assert len(dates) == 23  # the working days to 31 December (the 2026 schedule)
    with django_assert_max_num_queries(3):
        slots = selectors.available_slots(department=department, day=TUE, now=NOW)
    assert [s.free for s in slots] == [1] * 5
    assert all(s.starts_at.tzinfo is not None for s in slots)


def test_q6_full_day_is_not_shown(schedule, department, person):
    for t in Q2_TIMES:
        other = ReferralFactory(person=PersonFactory(registration_atu=person.registration_atu), signed_at=NOW)
        book(other, slot_at(department, TUE, t.hour, t.minute))
    assert TUE not in selectors.available_dates(department=department, now=NOW)
    assert selectors.available_slots(department=department, day=TUE, now=NOW) == []


def test_q6_eligibility_returns_the_department(schedule, department, referral):
    assert services.booking_eligibility(referral=referral, actor=referral.person, now=NOW) == department


def test_q6a_referral_expired_refused(schedule, referral):
    refused(
        "referral_expired",
        services.booking_eligibility,
        referral=referral,
        actor=referral.person,
        now=NOW + dt.timedelta(days=40),
    )


def test_q6b_no_registration_refused(schedule, referral):
    referral.person.registration_atu = None
    referral.person.save()
    refused("no_registration", services.booking_eligibility, referral=referral, actor=referral.person, now=NOW)


def test_q6b_ward_registration_is_checked(schedule, referral):
    parent = PersonFactory(registration_atu=referral.person.registration_atu)
    ward = PersonFactory(registration_atu=None)
    GuardianshipFactory(representative=parent, ward=ward)
    ward_referral = ReferralFactory(person=ward, signed_at=NOW)
    refused("no_registration", services.booking_eligibility, referral=ward_referral, actor=parent, now=NOW)


def test_q1_region_not_in_pilot_refused(schedule, referral):
    referral.person.registration_atu = AtuFactory(region=RegionFactory(kato="750000000", name_ru="Алматы"))
    referral.person.save()
    refused("region_not_in_pilot", services.booking_eligibility, referral=referral, actor=referral.person, now=NOW)


def test_q1_pilot_closed_outside_window(schedule, pilot, referral):
    Pilot.objects.filter(pk=pilot.pk).update(ends_on=dt.date(2026, 11, 21))
    refused("pilot_closed", services.booking_eligibility, referral=referral, actor=referral.person, now=NOW)


def test_q6b_no_department_refused(schedule, department, referral):
    department.atus.clear()
    refused("no_department", services.booking_eligibility, referral=referral, actor=referral.person, now=NOW)


def test_q6c_no_free_slot_refused(department, pilot, referral):
    refused("no_free_slot", services.booking_eligibility, referral=referral, actor=referral.person, now=NOW)


def test_q5_booking_someone_elses_referral_refused(schedule, department, referral):
    stranger = PersonFactory(registration_atu=referral.person.registration_atu)
    refused(
        "not_representative",
        services.booking_create,
        referral=referral,
        slot_id=slot_at(department, TUE, 9).pk,
        actor=stranger,
        now=NOW,
    )
    assert not Booking.objects.exists()
    assert slot_at(department, TUE, 9).booked == 0


def test_q5_representative_books_for_ward(schedule, department, sent):
    parent = PersonFactory(registration_atu=None)
    ward = PersonFactory(registration_atu=department.atus.first())
    GuardianshipFactory(representative=parent, ward=ward)
    ward_referral = ReferralFactory(person=ward, signed_at=NOW)
    assert selectors.bookable_referrals(person=parent, now=NOW) == [ward_referral]
    booking = book(ward_referral, slot_at(department, TUE, 10), actor=parent)
    assert booking.person == ward
    assert booking.booked_by == parent
    # the representative who booked hears about it
    assert sent.of("queue_booked")[0]["recipient"] == parent
    assert list(selectors.booking_list_for_person(person=parent)) == [booking]


# --- bad slots ----------------------------------------------------------------------------------


def test_q6_slot_in_past_refused(schedule, department, referral):
    slot = slot_at(department, NOW.date(), 9)
    refused("slot_in_past", book, referral=referral, slot=slot, now=at(NOW.date(), 10))
    assert not Booking.objects.exists()


def test_q6_slot_on_holiday_refused(schedule, department, referral):
    slot = Slot.objects.create(
        department=department, day=INDEPENDENCE_DAY, starts_at=at(INDEPENDENCE_DAY, 9), capacity=1
    )
    refused("slot_not_bookable", book, referral=referral, slot=slot)


def test_q6_slot_on_trip_day_refused(schedule, department, referral):
    services.reception_exception_save(
        exception=ReceptionException(department=department, starts_on=TUE, ends_on=TUE), now=NOW
    )
    refused("slot_not_bookable", book, referral=referral, slot=slot_at(department, TUE, 9))


def test_q2_time_not_in_q2_refused(schedule, department, referral):
    slot = Slot.objects.create(department=department, day=TUE, starts_at=at(TUE, 13, 0), capacity=1)
    refused("slot_not_bookable", book, referral=referral, slot=slot)


def test_q6_forged_slot_id_refused(schedule, department, referral):
    refused(
        "slot_not_bookable",
        services.booking_create,
        referral=referral,
        slot_id=999999,
        actor=referral.person,
        now=NOW,
    )
    refused(
        "slot_not_bookable",
        services.booking_create,
        referral=referral,
        slot_id="x",
        actor=referral.person,
        now=NOW,
    )


def test_q6_slot_of_another_department_refused(schedule, department, referral, region):
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(region=region, number=9)
    slot = Slot.objects.create(department=other, day=TUE, starts_at=at(TUE, 9), capacity=1)
    refused("slot_not_bookable", book, referral=referral, slot=slot)


def test_q6_slot_full_refused(schedule, department, referral, person):
    slot = slot_at(department, TUE, 9)
    book(ReferralFactory(person=PersonFactory(registration_atu=person.registration_atu), signed_at=NOW), slot)
    err = refused("slot_full", book, referral=referral, slot=slot)
    assert err.status == 409
    assert Slot.objects.get(pk=slot.pk).booked == 1


# --- saving --------------------------------------------------------------------------------


def test_q7_booking_gives_ticket_sms_and_cabinet_entry(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, TUE, 10))
    assert booking.ticket_number == "03-0112-001"
    assert booking.status == Booking.Status.BOOKED
    assert booking.kind == Booking.Kind.BOOKED
    assert booking.is_active
    assert booking.starts_at == at(TUE, 10)
    assert slot_at(department, TUE, 10).booked == 1
    (msg,) = sent.of("queue_booked")
    assert msg["recipient"] == referral.person
    assert msg["dedupe_key"] == f"booking:{booking.pk}:booked"
    assert msg["department"] == department  # filed in the department's message log
    assert msg["context"] == {
        "full_name": referral.person.full_name,
        "department_number": 3,
        "date": TUE,
        "time": dt.time(10, 0),
        # the address in each language; this department has only its Russian one
        "address": dict.fromkeys(("kk", "ru", "en"), "Кокшетау, ул. Абая, 10, 5"),
        "ticket": "03-0112-001",
        "link": "http://127.0.0.1:8000/queue/",
    }
    assert selectors.booking_get_for_person(person=referral.person, public_id=booking.public_id) == booking
    assert selectors.bookable_referrals(person=referral.person, now=NOW) == []
    assert [q.pk for q in selectors.queue_for_day(department=department, day=TUE)] == [booking.pk]
    assert list(BookingTransition.objects.values_list("from_status", "to_status")) == [("", "booked")]


def test_q7_ticket_numbers_unique_per_department_and_day(schedule, department, person):
    tickets = []
    for hour in (9, 10, 11):
        r = ReferralFactory(person=PersonFactory(registration_atu=person.registration_atu), signed_at=NOW)
        tickets.append(book(r, slot_at(department, TUE, hour)).ticket_number)
    assert tickets == ["03-0112-001", "03-0112-002", "03-0112-003"]
    r = ReferralFactory(person=PersonFactory(registration_atu=person.registration_atu), signed_at=NOW)
    assert book(r, slot_at(department, dt.date(2026, 12, 2), 9)).ticket_number == "03-0212-001"


def test_q7_booking_of_another_person_not_found(schedule, department, referral):
    booking = book(referral, slot_at(department, TUE, 9))
    with pytest.raises(NotFoundError) as exc:
        selectors.booking_get_for_person(person=PersonFactory(), public_id=booking.public_id)
    assert exc.value.code == "booking_not_found"


# --- one active booking; cancellation ------------------------------------------------------


def test_q9_second_booking_of_one_referral_refused(schedule, department, referral):
    book(referral, slot_at(department, TUE, 9))
    err = refused("already_booked", book, referral=referral, slot=slot_at(department, TUE, 10))
    assert err.status == 409
    assert slot_at(department, TUE, 10).booked == 0
    assert Booking.objects.count() == 1


def test_q9_one_active_booking_per_referral_enforced_by_database(schedule, department, referral):
    first = book(referral, slot_at(department, TUE, 9))
    clone = Booking(
        referral=referral,
        person=referral.person,
        department=department,
        day=TUE,
        starts_at=at(TUE, 11),
        ticket_sequence=99,
        ticket_number="03-0112-099",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    # a cancelled booking no longer counts
    services.booking_cancel(booking=first, actor=referral.person, now=NOW)
    clone.save()
    assert clone.pk


def test_q9_cancel_sends_nq3_frees_the_place_and_allows_rebooking(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, TUE, 9))
    assert booking.can_cancel
    services.booking_cancel(booking=booking, actor=referral.person, now=NOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not booking.is_active
    assert slot_at(department, TUE, 9).booked == 0
    (msg,) = sent.of("queue_cancelled")
    assert msg["context"]["date"] == TUE
    assert msg["context"]["time"] == dt.time(9, 0)
    assert msg["context"]["address"]["ru"] == "Кокшетау, ул. Абая, 10, 5"
    assert selectors.bookable_referrals(person=referral.person, now=NOW) == [referral]
    again = book(referral, slot_at(department, TUE, 9))
    assert again.status == Booking.Status.BOOKED
    assert list(booking.history.values_list("from_status", "to_status")) == [("", "booked"), ("booked", "cancelled")]


def test_q9_cancelling_a_served_booking_refused(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 9))
    services.booking_check_in(
        department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 8, 50)
    )
    services.booking_mark_served(booking=booking, actor_user=staff_user, now=at(TUE, 9, 40))
    refused("cannot_cancel", services.booking_cancel, booking=booking, actor=referral.person, now=at(TUE, 8))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED


def test_q9_cancel_by_a_stranger_refused(schedule, department, referral):
    booking = book(referral, slot_at(department, TUE, 9))
    refused("not_representative", services.booking_cancel, booking=booking, actor=PersonFactory(), now=NOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_q5_bookable_referrals_leave_out_remote_expired_and_booked(schedule, department, referral):
    person = referral.person
    ReferralFactory(person=person, signed_at=NOW, route=Referral.Route.REMOTE_PILOT)
    ReferralFactory(person=person, signed_at=NOW - dt.timedelta(days=45))
    assert selectors.bookable_referrals(person=person, now=NOW) == [referral]


def test_q6c_availability_gives_dates_or_refuses(schedule, department, referral):
    got_department, dates = services.booking_availability(referral=referral, actor=referral.person, now=NOW)
    assert got_department == department
    assert dates == selectors.available_dates(department=department, now=NOW)
    Slot.objects.filter(department=department).update(capacity=0)
    refused("no_free_slot", services.booking_availability, referral=referral, actor=referral.person, now=NOW)


def test_q6_times_of_a_day_come_from_the_same_checks_and_window_as_the_dates(schedule, department, referral):
    """Q-6: the API's ``?date=`` answer (``booking_times``) is the day's free times as the page lists
    them; a day outside the booking window has none."""
    got_department, dates, slots = services.booking_times(
        referral=referral, actor=referral.person, day=dt.date(2026, 12, 3), now=NOW
    )
    assert got_department == department
    assert dates == selectors.available_dates(department=department, now=NOW)
    assert slots == selectors.available_slots(department=department, day=dt.date(2026, 12, 3), now=NOW)
    assert [s.starts_at.astimezone(ALMATY).time() for s in slots][:2] == [dt.time(9, 0), dt.time(10, 0)]
    _dept, _dates, far = services.booking_times(
        referral=referral, actor=referral.person, day=dt.date(2028, 1, 4), now=NOW
    )
    assert far == []


def test_q7_booking_takes_a_fixed_number_of_queries(schedule, department, referral):
    """Q-7's save is the hot path: its round trips must not creep up unnoticed (bench/ measures speed)."""
    first, second = Q2_TIMES[0], Q2_TIMES[1]
    other = ReferralFactory(person=PersonFactory(registration_atu=referral.person.registration_atu), signed_at=NOW)
    book(other, slot_at(department, TUE, first.hour, first.minute))  # warms the calendar's and content types' caches
    slot = slot_at(department, TUE, second.hour, second.minute)
    # The savepoint and its release; the referral locked with its person's consent, waiting list
    # and Q-9 bookings; the place taken; the ticket; the booking, its audit entry and history; the SMS
    # and its event. The pilot, department and calendar reads come from the cache between requests,
    # but not here: the first booking's invalidations wait for the test's transaction to commit.
    # Without Redis the cache's own reads are database statements, left out; SQLite reads the taken
    # slot again, typed.
    with CaptureQueriesContext(connection) as ctx:
        booking = book(referral, slot, consent_channel=None)
    sql = [q["sql"] for q in ctx.captured_queries if '"portal_cache"' not in q["sql"]]
    assert len(sql) <= (13 if connection.vendor == "postgresql" else 14), "\n".join(s[:120] for s in sql)
    assert booking.ticket_number.endswith("-002")
    assert not any("SAVEPOINT" in q["sql"] and "booking" in q["sql"] for q in ctx.captured_queries)
    assert not any(s.startswith('SELECT "queue_booking_booking"') for s in sql)  # Q-9 read with the lock
    assert not any(s.startswith('SELECT "notifications_template"') for s in sql)  # kept
