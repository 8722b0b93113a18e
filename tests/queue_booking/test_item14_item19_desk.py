"""The staff desk as a newcomer found it: "Done today", staff-worded refusals, walk-ins on days off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.workcal.models import CalendarException
from queue_booking import services
from queue_booking.models import Booking
from queue_booking.services.tickets import ticket_number_next
from tests.portal.factories import PersonFactory, ReferralFactory, UserFactory
from tests.queue_booking.conftest import at, department_open_today, refused, working_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_settings(settings):
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def department():
    return department_open_today()


@pytest.fixture
def staff(department):
    user = UserFactory(username="desk", department=department)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    return user


def _today_booking(department, person, *, minutes_ahead=60) -> Booking:
    sequence, ticket = ticket_number_next(department=department, day=timezone.localdate())
    return Booking.objects.create(
        referral=ReferralFactory(person=person),
        person=person,
        booked_by=person,
        department=department,
        day=timezone.localdate(),
        starts_at=timezone.now() + dt.timedelta(minutes=minutes_ahead),
        ticket_sequence=sequence,
        ticket_number=ticket,
    )


def _done_today_section(html: str) -> str:
    return html[html.index("Done today") :]


# --- p14: "Done today" ------------------------------------------------------------------------------


def test_item14_served_and_left_visits_appear_in_done_today(client, department, staff):
    # given: one visit served, one left, one still waiting
    served = _today_booking(department, PersonFactory(last_name="Servedova"))
    left = _today_booking(department, PersonFactory(last_name="Leftova"))
    waiting = _today_booking(department, PersonFactory(last_name="Waitova"))
    for b in (served, left):
        services.booking_check_in(department=department, code=b.ticket_number, actor_user=staff)
    services.booking_mark_served(booking=served, actor_user=staff)
    services.booking_mark_left(booking=left, actor_user=staff)
    client.force_login(staff)
    # when
    done = _done_today_section(client.get("/en/queue/staff/").text)
    # then
    assert served.ticket_number in done
    assert "Servedova" in done
    assert left.ticket_number in done
    assert waiting.ticket_number not in done
    assert "Nobody." not in done


# --- p19: the desk speaks to staff ------------------------------------------------------------------


def test_item19_checking_in_an_arrived_ticket_says_so_in_staff_words(client, department, staff):
    # given: a visit already checked in
    booking = _today_booking(department, PersonFactory())
    services.booking_check_in(department=department, code=booking.ticket_number, actor_user=staff)
    client.force_login(staff)
    # when: the ticket is scanned again
    html = client.post("/en/queue/staff/check-in/", {"code": booking.ticket_number}).text
    # then
    assert "This visit has already moved on (checked in, served, left, cancelled or annulled)" in html
    assert "cannot change to" not in html


def test_item19_serving_a_served_visit_again_says_so_in_staff_words(client, department, staff):
    booking = _today_booking(department, PersonFactory())
    services.booking_check_in(department=department, code=booking.ticket_number, actor_user=staff)
    services.booking_mark_served(booking=booking, actor_user=staff)
    client.force_login(staff)
    html = client.post(f"/en/queue/staff/bookings/{booking.public_id}/served/", follow=True).text
    assert "This visit has already moved on" in html
    assert "cannot change to" not in html


def test_item19_walk_in_with_an_active_booking_is_not_told_to_cancel_it(client, department, staff):
    # given: a person booked for another day tries the live queue today
    working_today()
    person = PersonFactory()
    referral = ReferralFactory(person=person)
    sequence, ticket = ticket_number_next(department=department, day=timezone.localdate() + dt.timedelta(days=3))
    Booking.objects.create(
        referral=referral,
        person=person,
        booked_by=person,
        department=department,
        day=timezone.localdate() + dt.timedelta(days=3),
        starts_at=timezone.now() + dt.timedelta(days=3),
        ticket_sequence=sequence,
        ticket_number=ticket,
    )
    client.force_login(staff)
    # when
    html = client.post("/en/queue/staff/walk-in/", {"iin": person.iin}).text
    # then
    assert "This person&#x27;s referral already has an active booking. If it is for today, check them in" in html
    assert "Cancel it first" not in html


def test_item19_walk_in_refused_on_a_sunday(department, staff):
    # given: Sunday 6 December 2026, an ordinary weekend day
    person = PersonFactory()
    ReferralFactory(person=person, signed_at=at(dt.date(2026, 12, 1), 9))
    # when / then
    error = refused(
        "department_closed_today",
        services.walk_in_add,
        department=department,
        person_iin=person.iin,
        actor_user=staff,
        now=at(dt.date(2026, 12, 6), 10),
    )
    with translation.override("en"):
        assert str(error.message) == "The department does not receive today."
    assert not Booking.objects.filter(person=person).exists()


def test_item19_walk_in_refused_on_a_holiday_and_a_decreed_day_off(department, staff):
    person = PersonFactory()
    ReferralFactory(person=person, signed_at=at(dt.date(2026, 12, 1), 9))
    # Independence Day, Wednesday 16 December 2026
    refused(
        "department_closed_today",
        services.walk_in_add,
        department=department,
        person_iin=person.iin,
        actor_user=staff,
        now=at(dt.date(2026, 12, 16), 10),
    )
    # a weekday the government declared a day off
    CalendarException.objects.create(
        date=dt.date(2026, 12, 18), kind=CalendarException.Kind.DAY_OFF, name_ru="выходной", legal_basis="decree"
    )
    refused(
        "department_closed_today",
        services.walk_in_add,
        department=department,
        person_iin=person.iin,
        actor_user=staff,
        now=at(dt.date(2026, 12, 18), 10),
    )
    # an ordinary Thursday is a working day
    booking = services.walk_in_add(
        department=department, person_iin=person.iin, actor_user=staff, now=at(dt.date(2026, 12, 17), 10)
    )
    assert booking.kind == Booking.Kind.WALK_IN


def test_item19_desk_page_refuses_a_walk_in_on_a_day_off_in_staff_words(client, department, staff):
    CalendarException.objects.update_or_create(
        date=timezone.localdate(),
        defaults={"kind": CalendarException.Kind.DAY_OFF, "name_ru": "выходной", "legal_basis": "decree"},
    )
    person = PersonFactory()
    ReferralFactory(person=person)
    client.force_login(staff)
    html = client.post("/en/queue/staff/walk-in/", {"iin": person.iin}).text
    assert "Today is not a working day by the working calendar (a weekend, a holiday or a day off)" in html
    assert not Booking.objects.filter(person=person).exists()


def test_item19_served_walk_in_referral_offers_no_booking_in_the_cabinet(client, department, staff):
    # given: a citizen whose walk-in visit today was served
    working_today()
    from portal.accounts.models import User

    person = PersonFactory(registration_atu=department.atus.get())
    referral = ReferralFactory(person=person)
    citizen = User.objects.create(username=f"iin{person.iin}", person=person)
    citizen.groups.add(Group.objects.get(name=Role.CITIZEN))
    visit = services.walk_in_add(department=department, person_iin=person.iin, actor_user=staff)
    services.booking_mark_served(booking=visit, actor_user=staff)
    client.force_login(citizen)
    # when
    html = client.get("/en/queue/").text
    # then: the referral is shown as examined, with no way to book it again
    assert f"/en/queue/book/{referral.public_id}/" not in html
    assert "Book a time" not in html
    assert '<a class="button" href="/en/queue/book/">' not in html
    assert "Examined." in html
