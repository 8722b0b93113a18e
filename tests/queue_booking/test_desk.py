"""The department's desk: check-in, served, lateness (Q-10), the live queue (Q-11), reminders (Q-8)."""

import datetime as dt
from unittest import mock

import pytest
from django.core import signing

from queue_booking import selectors, services
from queue_booking.models import Booking, BookingTransition
from queue_booking.services.tickets import QR_PREFIX
from queue_booking.tasks import annul_late_bookings, send_reminders
from tests.portal.factories import PersonFactory
from tests.queue_booking.conftest import NOW, at, book, new_referral, refused, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)
FRI = dt.date(2026, 12, 4)


# --- check-in -------------------------------------------------------------------------------------


def test_q7_check_in_by_ticket_number(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    arrived = services.booking_check_in(
        department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 9, 50)
    )
    assert arrived.status == Booking.Status.ARRIVED
    assert arrived.arrived_at == at(TUE, 9, 50)
    last = BookingTransition.objects.filter(booking=booking).last()
    assert (last.from_status, last.to_status, last.actor_user) == ("booked", "arrived", staff_user)


def test_x4_check_in_by_qr_code(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    svg = services.booking_qr_svg(booking=booking)
    assert svg.startswith("<svg")
    token = services.check_in_token(booking=booking)
    arrived = services.booking_check_in(department=department, code=token, actor_user=staff_user, now=at(TUE, 9, 55))
    assert arrived.status == Booking.Status.ARRIVED


def test_x4_forged_qr_and_ticket_refused(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    forged = QR_PREFIX + signing.Signer(salt="other").sign(str(booking.public_id))
    refused("ticket_invalid", services.booking_check_in, department=department, code=forged, actor_user=staff_user)
    refused(
        "ticket_unknown",
        services.booking_check_in,
        department=department,
        code="03-0112-999",
        actor_user=staff_user,
        now=at(TUE, 9),
    )
    # the right ticket on the wrong day
    refused(
        "ticket_unknown",
        services.booking_check_in,
        department=department,
        code=booking.ticket_number,
        actor_user=staff_user,
        now=at(dt.date(2026, 12, 2), 9),
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_q7_staff_of_another_department_refused(schedule, department, referral, region):
    from portal.accounts.models import User
    from tests.factories import DepartmentFactory

    outsider = User.objects.create(username="other-desk", department=DepartmentFactory(region=region, number=8))
    booking = book(referral, slot_at(department, TUE, 10))
    refused(
        "not_staff",
        services.booking_check_in,
        department=department,
        code=booking.ticket_number,
        actor_user=outsider,
        now=at(TUE, 9),
    )


def test_q7_served_and_left_only_after_arrival(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    refused("bad_transition", services.booking_mark_served, booking=booking, actor_user=staff_user)
    services.booking_check_in(department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 10))
    served = services.booking_mark_served(booking=booking, actor_user=staff_user, now=at(TUE, 10, 40))
    assert served.status == Booking.Status.SERVED
    refused("bad_transition", services.booking_mark_left, booking=served, actor_user=staff_user)
    assert list(booking.history.values_list("to_status", flat=True)) == ["booked", "arrived", "served"]


def test_item19_a_served_referral_cannot_be_booked_again(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    services.booking_check_in(department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 10))
    services.booking_mark_served(booking=booking, actor_user=staff_user, now=at(TUE, 10, 40))
    # the booking pages no longer offer it; the rule holds for a step's address opened directly too
    later = at(TUE, 11)
    refused("referral_used", services.booking_eligibility, referral=referral, actor=referral.person, now=later)
    refused(
        "referral_used",
        services.booking_create,
        referral=referral,
        slot_id=slot_at(department, dt.date(2026, 12, 2), 9).pk,
        actor=referral.person,
        now=later,
    )
    assert Booking.objects.filter(referral=referral).count() == 1


# --- Q-10 lateness ---------------------------------------------------------------------------------


def test_q10_booking_annulled_after_15_minutes_late(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, TUE, 10))
    # 15 minutes late exactly: not yet
    assert services.bookings_annul_late_due(now=at(TUE, 10, 15)) == 0
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert services.bookings_annul_late_due(now=at(TUE, 10, 16)) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ANNULLED
    (msg,) = sent.of("queue_annulled")
    assert msg["context"] == {"full_name": referral.person.full_name, "link": "http://127.0.0.1:8000/queue/"}
    assert msg["dedupe_key"] == f"booking:{booking.pk}:annulled"
    # idempotent: a second run changes and sends nothing
    assert services.bookings_annul_late_due(now=at(TUE, 10, 30)) == 0
    assert len(sent.of("queue_annulled")) == 1


def test_q10_checked_in_booking_is_not_annulled(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    services.booking_check_in(
        department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 10, 5)
    )
    assert services.bookings_annul_late_due(now=at(TUE, 11)) == 0
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ARRIVED


def test_q10_late_check_in_refused_and_staff_may_annul(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 10))
    refused(
        "too_late",
        services.booking_check_in,
        department=department,
        code=booking.ticket_number,
        actor_user=staff_user,
        now=at(TUE, 10, 20),
    )
    refused("not_late_yet", services.booking_annul_late, booking=booking, actor_user=staff_user, now=at(TUE, 10, 10))
    annulled = services.booking_annul_late(booking=booking, actor_user=staff_user, now=at(TUE, 10, 20))
    assert annulled.status == Booking.Status.ANNULLED


def test_q10_beat_task_runs(schedule, department, referral):
    # the task uses the real clock: a booking long past is annulled
    booking = book(referral, slot_at(department, TUE, 10))
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(dt.date(2026, 1, 5), 10))
    assert annul_late_bookings.delay().get() == 1


