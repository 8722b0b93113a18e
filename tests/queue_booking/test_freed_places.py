"""X-3: freed places go to the waiting list; closures over bookings move them to "to rebook"."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.errors import ApplicationError
from portal.workcal.models import CalendarException
from portal.workcal.services import calendar_exception_delete, calendar_exception_save
from queue_booking import selectors, services
from queue_booking.models import Q2_TIMES, Booking, ReceptionException, Slot, WaitlistEntry
from tests.portal.factories import GuardianshipFactory, PersonFactory, ReferralFactory
from tests.queue_booking.conftest import NOW, at, book, new_referral, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)
WED = dt.date(2026, 12, 2)


def trip(department, starts_on, ends_on, capacity=0, now=NOW):
    return services.reception_exception_save(
        exception=ReceptionException(
            department=department, starts_on=starts_on, ends_on=ends_on, capacity_per_slot=capacity
        ),
        now=now,
    )


def test_x3_freed_place_offered_to_waitlist(schedule, department, referral, person, sent):
    # given: two people wait for the department, one booked
    waiting = [PersonFactory(registration_atu=person.registration_atu) for _ in range(2)]
    for w in waiting:
        services.waitlist_join(person=w, department=department)
    booking = book(referral, slot_at(department, TUE, 10))
    # when
    services.booking_cancel(booking=booking, actor=referral.person, now=NOW)
    # then: each waiting person got the offer of that date and time
    offers = sent.of("queue_slot_freed")
    assert [o["recipient"] for o in offers] == waiting
    assert offers[0]["context"]["date"] == TUE
    assert offers[0]["context"]["time"] == dt.time(10, 0)
    assert offers[0]["context"]["department_number"] == 3
    # first to book wins: the first taker gets it, the second finds it full
    r1, r2 = ReferralFactory(person=waiting[0], signed_at=NOW), ReferralFactory(person=waiting[1], signed_at=NOW)
    assert book(r1, slot_at(department, TUE, 10)).status == Booking.Status.BOOKED
    with pytest.raises(ApplicationError) as exc:
        book(r2, slot_at(department, TUE, 10))
    assert exc.value.code == "slot_full"
    # the one who booked leaves the waiting list
    assert [e.person for e in selectors.waitlist_for_department(department=department)] == [waiting[1]]


def test_x3_past_place_is_not_offered(schedule, department, referral, person, sent):
    services.waitlist_join(person=PersonFactory(registration_atu=person.registration_atu), department=department)
    booking = book(referral, slot_at(department, TUE, 10))
    services.booking_annul_late(booking=booking, now=at(TUE, 10, 30))
    assert sent.of("queue_slot_freed") == []


def test_x3_waitlist_join_twice_refused_and_leave(department, person):
    services.waitlist_join(person=person, department=department)
    with pytest.raises(ApplicationError) as exc:
        services.waitlist_join(person=person, department=department)
    assert exc.value.code == "already_on_waitlist"
    assert services.waitlist_leave(person=person, department=department) == 1
    assert services.waitlist_join(person=person, department=department).left_at is None
    assert WaitlistEntry.objects.filter(person=person).count() == 2


def test_x3_closure_shows_affected_bookings_before_saving(schedule, department, person):
    a = book(new_referral(person), slot_at(department, TUE, 9))
    b = book(new_referral(person), slot_at(department, TUE, 10))
    book(new_referral(person), slot_at(department, WED, 9))
    affected = selectors.closure_affected_bookings(
        department=department, starts_on=TUE, ends_on=TUE, capacity_per_slot=0
    )
    assert [x.pk for x in affected] == [a.pk, b.pk]
    # nothing changed by looking
    assert Booking.objects.filter(status=Booking.Status.BOOKED).count() == 3


def test_x3_closure_moves_bookings_to_rebook_with_a_held_place(schedule, department, person, sent):
    # given
    a = book(new_referral(person), slot_at(department, TUE, 9))
    b = book(new_referral(person), slot_at(department, TUE, 10))
    book(new_referral(person), slot_at(department, WED, 9))  # WED 09:00 taken
    # when: a business trip on Tuesday
    moved = trip(department, TUE, TUE)
    # then
    assert [m.pk for m in moved] == [a.pk, b.pk]
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == Booking.Status.TO_REBOOK
    assert not a.is_active
    # first choice of the next free places: Wednesday 10:00 and 11:00 are held for them
    assert a.held_slot == slot_at(department, WED, 10)
    assert b.held_slot == slot_at(department, WED, 11)
    assert a.hold_until == NOW + dt.timedelta(hours=48)
    assert slot_at(department, WED, 10).booked == 1
    assert slot_at(department, TUE, 9).capacity == 0
    assert slot_at(department, TUE, 9).booked == 0
    rebook = sent.of("queue_rebook")
    assert [m["recipient"] for m in rebook] == [a.person, b.person]
    assert rebook[0]["context"]["date"] == WED
    assert rebook[0]["context"]["time"] == dt.time(10, 0)
    # staff see the list
    assert [x.pk for x in selectors.bookings_to_rebook(department=department)] == [a.pk, b.pk]
    assert list(a.history.values_list("to_status", flat=True)) == ["booked", "to_rebook"]


def test_x3_person_takes_the_held_place_or_another(schedule, department, person):
    a = book(new_referral(person), slot_at(department, TUE, 9))
    b = book(new_referral(person), slot_at(department, TUE, 10))
    trip(department, TUE, TUE)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.held_slot.starts_at, b.held_slot.starts_at) == (at(WED, 9), at(WED, 10))
    # the held places look taken to others
    free = selectors.available_slots(department=department, day=WED, now=NOW)
    assert [s.starts_at for s in free] == [at(WED, 11), at(WED, 12), at(WED, 14, 30)]
    # a takes the held place
    new_a = book(a.referral, a.held_slot)
    assert new_a.starts_at == at(WED, 9)
    assert slot_at(department, WED, 9).booked == 1
    # b chooses another time: the held place is released
    new_b = book(b.referral, slot_at(department, WED, 14, 30))
    assert slot_at(department, WED, 10).booked == 0
    b.refresh_from_db()
    assert b.held_slot is None
    assert b.rebooked_as == new_b
    assert selectors.bookings_to_rebook(department=department).count() == 0


def test_x3_expired_hold_is_released_and_offered(schedule, department, person, sent):
    a = book(new_referral(person), slot_at(department, TUE, 9))
    waiting = PersonFactory(registration_atu=person.registration_atu)
    services.waitlist_join(person=waiting, department=department)
    trip(department, TUE, TUE)
    assert services.holds_release_expired(now=NOW + dt.timedelta(hours=47)) == 0
    assert services.holds_release_expired(now=NOW + dt.timedelta(hours=48, minutes=30)) == 1
    a.refresh_from_db()
    assert a.held_slot is None
    assert slot_at(department, WED, 9).booked == 0
    assert [m["recipient"] for m in sent.of("queue_slot_freed")] == [waiting]


def test_x3_reduced_reception_keeps_the_earliest_bookings(schedule, department, person):
    schedule.capacity_per_slot = 2
    schedule.save()
    services.reception_schedule_publish(schedule=schedule, now=NOW)
    first = book(new_referral(person), slot_at(department, TUE, 9))
    second = book(new_referral(person), slot_at(department, TUE, 9))
    moved = trip(department, TUE, TUE, capacity=1)
    assert [m.pk for m in moved] == [second.pk]
    first.refresh_from_db()
    assert first.status == Booking.Status.BOOKED
    assert slot_at(department, TUE, 9).capacity == 1


def test_q3_removing_a_trip_gives_the_days_back(schedule, department):
    trip(department, TUE, TUE)
    assert TUE not in selectors.available_dates(department=department, now=NOW)
    services.reception_exception_delete(exception=ReceptionException.objects.get(), now=NOW)
    assert TUE in selectors.available_dates(department=department, now=NOW)
    assert slot_at(department, TUE, 9).capacity == 1


def test_q8_moved_booking_gets_no_stale_reminder(schedule, department, referral, sent):
    fri = dt.date(2026, 12, 4)
    book(referral, slot_at(department, fri, 10))
    trip(department, fri, fri)
    assert services.reminders_send_due(now=at(TUE, 9)) == 0
    assert sent.of("queue_reminder") == []


def test_x3_ward_on_the_waitlist_offer_goes_to_the_representative(schedule, department, referral, person, sent):
    parent = PersonFactory(registration_atu=person.registration_atu)
    ward = PersonFactory(registration_atu=person.registration_atu, birth_date=dt.date(2019, 4, 18))
    GuardianshipFactory(representative=parent, ward=ward)
    entry = services.waitlist_join(person=ward, department=department, actor=parent)
    assert entry.asked_by == parent
    booking = book(referral, slot_at(department, TUE, 10))
    services.booking_cancel(booking=booking, actor=referral.person, now=NOW)
    assert [o["recipient"] for o in sent.of("queue_slot_freed")] == [parent]


def test_x3_stranger_cannot_put_someone_on_the_waitlist_or_take_them_off(department, person):
    stranger = PersonFactory(registration_atu=person.registration_atu)
    with pytest.raises(ApplicationError) as exc:
        services.waitlist_join(person=person, department=department, actor=stranger)
    assert exc.value.code == "not_representative"
    services.waitlist_join(person=person, department=department, actor=person)
    with pytest.raises(ApplicationError) as exc:
        services.waitlist_leave(person=person, department=department, actor=stranger)
    assert exc.value.code == "not_representative"
    assert WaitlistEntry.objects.filter(person=person, left_at__isnull=True).count() == 1


# --- the core working calendar changes under published slots (Q-2, X-3) ----------------------------

SAT = dt.date(2026, 12, 5)


def _calendar_exception(day, kind):
    """Staff enter a day off or working day in the core calendar, through its service, at NOW."""
    return calendar_exception_save(
        exception=CalendarException(date=day, kind=kind, name_ru="перенос", legal_basis="постановление"), now=NOW
    )


def test_q2_day_off_added_to_the_core_calendar_closes_its_slots_and_moves_bookings(
    schedule, department, referral, sent
):
    booking = book(referral, slot_at(department, TUE, 10))
    report = _calendar_exception(TUE, CalendarException.Kind.DAY_OFF)
    assert report.failed_apps == []
    assert len(report.said) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.TO_REBOOK
    assert booking.held_slot is not None
    assert booking.held_slot.day != TUE
    assert [m["recipient"] for m in sent.of("queue_rebook")] == [referral.person]
    assert set(Slot.objects.filter(department=department, day=TUE).values_list("capacity", flat=True)) == {0}
    assert TUE not in selectors.available_dates(department=department, now=NOW)
    # applying it again changes nothing and sends nothing more
    assert services.calendar_days_apply(days={TUE}, now=NOW) == []
    assert len(sent.of("queue_rebook")) == 1


def test_q2_working_weekend_day_gets_the_five_times(schedule, department):
    assert not Slot.objects.filter(department=department, day=SAT).exists()
    _calendar_exception(SAT, CalendarException.Kind.WORKING_DAY)
    slots = Slot.objects.filter(department=department, day=SAT).order_by("starts_at")
    assert [timezone.localtime(s.starts_at).time() for s in slots] == list(Q2_TIMES)
    assert {s.capacity for s in slots} == {schedule.capacity_per_slot}
    assert SAT in selectors.available_dates(department=department, now=NOW)


def test_q2_removed_day_off_gives_the_day_back(schedule, department):
    exception = CalendarException(date=TUE, kind=CalendarException.Kind.DAY_OFF, name_ru="x", legal_basis="y")
    calendar_exception_save(exception=exception, now=NOW)
    assert TUE not in selectors.available_dates(department=department, now=NOW)
    calendar_exception_delete(exception=exception, now=NOW)
    assert set(Slot.objects.filter(department=department, day=TUE).values_list("capacity", flat=True)) == {1}
    assert TUE in selectors.available_dates(department=department, now=NOW)


def test_q2_day_off_moved_to_another_date_frees_the_old_one_and_closes_the_new(schedule, department):
    exception = CalendarException(date=TUE, kind=CalendarException.Kind.DAY_OFF, name_ru="x", legal_basis="y")
    calendar_exception_save(exception=exception, now=NOW)
    exception.date = WED
    calendar_exception_save(exception=exception, now=NOW)
    assert TUE in selectors.available_dates(department=department, now=NOW)
    assert WED not in selectors.available_dates(department=department, now=NOW)
