"""The queue's server-rendered pages: the citizen's cabinet, booking, ticket and cancellation; the staff desk."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from portal.accounts.roles import Role
from portal.consent.models import Consent
from queue_booking import errors as refusals
from queue_booking import services
from queue_booking.models import Booking, Pilot, ReceptionException, Slot, WaitlistEntry
from queue_booking.services.tickets import check_in_token, ticket_number_next
from tests.portal.factories import (
    AtuFactory,
    DepartmentFactory,
    GuardianshipFactory,
    PersonFactory,
    ReferralFactory,
    RegionFactory,
    UserFactory,
)
from tests.queue_booking.conftest import consenting, publish_this_and_next_year, working_today

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://video.example/how-to-book"


@pytest.fixture(autouse=True)
def _page_settings(settings):
    # As in production: Russian without a prefix, /kk/ and /en/ prefixed. The URL resolver caches
    # each language's prefix as computed under the LANGUAGE_CODE of its first use, so it is
    # rebuilt here and again afterwards, for the tests that run with the suite's default.
    settings.LANGUAGE_CODE = "ru"
    settings.QUEUE_VIDEO_INSTRUCTION_URL = VIDEO_URL
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def region():
    return RegionFactory()


@pytest.fixture
def atu(region):
    return AtuFactory(region=region)


@pytest.fixture
def pilot(region):
    today = timezone.localdate()
    pilot = Pilot.objects.create(
        name="Akmola pilot", starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=365)
    )
    pilot.regions.add(region)
    return pilot


@pytest.fixture
def department(region, atu, pilot):
    """A department of the pilot region serving ``atu``, with its published schedule (Q-2, Q-3)."""
    department = DepartmentFactory(region=region, atus=[atu])
    publish_this_and_next_year(department)
    return department


@pytest.fixture
def person(citizen, atu):
    """The signed-in citizen, registered in ``atu``, who has consented to the processing of personal data (Q-12)."""
    person = citizen.person
    person.registration_atu = atu
    person.save()
    return consenting(person)


@pytest.fixture
def referral(person):
    return ReferralFactory(person=person)


def _html(message) -> str:
    """A message as the page shows it (HTML-escaped)."""
    return escape(str(message))


def _first_free_slot(department) -> Slot:
    return (
        Slot.objects.filter(department=department, starts_at__gt=timezone.now(), booked__lt=F("capacity"))
        .order_by("starts_at")
        .first()
    )


def _book(referral, actor, department) -> Booking:
    """Book as the booking page does: the actor gives Q-12 consent if not yet live."""
    return services.booking_create(
        referral=referral,
        slot_id=_first_free_slot(department).pk,
        actor=actor,
        consent_channel=Consent.Channel.PORTAL,
    )


def _staff(department, *, username="desk"):
    user = UserFactory(username=username, department=department)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    return user


def _today_booking(department, person, *, minutes_ahead=60) -> Booking:
    """A booked visit later today: the desk pages work on today whatever weekday the test runs."""
    referral = ReferralFactory(person=person)
    starts_at = timezone.now() + dt.timedelta(minutes=minutes_ahead)
    sequence, ticket = ticket_number_next(department=department, day=timezone.localdate())
    return Booking.objects.create(
        referral=referral,
        person=person,
        booked_by=person,
        department=department,
        day=timezone.localdate(),
        starts_at=starts_at,
        ticket_sequence=sequence,
        ticket_number=ticket,
        status=Booking.Status.BOOKED,
        kind=Booking.Kind.BOOKED,
    )


# --- the cabinet ----------------------------------------------------------------------------------


def test_q5_cabinet_shows_referrals_wards_and_bookings_with_status(citizen_client, person, department, referral, sent):
    # given: a ward with a referral of their own, and a booking of the citizen
    ward = GuardianshipFactory(representative=person, ward=PersonFactory(registration_atu=person.registration_atu)).ward
    ward_referral = ReferralFactory(person=ward)
    booking = _book(referral, person, department)
    # when
    html = citizen_client.get("/en/queue/").text
    # then
    assert ward.full_name in html
    assert referral.external_id in html
    assert ward_referral.external_id in html
    assert f"/en/queue/book/{ward_referral.public_id}/" in html
    assert f"Booked: ticket {booking.ticket_number}" in html
    assert booking.get_status_display() in html


def test_cabinet_needs_a_signed_in_citizen(client):
    response = client.get("/en/queue/")
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


# --- booking in three steps -----------------------------------------------------------------------


def test_q7_booking_in_three_steps(citizen_client, person, department, referral, sent):
    # step 1: the referral
    page = citizen_client.get("/en/queue/book/")
    assert referral.external_id in page.text
    response = citizen_client.post("/en/queue/book/", {"referral": str(referral.public_id)})
    assert response["Location"] == f"/en/queue/book/{referral.public_id}/"
    # step 2: the date
    slot = _first_free_slot(department)
    page = citizen_client.get(response["Location"])
    assert f'value="{slot.day.isoformat()}"' in page.text
    response = citizen_client.post(response["Location"], {"day": slot.day.isoformat()})
    assert response["Location"] == f"/en/queue/book/{referral.public_id}/{slot.day.isoformat()}/"
    # step 3: the time, and confirm
    page = citizen_client.get(response["Location"])
    assert f'value="{slot.pk}"' in page.text
    response = citizen_client.post(response["Location"], {"slot": slot.pk})
    # then: the ticket, the SMS, the place taken
    booking = Booking.objects.get(referral=referral)
    assert response["Location"] == f"/en/queue/bookings/{booking.public_id}/"
    assert booking.status == Booking.Status.BOOKED
    assert booking.slot == slot
    assert [m["template"] for m in sent] == ["queue_booked"]
    slot.refresh_from_db()
    assert slot.booked == 1
    ticket = citizen_client.get(response["Location"]).text
    assert booking.ticket_number in ticket


def test_q5_representative_books_for_a_ward(citizen_client, person, department, sent):
    ward = GuardianshipFactory(representative=person, ward=PersonFactory(registration_atu=person.registration_atu)).ward
    ward_referral = ReferralFactory(person=ward)
    slot = _first_free_slot(department)
    # the ward has not consented yet: the representative ticks the box for them
    response = citizen_client.post(
        f"/en/queue/book/{ward_referral.public_id}/{slot.day.isoformat()}/", {"slot": slot.pk, "consent": "on"}
    )
    booking = Booking.objects.get(referral=ward_referral)
    assert response["Location"] == f"/en/queue/bookings/{booking.public_id}/"
    assert booking.person == ward
    assert booking.booked_by == person


def _expire(referral, **_):
    referral.signed_at = timezone.now() - dt.timedelta(days=40)
    referral.save()


def _unregister(referral, **_):
    referral.person.registration_atu = None
    referral.person.save()


def _pilot_elsewhere(referral, *, pilot, **_):
    pilot.regions.set([RegionFactory(kato="150000000", name_ru="Актюбинская область")])


def _pilot_over(referral, *, pilot, **_):
    pilot.starts_on = timezone.localdate() - dt.timedelta(days=400)
    pilot.ends_on = timezone.localdate() - dt.timedelta(days=1)
    pilot.save()


def _unmapped(referral, *, department, **_):
    department.atus.clear()


def _all_taken(referral, *, department, **_):
    Slot.objects.filter(department=department).update(capacity=1, booked=1)


Q6_FAILURES = [
    pytest.param(_expire, refusals.REFERRAL_EXPIRED.message, "referral_expired", id="q6a_referral_expired"),
    pytest.param(_unregister, refusals.NO_REGISTRATION.message, "no_registration", id="q6b_no_registration"),
    pytest.param(
        _pilot_elsewhere, refusals.REGION_NOT_IN_PILOT.message, "region_not_in_pilot", id="q1_region_not_in_pilot"
    ),
    pytest.param(_pilot_over, refusals.PILOT_CLOSED.message, "pilot_closed", id="q1_pilot_closed"),
    pytest.param(_unmapped, refusals.NO_DEPARTMENT.message, "no_department", id="q6b_no_department"),
    pytest.param(_all_taken, refusals.NO_FREE_SLOT.message, "no_free_slot", id="q6c_no_free_slot"),
]


def _state(department):
    return Booking.objects.count(), list(Slot.objects.filter(department=department).values_list("pk", "booked"))


@pytest.mark.parametrize(("break_it", "message", "code"), Q6_FAILURES)
def test_q6_each_failure_shows_its_message_and_changes_nothing(
    citizen_client, person, department, referral, pilot, sent, break_it, message, code
):
    # given
    slot = _first_free_slot(department)
    break_it(referral, pilot=pilot, department=department)
    before = _state(department)
    # when: the date step, and a forged confirmation straight to the last step
    page = citizen_client.get(f"/en/queue/book/{referral.public_id}/")
    confirm = citizen_client.post(f"/en/queue/book/{referral.public_id}/{slot.day.isoformat()}/", {"slot": slot.pk})
    # then
    for response in (page, confirm):
        assert response.status_code == 200
        assert _html(message) in response.text
        assert f'data-error-code="{code}"' in response.text
    assert _state(department) == before
    assert sent == []


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        pytest.param(_unregister, refusals.NO_REGISTRATION.message, id="q6b_no_registration"),
        pytest.param(_all_taken, refusals.NO_FREE_SLOT.message, id="q6c_no_free_slot"),
    ],
)
def test_q6_failure_at_step_one_is_shown_on_the_referral_field(
    citizen_client, person, department, referral, pilot, break_it, message
):
    break_it(referral, pilot=pilot, department=department)
    response = citizen_client.post("/en/queue/book/", {"referral": str(referral.public_id)})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert f'href="#id_referral_0">{_html(message)}' in response.text
    assert Booking.objects.count() == 0


def test_x3_no_free_slot_offers_the_waiting_list(citizen_client, person, department, referral, pilot):
    _all_taken(referral, department=department)
    page = citizen_client.get(f"/en/queue/book/{referral.public_id}/")
    assert f"/en/queue/book/{referral.public_id}/waitlist/" in page.text
    response = citizen_client.post(f"/en/queue/book/{referral.public_id}/waitlist/")
    assert response.status_code == 302
    assert WaitlistEntry.objects.filter(person=person, department=department, left_at__isnull=True).exists()


def test_x3_cabinet_lists_the_waiting_lists_and_leaves_one(citizen_client, person, department):
    # given: the citizen waits for a department, and so does a stranger
    entry = services.waitlist_join(person=person, department=department, actor=person)
    stranger = services.waitlist_join(
        person=PersonFactory(registration_atu=person.registration_atu), department=department
    )
    # when: the cabinet shows the citizen's own entry only, with a button to leave
    page = citizen_client.get("/en/queue/").text
    assert "Waiting lists" in page
    assert f"/en/queue/waitlist/{entry.pk}/leave/" in page
    assert f"/en/queue/waitlist/{stranger.pk}/leave/" not in page
    # then: leaving ends the entry; someone else's entry cannot be left from this cabinet
    assert citizen_client.post(f"/en/queue/waitlist/{entry.pk}/leave/").status_code == 302
    assert citizen_client.post(f"/en/queue/waitlist/{stranger.pk}/leave/").status_code == 404
    assert WaitlistEntry.objects.get(pk=entry.pk).left_at is not None
    assert WaitlistEntry.objects.get(pk=stranger.pk).left_at is None
    assert "Waiting lists" not in citizen_client.get("/en/queue/").text


def test_q5_booking_someone_elses_referral_is_refused(citizen_client, person, department, referral, sent):
    # given: the citizen's own referral, and a stranger's
    stranger_referral = ReferralFactory(person=PersonFactory(registration_atu=person.registration_atu))
    slot = _first_free_slot(department)
    # when
    step1 = citizen_client.post("/en/queue/book/", {"referral": str(stranger_referral.public_id)})
    step2 = citizen_client.get(f"/en/queue/book/{stranger_referral.public_id}/")
    step3 = citizen_client.post(
        f"/en/queue/book/{stranger_referral.public_id}/{slot.day.isoformat()}/", {"slot": slot.pk}
    )
    # then
    assert step1.status_code == 200
    assert "Choose the referral you want to book" in step1.text
    assert step2.status_code == 403
    assert _html(refusals.NOT_REPRESENTATIVE.message) in step2.text
    assert stranger_referral.person.full_name not in step2.text
    assert step3.status_code == 403
    assert Booking.objects.count() == 0
    assert sent == []


def test_q9_second_booking_of_a_referral_is_refused(citizen_client, person, department, referral, sent):
    _book(referral, person, department)
    page = citizen_client.get(f"/en/queue/book/{referral.public_id}/")
    assert _html(refusals.ALREADY_BOOKED.message) in page.text
    assert Booking.objects.filter(referral=referral).count() == 1


def test_item19_back_after_booking_leads_to_the_ticket(citizen_client, person, department, referral, sent):
    booking = _book(referral, person, department)
    # Back to a booking step (or its second submit) after the booking was made
    page = citizen_client.get(f"/en/queue/book/{referral.public_id}/")
    assert f'href="/en/queue/bookings/{booking.public_id}/"' in page.text
    assert "Your ticket" in page.text


def test_item19_cabinet_says_why_a_referral_cannot_be_booked_and_what_to_do(
    citizen_client, person, department, referral
):
    person.registration_atu = None
    person.save(update_fields=["registration_atu"])
    page = citizen_client.get("/en/queue/").text
    assert 'data-error-code="no_registration"' in page
    assert "no permanent registration on record" in page
    assert "come to the MSE department during reception hours" in page
    assert f"/en/queue/book/{referral.public_id}/" not in page


def test_x2_step_without_a_choice_shows_an_error_summary_linked_to_the_group(
    citizen_client, person, department, referral
):
    html = citizen_client.post(f"/en/queue/book/{referral.public_id}/", {}).text
    assert "There is a problem" in html
    assert 'href="#id_day_0">Choose a date.' in html
    assert 'aria-describedby=" id_day_error"' in html or 'aria-describedby="id_day_error"' in html
    assert 'aria-invalid="true"' in html


def test_x2_booking_pages_have_labelled_fields(citizen_client, person, department, referral):
    slot = _first_free_slot(department)
    pages = {
        "referral": citizen_client.get("/en/queue/book/").text,
        "day": citizen_client.get(f"/en/queue/book/{referral.public_id}/").text,
        "slot": citizen_client.get(f"/en/queue/book/{referral.public_id}/{slot.day.isoformat()}/").text,
    }
    for name, html in pages.items():
        # a radio group is a fieldset with a legend, and every radio has its own label
        assert '<fieldset class="field radios' in html
        assert "<legend>" in html
        assert f'id="id_{name}_0"' in html
        assert f'<label for="id_{name}_0">' in html
        assert html.count(f'type="radio" name="{name}"') == html.count(f'<label for="id_{name}_')
        assert 'aria-current="step"' in html


def test_q14_video_instruction_linked_from_booking_pages(citizen_client, person, department, referral, sent):
    slot = _first_free_slot(department)
    urls = ["/en/queue/", "/en/queue/book/", f"/en/queue/book/{referral.public_id}/"]
    urls.append(f"/en/queue/book/{referral.public_id}/{slot.day.isoformat()}/")
    booking = _book(referral, person, department)
    urls += [f"/en/queue/bookings/{booking.public_id}/", f"/en/queue/bookings/{booking.public_id}/cancel/"]
    for url in urls:
        html = citizen_client.get(url).text
        assert f'<a href="{VIDEO_URL}" rel="noopener" data-video-instruction>' in html, url


@pytest.mark.parametrize(("prefix", "lang"), [("/kk", "kk"), ("", "ru"), ("/en", "en")])
def test_x1_booking_pages_render_in_each_language(citizen_client, person, department, referral, sent, prefix, lang):
    slot = _first_free_slot(department)
    booking_urls = ["/queue/", "/queue/book/", f"/queue/book/{referral.public_id}/"]
    booking_urls.append(f"/queue/book/{referral.public_id}/{slot.day.isoformat()}/")
    booking = _book(referral, person, department)
    booking_urls += [f"/queue/bookings/{booking.public_id}/", f"/queue/bookings/{booking.public_id}/cancel/"]
    for url in booking_urls:
        response = citizen_client.get(prefix + url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.text


# --- the ticket -----------------------------------------------------------------------------------


def test_x4_ticket_has_qr_and_ics(citizen_client, person, department, referral, sent, settings):
    booking = _book(referral, person, department)
    html = citizen_client.get(f"/en/queue/bookings/{booking.public_id}/").text
    assert "<svg" in html
    assert 'role="img"' in html
    assert f"/en/queue/bookings/{booking.public_id}/ticket.ics" in html
    assert "@media print" in (settings.BASE_DIR / "static" / "portal" / "site.css").read_text(encoding="utf-8")

    response = citizen_client.get(f"/en/queue/bookings/{booking.public_id}/ticket.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f"mse-ticket-{booking.ticket_number}.ics" in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == booking.starts_at
    assert booking.ticket_number in str(events[0]["summary"])
    assert str(events[0]["location"]) == department.address


def test_ticket_of_someone_else_is_not_found(citizen_client, person, department, sent):
    other = PersonFactory(registration_atu=person.registration_atu)
    booking = _book(ReferralFactory(person=other), other, department)
    for suffix in ("", "ticket.ics", "cancel/"):
        assert citizen_client.get(f"/en/queue/bookings/{booking.public_id}/{suffix}").status_code == 404
    assert citizen_client.post(f"/en/queue/bookings/{booking.public_id}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


# --- cancelling -----------------------------------------------------------------------------------


def test_q9_cancel_in_cabinet_needs_confirmation(citizen_client, person, department, referral, sent):
    # given
    booking = _book(referral, person, department)
    # when: the link only shows the confirmation page
    page = citizen_client.get(f"/en/queue/bookings/{booking.public_id}/cancel/")
    booking.refresh_from_db()
    # then
    assert page.status_code == 200
    assert "Yes, cancel the booking" in page.text
    assert 'method="post"' in page.text
    assert booking.status == Booking.Status.BOOKED
    # when: confirmed
    response = citizen_client.post(f"/en/queue/bookings/{booking.public_id}/cancel/")
    booking.refresh_from_db()
    # then
    assert response["Location"] == "/en/queue/"
    assert booking.status == Booking.Status.CANCELLED
    assert sent[-1]["template"] == "queue_cancelled"
    assert Slot.objects.get(pk=booking.slot_id).booked == 0


def test_q9_served_booking_cannot_be_cancelled(citizen_client, person, department, referral, sent):
    booking = _book(referral, person, department)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.SERVED)
    page = citizen_client.get(f"/en/queue/bookings/{booking.public_id}/cancel/")
    assert "This booking can no longer be cancelled." in page.text
    assert "Yes, cancel the booking" not in page.text
    response = citizen_client.post(f"/en/queue/bookings/{booking.public_id}/cancel/")
    assert 'data-error-code="cannot_cancel"' in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED
    assert [m["template"] for m in sent] == ["queue_booked"]


# --- department staff -----------------------------------------------------------------------------


def test_q11_staff_see_todays_queue_in_order(client, department, sent):
    # given: one arrived, one booked not yet arrived, one walk-in
    staff = _staff(department)
    waiting = _today_booking(department, PersonFactory(), minutes_ahead=30)
    arrived = _today_booking(department, PersonFactory(), minutes_ahead=90)
    services.booking_check_in(department=department, code=arrived.ticket_number, actor_user=staff)
    walker = PersonFactory()
    ReferralFactory(person=walker)
    working_today()  # walk-ins only on working days
    walk_in = services.walk_in_add(department=department, person_iin=walker.iin, actor_user=staff)
    client.force_login(staff)
    # when
    html = client.get("/en/queue/staff/").text
    # then: arrived first, then booked, then the live queue
    positions = [html.index(b.ticket_number) for b in (arrived, waiting, walk_in)]
    assert positions == sorted(positions)
    assert html.index("1. Booked and arrived") < positions[0] < html.index("2. Booked, not yet arrived")
    assert html.index("3. Live queue") < positions[2]
    # the list says when it was read and refreshes on request (no timed reload: WCAG 2.2.1)
    assert re.search(r"The list as of \d\d:\d\d\.", html)
    assert 'href="/en/queue/staff/">Refresh the list</a>' in html
    assert "http-equiv" not in html


def test_x4_staff_check_in_by_ticket_number_and_by_qr_code(client, department, sent):
    staff = _staff(department)
    by_number = _today_booking(department, PersonFactory())
    by_qr = _today_booking(department, PersonFactory())
    client.force_login(staff)
    r1 = client.post("/en/queue/staff/check-in/", {"code": by_number.ticket_number})
    r2 = client.post("/en/queue/staff/check-in/", {"code": check_in_token(booking=by_qr)})
    assert r1.status_code == r2.status_code == 302
    by_number.refresh_from_db()
    by_qr.refresh_from_db()
    assert by_number.status == by_qr.status == Booking.Status.ARRIVED


def test_staff_check_in_unknown_ticket_shows_the_message(client, department):
    client.force_login(_staff(department))
    response = client.post("/en/queue/staff/check-in/", {"code": "99-0101-999"})
    assert response.status_code == 200
    assert f'href="#id_code">{_html(refusals.TICKET_UNKNOWN.message)}' in response.text


def test_staff_mark_served_and_left(client, department, sent):
    staff = _staff(department)
    served = _today_booking(department, PersonFactory())
    left = _today_booking(department, PersonFactory())
    for b in (served, left):
        services.booking_check_in(department=department, code=b.ticket_number, actor_user=staff)
    client.force_login(staff)
    assert client.post(f"/en/queue/staff/bookings/{served.public_id}/served/").status_code == 302
    assert client.post(f"/en/queue/staff/bookings/{left.public_id}/left/").status_code == 302
    served.refresh_from_db()
    left.refresh_from_db()
    assert (served.status, left.status) == (Booking.Status.SERVED, Booking.Status.LEFT)


def test_q11_staff_add_a_walk_in_to_the_live_queue(client, department):
    walker = PersonFactory()
    ReferralFactory(person=walker)
    working_today()  # walk-ins only on working days
    client.force_login(_staff(department))
    response = client.post("/en/queue/staff/walk-in/", {"iin": walker.iin})
    assert response.status_code == 302
    booking = Booking.objects.get(person=walker)
    assert booking.kind == Booking.Kind.WALK_IN
    assert booking.department == department


def test_staff_walk_in_without_referral_shows_the_message(client, department):
    working_today()  # walk-ins only on working days
    client.force_login(_staff(department))
    response = client.post("/en/queue/staff/walk-in/", {"iin": PersonFactory().iin})
    assert _html(refusals.NO_VALID_REFERRAL.message) in response.text
    assert Booking.objects.count() == 0


def test_staff_see_only_their_own_department(client, department, region, sent):
    # given: a booking of another department, and its staff member
    other = DepartmentFactory(region=region)
    theirs = _today_booking(department, PersonFactory())
    services.booking_check_in(department=department, code=theirs.ticket_number, actor_user=_staff(department))
    client.force_login(_staff(other, username="other-desk"))
    # when / then
    html = client.get("/en/queue/staff/").text
    assert theirs.ticket_number not in html
    assert client.post(f"/en/queue/staff/bookings/{theirs.public_id}/served/").status_code == 404
    assert client.post(f"/en/queue/staff/bookings/{theirs.public_id}/left/").status_code == 404
    response = client.post("/en/queue/staff/check-in/", {"code": check_in_token(booking=theirs)})
    assert _html(refusals.TICKET_OTHER_DEPARTMENT.message) in response.text
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.ARRIVED


def test_staff_pages_refuse_citizens_and_staff_without_department(citizen_client, client, department):
    assert citizen_client.get("/en/queue/staff/").status_code == 403
    no_department = UserFactory(username="nodept")
    no_department.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    client.force_login(no_department)
    assert client.get("/en/queue/staff/").status_code == 403


def test_staff_pages_send_anonymous_users_to_the_staff_sign_in(client):
    response = client.get("/en/queue/staff/")
    assert response.status_code == 302
    assert "/accounts/staff/sign-in/" in response["Location"]


def test_s2_cabinet_says_an_expired_referral_has_expired(citizen_client, person, department, referral):
    _expire(referral)
    html = citizen_client.get("/en/queue/").text
    assert "Expired: a referral is valid for one month from signing." in html
    assert f"/en/queue/book/{referral.public_id}/" not in html


def test_cabinet_queries_do_not_grow_with_bookings(citizen_client, person, department, sent):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            citizen_client.get("/en/queue/")
        return len(ctx.captured_queries)

    _book(ReferralFactory(person=person), person, department)
    one = count()
    for _ in range(3):
        _book(ReferralFactory(person=person), person, department)
    assert count() == one


def test_q6_time_taken_meanwhile_shows_the_services_message(citizen_client, person, department, referral, sent):
    # given: the page was shown, then someone else took the time
    slot = _first_free_slot(department)
    url = f"/en/queue/book/{referral.public_id}/{slot.day.isoformat()}/"
    citizen_client.get(url)
    Slot.objects.filter(pk=slot.pk).update(booked=F("capacity"))
    # when
    response = citizen_client.post(url, {"slot": slot.pk})
    # then
    assert response.status_code == 200
    assert f'href="#id_slot_0">{_html(refusals.SLOT_FULL.message)}' in response.text
    assert Booking.objects.count() == 0


# --- a closure moved the booking: the kept place (X-3) -------------------------------------------


def test_x3_moved_booking_offers_the_kept_place_in_the_booking_pages(
    citizen_client, person, department, referral, sent
):
    # given: a booking, then the department closes that day (the person gets first choice)
    booking = _book(referral, person, department)
    day = booking.day
    services.reception_exception_save(
        exception=ReceptionException(
            department=department, kind=ReceptionException.Kind.DAY_OFF, starts_on=day, ends_on=day
        )
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.TO_REBOOK
    held = booking.held_slot
    assert held is not None
    # the kept place looks taken to everyone else
    assert all(s.pk != held.pk for s in services_free_slots(department, held.day))
    # when / then: the cabinet leads to a new time, the date page names the kept place
    cabinet = citizen_client.get("/en/queue/").text
    assert f"/en/queue/book/{referral.public_id}/" in cabinet
    date_page = citizen_client.get(f"/en/queue/book/{referral.public_id}/").text
    assert "is kept for you" in date_page
    assert f'value="{held.day.isoformat()}"' in date_page
    time_page = citizen_client.get(f"/en/queue/book/{referral.public_id}/{held.day.isoformat()}/").text
    assert f'value="{held.pk}"' in time_page
    # and taking it books the person there
    response = citizen_client.post(f"/en/queue/book/{referral.public_id}/{held.day.isoformat()}/", {"slot": held.pk})
    assert response.status_code == 302
    new = Booking.objects.get(referral=referral, status=Booking.Status.BOOKED)
    assert new.slot_id == held.pk
    booking.refresh_from_db()
    assert booking.held_slot_id is None
    assert booking.rebooked_as_id == new.pk


def services_free_slots(department, day):
    from queue_booking import selectors

    return [s for s in selectors.available_slots(department=department, day=day) if s.free]


def test_x3_day_off_entered_in_the_core_calendar_moves_that_days_bookings(
    admin_client, person, department, referral, sent
):
    # given: a booking on the first free day
    booking = _book(referral, person, department)
    day = booking.day
    # when: staff declare that day a day off in the core working calendar (the admin)
    response = admin_client.post(
        "/en/admin/workcal/calendarexception/add/",
        {"date": day.isoformat(), "kind": "day_off", "name_ru": "Перенос", "legal_basis": "Постановление"},
        follow=True,
    )
    # then: the booking moved to "to rebook" with an SMS, and staff are told so
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.TO_REBOOK
    assert [m["template"] for m in sent if m["template"] == "queue_rebook"] == ["queue_rebook"]
    assert "1 booking of the electronic queue fell on a day that is no longer a working day" in response.text
    assert not Slot.objects.filter(department=department, day=day, capacity__gt=0).exists()