# --- Q-11 rebooking and the live queue --------------------------------------------------------------


def test_q11_rebook_after_annulment(schedule, department, referral):
    booking = book(referral, slot_at(department, TUE, 10))
    services.booking_annul_late(booking=booking, now=at(TUE, 10, 20))
    assert selectors.bookable_referrals(person=referral.person, now=at(TUE, 10, 20)) == [referral]
    again = book(referral, slot_at(department, TUE, 14, 30), now=at(TUE, 10, 20))
    assert again.status == Booking.Status.BOOKED


def test_q11_walk_in_served_after_those_who_booked(schedule, department, person, staff_user, django_assert_num_queries):
    # given: three booked, one of them arrived, and a late person who joins the live queue
    a = book(new_referral(person), slot_at(department, TUE, 9))
    b = book(new_referral(person), slot_at(department, TUE, 10))
    c = book(new_referral(person), slot_at(department, TUE, 11))
    late = new_referral(person)
    late_booking = book(late, slot_at(department, TUE, 12))
    services.booking_check_in(department=department, code=b.ticket_number, actor_user=staff_user, now=at(TUE, 8, 55))
    # when: the late person comes at 12:30; the walk-in annuls the lapsed booking first
    walk = services.walk_in_add(
        department=department, person_iin=late.person.iin, actor_user=staff_user, now=at(TUE, 12, 30)
    )
    # then
    late_booking.refresh_from_db()
    assert late_booking.status == Booking.Status.ANNULLED
    assert walk.kind == Booking.Kind.WALK_IN
    assert walk.status == Booking.Status.ARRIVED
    assert walk.ticket_number == "03-0112-005"
    with django_assert_num_queries(1):
        queue = selectors.queue_for_day(department=department, day=TUE)
    assert [q.pk for q in queue] == [b.pk, a.pk, c.pk, walk.pk]


def test_q11_walk_in_with_booking_today_must_check_in(schedule, department, referral, staff_user):
    book(referral, slot_at(department, TUE, 10))
    refused(
        "walk_in_has_booking",
        services.walk_in_add,
        department=department,
        person_iin=referral.person.iin,
        actor_user=staff_user,
        now=at(TUE, 9),
    )


