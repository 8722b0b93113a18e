"""S-3 on the staff desk: arrival, call-in and service recorded on the visit; waits and services
close to the standard's one hour (from 50 minutes) and over it shown on the desk, live."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from portal.accounts.roles import Role
from queue_booking import services
from queue_booking.models import Booking
from queue_booking.service_terms import CLOSE, OVER, WITHIN, visit_times, visits_flagged
from queue_booking.services.tickets import ticket_number_next
from tests.portal.factories import PersonFactory, ReferralFactory, UserFactory
from tests.queue_booking.conftest import at, book, department_open_today, refused, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)


def _arrived_at_0905(schedule, department, referral, staff_user) -> Booking:
    booking = book(referral, slot_at(department, TUE, 9))
    return services.booking_check_in(
        department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 9, 5)
    )


# --- the visit records arrival, call-in and service -------------------------------------------------
def test_s3_visit_records_arrived_called_and_served_times(schedule, department, referral, staff_user):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    called = services.booking_call(booking=booking, actor_user=staff_user, now=at(TUE, 9, 40))
    served = services.booking_mark_served(booking=called, actor_user=staff_user, now=at(TUE, 10, 15))
    served.refresh_from_db()
    assert (served.arrived_at, served.called_at, served.finished_at) == (at(TUE, 9, 5), at(TUE, 9, 40), at(TUE, 10, 15))
    assert served.status == Booking.Status.SERVED
    times = visit_times(booking=served, now=at(TUE, 12))
    assert times.waited_minutes == 35
    assert times.served_minutes == 35


def test_s3_call_refused_before_arrival_and_twice(schedule, department, referral, staff_user):
    booking = book(referral, slot_at(department, TUE, 9))
    refused("not_callable", services.booking_call, booking=booking, actor_user=staff_user, now=at(TUE, 8, 55))
    services.booking_check_in(department=department, code=booking.ticket_number, actor_user=staff_user, now=at(TUE, 9))
    services.booking_call(booking=booking, actor_user=staff_user, now=at(TUE, 9, 10))
    refused("not_callable", services.booking_call, booking=booking, actor_user=staff_user, now=at(TUE, 9, 20))
    booking.refresh_from_db()
    assert booking.called_at == at(TUE, 9, 10)  # the first call stands


def test_s3_call_refused_to_staff_of_another_department(schedule, department, referral, staff_user, region):
    from portal.accounts.models import User
    from tests.factories import DepartmentFactory

    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    outsider = User.objects.create(username="other-desk", department=DepartmentFactory(region=region, number=8))
    refused("not_staff", services.booking_call, booking=booking, actor_user=outsider, now=at(TUE, 9, 30))
    booking.refresh_from_db()
    assert booking.called_at is None


# --- waiting: arrival to call-in --------------------------------------------------------------------
def test_s3_arrived_0905_called_1006_waited_over_an_hour(schedule, department, referral, staff_user):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    called = services.booking_call(booking=booking, actor_user=staff_user, now=at(TUE, 10, 6))
    times = visit_times(booking=called, now=at(TUE, 10, 6))
    assert times.waited_minutes == 61
    assert times.wait_state == OVER
    assert not times.waiting_now
    assert visits_flagged(bookings=[called], now=at(TUE, 10, 6)) == [times]


def test_s3_arrived_0905_called_1005_waited_exactly_an_hour_is_within_but_close(
    schedule, department, referral, staff_user
):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    called = services.booking_call(booking=booking, actor_user=staff_user, now=at(TUE, 10, 5))
    times = visit_times(booking=called, now=at(TUE, 10, 5))
    assert times.waited_minutes == 60
    assert times.wait_state == CLOSE  # the standard allows the hour itself; it is close to it


def test_s3_still_waiting_at_0954_is_close_at_0955_and_not_at_0954(schedule, department, referral, staff_user):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    # 49 minutes: within; 50 minutes (the default warning): close; 61 minutes: over
    assert visit_times(booking=booking, now=at(TUE, 9, 54)).wait_state == WITHIN
    at_0955 = visit_times(booking=booking, now=at(TUE, 9, 55))
    assert (at_0955.wait_state, at_0955.waiting_now, at_0955.waited_minutes) == (CLOSE, True, 50)
    assert visit_times(booking=booking, now=at(TUE, 10, 6)).wait_state == OVER
    assert visits_flagged(bookings=[booking], now=at(TUE, 9, 54)) == []


def test_s3_warning_minutes_is_the_setting(schedule, department, referral, staff_user, settings):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    settings.QUEUE_S3_WARNING_MINUTES = 40
    assert visit_times(booking=booking, now=at(TUE, 9, 45)).wait_state == CLOSE
    settings.QUEUE_S3_WARNING_MINUTES = 55
    assert visit_times(booking=booking, now=at(TUE, 9, 55)).wait_state == WITHIN


# --- service: call-in to served -------------------------------------------------------------------
def test_s3_called_0910_served_1011_service_over_an_hour(schedule, department, referral, staff_user):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    services.booking_call(booking=booking, actor_user=staff_user, now=at(TUE, 9, 10))
    served = services.booking_mark_served(booking=booking, actor_user=staff_user, now=at(TUE, 10, 11))
    times = visit_times(booking=served, now=at(TUE, 12))
    assert (times.waited_minutes, times.wait_state) == (5, WITHIN)
    assert (times.served_minutes, times.service_state) == (61, OVER)
    assert not times.in_service_now


def test_s3_in_service_since_0910_is_close_at_1000_and_over_at_1011(schedule, department, referral, staff_user):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    called = services.booking_call(booking=booking, actor_user=staff_user, now=at(TUE, 9, 10))
    at_1000 = visit_times(booking=called, now=at(TUE, 10, 0))
    assert (at_1000.service_state, at_1000.in_service_now, at_1000.served_minutes) == (CLOSE, True, 50)
    assert visit_times(booking=called, now=at(TUE, 10, 11)).service_state == OVER


def test_s3_served_without_a_call_waited_until_served_and_has_no_service_time(
    schedule, department, referral, staff_user
):
    booking = _arrived_at_0905(schedule, department, referral, staff_user)
    served = services.booking_mark_served(booking=booking, actor_user=staff_user, now=at(TUE, 10, 10))
    times = visit_times(booking=served, now=at(TUE, 12))
    assert (times.waited_minutes, times.wait_state) == (65, OVER)
    assert times.served_for is None
    assert times.service_state is None


# --- the desk page, live ---------------------------------------------------------------------------
@pytest.fixture
def desk(settings):
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    department = department_open_today()
    user = UserFactory(username="desk", department=department)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    yield department, user
    clear_url_caches()


def _arrived_today(department, *, minutes_ago: int, called_minutes_ago: int | None = None) -> Booking:
    person = PersonFactory()
    now = timezone.now()
    sequence, ticket = ticket_number_next(department=department, day=timezone.localdate())
    return Booking.objects.create(
        referral=ReferralFactory(person=person),
        person=person,
        booked_by=person,
        department=department,
        day=timezone.localdate(),
        starts_at=now - dt.timedelta(minutes=minutes_ago),
        ticket_sequence=sequence,
        ticket_number=ticket,
        status=Booking.Status.ARRIVED,
        arrived_at=now - dt.timedelta(minutes=minutes_ago),
        called_at=None if called_minutes_ago is None else now - dt.timedelta(minutes=called_minutes_ago),
    )


def test_s3_desk_panel_shows_who_waited_close_to_and_over_an_hour(client, desk):
    department, user = desk
    close = _arrived_today(department, minutes_ago=52)
    over = _arrived_today(department, minutes_ago=61)
    fine = _arrived_today(department, minutes_ago=10)
    long_service = _arrived_today(department, minutes_ago=70, called_minutes_ago=62)  # waited 8, served 62
    client.force_login(user)

    page = client.get(reverse("queue_booking:staff-queue")).content.decode()
    assert 'id="s3-panel"' in page
    assert "queue_booking/desk_refresh.js" in page
    assert reverse("queue_booking:staff-s3") in page

    panel = client.get(reverse("queue_booking:staff-s3"))
    assert panel.status_code == 200
    assert panel["Cache-Control"] == "no-store"
    html = panel.content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")]
    assert close.ticket_number in rows
    assert over.ticket_number in rows
    assert long_service.ticket_number in rows
    assert fine.ticket_number not in rows
    assert "waiting close to an hour" in rows
    assert "waiting over an hour" in rows
    assert "service over an hour" in rows
    # ticket numbers and times only: no name, no IIN in the fragment fetched every 30 seconds
    for booking in (close, over, long_service):
        assert booking.person.last_name not in html
        assert booking.person.iin not in html


def test_s3_desk_call_in_keeps_a_wait_over_the_hour_on_the_panel(client, desk):
    department, user = desk
    over = _arrived_today(department, minutes_ago=65)
    client.force_login(user)
    assert over.ticket_number in client.get(reverse("queue_booking:staff-s3")).content.decode()
    # called in now: the wait (65 minutes) is over, and stays on the panel as over the hour
    client.post(reverse("queue_booking:staff-call", kwargs={"public_id": over.public_id}))
    over.refresh_from_db()
    assert over.called_at is not None
    assert "waiting over an hour" in client.get(reverse("queue_booking:staff-s3")).content.decode()


def test_s3_desk_call_button_and_another_departments_visit_not_found(client, desk):
    department, user = desk
    booking = _arrived_today(department, minutes_ago=5)
    client.force_login(user)
    page = client.get(reverse("queue_booking:staff-queue")).content.decode()
    assert reverse("queue_booking:staff-call", kwargs={"public_id": booking.public_id}) in page
    other = _arrived_today(department_open_today(), minutes_ago=5)
    response = client.post(reverse("queue_booking:staff-call", kwargs={"public_id": other.public_id}))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.called_at is None


def test_s3_desk_panel_refused_to_anonymous_and_citizens(client):
    response = client.get(reverse("queue_booking:staff-s3"))
    assert response.status_code in (302, 403)
