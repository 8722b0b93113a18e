"""The queue's API: citizens by session, integrators by token and IIN, staff desk operations.

The API runs on the real clock, so these tests build the pilot and schedule around today.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.accounts.services import api_token_create
from queue_booking import selectors
from queue_booking.models import Booking, Pilot, ReceptionSchedule
from queue_booking.scopes import QueueScope
from queue_booking.services import reception_schedule_publish
from tests.factories import AtuFactory, DepartmentFactory, PersonFactory, ReferralFactory, RegionFactory
from tests.queue_booking.conftest import consenting, working_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(db):
    """A pilot in force today, a department with a schedule for this year and next, and a citizen with
    a referral who has consented to the processing of personal data (Q-12)."""
    region = RegionFactory()
    pilot = Pilot.objects.create(
        name="pilot",
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=300),
    )
    pilot.regions.add(region)
    atu = AtuFactory(region=region)
    department = DepartmentFactory(region=region, atus=[atu], number=5)
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        reception_schedule_publish(schedule=ReceptionSchedule.objects.create(department=department, year=year))
    person = consenting(PersonFactory(registration_atu=atu))
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    referral = ReferralFactory(person=person)
    return {"department": department, "person": person, "user": user, "referral": referral, "atu": atu}


@pytest.fixture
def citizen_api(live):
    c = APIClient()
    c.force_authenticate(live["user"])
    return c


def _first_slot(live):
    dates = selectors.available_dates(department=live["department"])
    return selectors.available_slots(department=live["department"], day=dates[1])[0]


def test_q6_api_availability_lists_dates_and_times(citizen_api, live):
    url = f"/api/v1/queue/referrals/{live['referral'].public_id}/availability/"
    body = citizen_api.get(url).json()
    assert body["department"]["number"] == 5
    assert len(body["dates"]) > 20
    day = body["dates"][1]
    body = citizen_api.get(url, {"date": day}).json()
    assert [s["free"] for s in body["slots"]] == [1] * len(body["slots"])
    assert body["slots"][0]["starts_at"].startswith(day)


def test_q6_api_availability_answers_in_the_documented_output_format(citizen_api, live):
    """The view builds its answer by hand (it is the hottest read): it must equal what the documented
    ``Output`` serializer gives for the same department, dates and slots."""
    from queue_booking.apis import AvailabilityApi

    url = f"/api/v1/queue/referrals/{live['referral'].public_id}/availability/"
    dates = selectors.available_dates(department=live["department"])
    slots = selectors.available_slots(department=live["department"], day=dates[1])
    expected = AvailabilityApi.Output({"department": live["department"], "dates": dates, "slots": slots}).data
    body = citizen_api.get(url, {"date": dates[1].isoformat()}).json()
    assert body == expected
    assert body["slots"][0]["starts_at"].endswith("+05:00")  # Almaty's clock, as the serializer writes it


def test_q6_api_availability_takes_a_bounded_number_of_queries(citizen_api, live, django_assert_max_num_queries):
    # a department with this year's and next year's schedule (a full year of slots); its speed is
    # measured in bench/bench_booking.py (availability), not here
    url = f"/api/v1/queue/referrals/{live['referral'].public_id}/availability/"
    citizen_api.get(url)
    with django_assert_max_num_queries(10):
        assert citizen_api.get(url).status_code == 200


def test_q7_api_citizen_books_reads_and_cancels(citizen_api, live, sent):
    slot = _first_slot(live)
    r = citizen_api.post(
        "/api/v1/queue/bookings/create/", {"referral_id": str(live["referral"].public_id), "slot_id": slot.pk}
    )
    assert r.status_code == 201, r.json()
    booking = r.json()
    assert booking["status"] == "booked"
    assert booking["ticket_number"].startswith("05-")
    assert booking["can_cancel"] is True
    assert sent.templates == ["queue_booked"]
    listed = citizen_api.get("/api/v1/queue/bookings/").json()
    assert [b["id"] for b in listed] == [booking["id"]]
    assert (
        citizen_api.get(f"/api/v1/queue/bookings/{booking['id']}/").json()["ticket_number"] == booking["ticket_number"]
    )
    r = citizen_api.post(f"/api/v1/queue/bookings/{booking['id']}/cancel/", {})
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    # cancelling twice is refused with the rule's code
    r = citizen_api.post(f"/api/v1/queue/bookings/{booking['id']}/cancel/", {})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "cannot_cancel"


def test_q9_api_second_booking_refused_with_one_error_body(citizen_api, live):
    slot = _first_slot(live)
    payload = {"referral_id": str(live["referral"].public_id), "slot_id": slot.pk}
    assert citizen_api.post("/api/v1/queue/bookings/create/", payload).status_code == 201
    r = citizen_api.post("/api/v1/queue/bookings/create/", payload)
    assert r.status_code == 409
    (err,) = r.json()["errors"]
    assert err["code"] == "already_booked"
    assert err["field"] == "referral"
    assert "already has an active booking" in err["message"]


def test_q5_api_someone_elses_referral_refused(live):
    stranger = PersonFactory(registration_atu=live["atu"])
    user = User.objects.create(username="stranger", person=stranger)
    c = APIClient()
    c.force_authenticate(user)
    r = c.post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(live["referral"].public_id), "slot_id": _first_slot(live).pk},
    )
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "not_representative"
    assert not Booking.objects.exists()
    # someone else's booking cannot be read either
    assert c.get(f"/api/v1/queue/bookings/{live['referral'].public_id}/").status_code == 404


def test_q7_api_integrator_acts_for_a_citizen_by_iin(live, integrator):
    # the referral comes from one of the integrator's own medical organisations
    live["referral"].medical_organisation.integrator = integrator
    live["referral"].medical_organisation.save()
    _token, key = api_token_create(
        integrator=integrator, name="egov", scopes=[QueueScope.BOOKINGS_READ, QueueScope.BOOKINGS_WRITE]
    )
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # without the citizen's IIN
    r = c.get("/api/v1/queue/bookings/")
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "citizen_iin_required"
    r = c.post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(live["referral"].public_id), "slot_id": _first_slot(live).pk},
        HTTP_X_CITIZEN_IIN=live["person"].iin,
    )
    assert r.status_code == 201, r.json()
    assert len(c.get("/api/v1/queue/bookings/", HTTP_X_CITIZEN_IIN=live["person"].iin).json()) == 1


def test_q7_api_token_without_write_scope_refused(live, integrator):
    _token, key = api_token_create(integrator=integrator, name="read-only", scopes=[QueueScope.BOOKINGS_READ])
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    r = c.post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(live["referral"].public_id), "slot_id": 1},
        HTTP_X_CITIZEN_IIN=live["person"].iin,
    )
    assert r.status_code == 403
    assert not Booking.objects.exists()


def test_q11_api_staff_queue_check_in_serve_and_walk_in(live, citizen_api):
    department = live["department"]
    staff = User.objects.create(username="desk5", department=department)
    staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    # a booking for today is needed: take a slot later today if there is one, else skip the check-in part
    c = APIClient()
    c.force_authenticate(staff)
    walk_person = PersonFactory(registration_atu=live["atu"])
    ReferralFactory(person=walk_person)
    working_today()  # walk-ins only on working days
    r = c.post(f"/api/v1/queue/departments/{department.pk}/walk-ins/", {"person_iin": walk_person.iin})
    assert r.status_code == 201, r.json()
    entry = r.json()
    assert entry["kind"] == "walk_in"
    assert entry["status"] == "arrived"
    queue = c.get(f"/api/v1/queue/departments/{department.pk}/queue/").json()
    assert [q["id"] for q in queue] == [entry["id"]]
    r = c.post(f"/api/v1/queue/bookings/{entry['id']}/served/")
    assert r.status_code == 200
    assert r.json()["status"] == "served"
    # a forged ticket number
    r = c.post(f"/api/v1/queue/departments/{department.pk}/check-in/", {"code": "05-0101-999"})
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "ticket_unknown"
    # citizens cannot use the desk
    r = citizen_api.get(f"/api/v1/queue/departments/{department.pk}/queue/")
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "not_staff"


def test_api_schema_lists_the_queue(client):
    body = client.get("/api/schema/").content
    assert b"/api/v1/queue/bookings/create/" in body
    assert b"/api/v1/queue/departments/{department_id}/check-in/" in body