def test_q11_walk_in_unknown_person_or_no_referral_refused(schedule, department, staff_user):
    refused(
        "person_unknown",
        services.walk_in_add,
        department=department,
        person_iin="000000000000",
        actor_user=staff_user,
        now=at(TUE, 9),
    )
    nobody = PersonFactory()
    refused(
        "no_valid_referral",
        services.walk_in_add,
        department=department,
        person_iin=nobody.iin,
        actor_user=staff_user,
        now=at(TUE, 9),
    )
    assert not Booking.objects.exists()


# --- Q-8 reminders ------------------------------------------------------------------------------------


def test_q8_reminder_three_calendar_days_before(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, FRI, 10))  # booked Monday 30.11 for Friday 04.12
    assert services.reminders_send_due(now=at(dt.date(2026, 11, 30), 9)) == 0  # four days before
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 1), 9)) == 1  # three days before
    (msg,) = sent.of("queue_reminder")
    assert msg["context"]["date"] == FRI
    assert msg["context"]["time"] == dt.time(10, 0)
    assert msg["context"]["ticket"] == booking.ticket_number
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
    # once only
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 1), 15)) == 0
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 2), 9)) == 0
    assert len(sent.of("queue_reminder")) == 1


def test_q8_cancelled_booking_gets_no_stale_reminder(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, FRI, 10))
    services.booking_cancel(booking=booking, actor=referral.person, now=at(dt.date(2026, 11, 30), 12))
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 1), 9)) == 0
    assert sent.of("queue_reminder") == []


def test_q8_booking_made_within_three_days_gets_no_second_sms(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, dt.date(2026, 12, 2), 10))  # two days ahead: N-Q2 already sent
    Booking.objects.filter(pk=booking.pk).update(created_at=NOW)
    assert services.reminders_send_due(now=at(dt.date(2026, 11, 30), 9)) == 0
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 1), 9)) == 0
    assert sent.of("queue_reminder") == []


def test_q8_missed_day_is_caught_up(schedule, department, referral, sent):
    book(referral, slot_at(department, FRI, 10))
    # the beat did not run on 01.12; on 02.12 the reminder still goes out, once
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 2), 9)) == 1


def test_q8_reminder_counts_calendar_days_across_a_weekend(schedule, department, referral, sent):
    # a visit on Monday 07.12: three calendar days before is Friday 04.12 (three working days
    # before would be Wednesday 02.12)
    book(referral, slot_at(department, dt.date(2026, 12, 7), 10))
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 2), 9)) == 0
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 3), 9)) == 0
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 4), 9)) == 1
    (msg,) = sent.of("queue_reminder")
    assert msg["context"]["date"] == dt.date(2026, 12, 7)


def test_q8_reminder_counts_calendar_days_across_a_holiday(schedule, department, referral, sent):
    # a visit on Friday 18.12; 16.12 is Independence Day: three calendar days before is Tuesday
    # 15.12 (three working days before would be Monday 14.12)
    book(referral, slot_at(department, dt.date(2026, 12, 18), 10))
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 14), 9)) == 0
    assert services.reminders_send_due(now=at(dt.date(2026, 12, 15), 9)) == 1
    (msg,) = sent.of("queue_reminder")
    assert msg["context"]["date"] == dt.date(2026, 12, 18)


def test_q8_beat_task_runs(schedule, department, referral, sent):
    book(referral, slot_at(department, FRI, 10))
    # the beat task reads the clock: on Monday 30.11 nothing is due, on Tuesday 01.12 the reminder is
    with mock.patch("django.utils.timezone.now", return_value=at(dt.date(2026, 11, 30), 9)):
        assert send_reminders.delay().get() == 0
    with mock.patch("django.utils.timezone.now", return_value=at(dt.date(2026, 12, 1), 9)):
        assert send_reminders.delay().get() == 1
    assert len(sent.of("queue_reminder")) == 1
