"""The admin (month view, closure confirmation, Q-3 warning, incident deadline) and the demo seed."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.roles import Role
from queue_booking import demo, services
from queue_booking.models import Booking, Incident, Pilot, ReceptionException, ReceptionSchedule, Slot
from tests.factories import PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db, settings):
    # As in production: Russian without a prefix. The admin is read in English under /en/, so the
    # URL resolver's per-language cache is filled the same way as the page tests expect.
    settings.LANGUAGE_CODE = "ru"
    user = User.objects.create_superuser(username="root", password="x")
    client.force_login(user)
    return client


@pytest.fixture
def today_setup(db):
    """Pilot and schedule around the real today (the admin uses the real clock)."""
    out = io.StringIO()
    demo.seed(stdout=out)
    department = Slot.objects.first().department
    return department


def test_q3_admin_month_view_shows_the_calendar(admin_client, today_setup):
    schedule = ReceptionSchedule.objects.filter(department=today_setup).first()
    month = timezone.localdate().replace(day=1)
    r = admin_client.get(f"/en/admin/queue_booking/receptionschedule/{schedule.pk}/month/?month={month:%Y-%m}")
    assert r.status_code == 200
    body = r.content.decode()
    assert "queue-month" in body
    assert "09:00" in body
    assert "14:30" in body


def test_x3_admin_closure_asks_for_confirmation_then_moves_bookings(admin_client, today_setup, sent):
    department = today_setup
    booking = Booking.objects.filter(department=department, status=Booking.Status.BOOKED).order_by("starts_at").first()
    day = booking.day
    form = {
        "department": department.pk,
        "kind": ReceptionException.Kind.BUSINESS_TRIP,
        "starts_on": f"{day:%Y-%m-%d}",
        "ends_on": f"{day:%Y-%m-%d}",
        "capacity_per_slot": 0,
        "note": "field session",
    }
    # first save: the affected people are shown, nothing is saved
    r = admin_client.post("/en/admin/queue_booking/receptionexception/add/", form)
    assert r.status_code == 200
    assert booking.person.full_name in r.content.decode()
    assert not ReceptionException.objects.exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    # confirmed: saved, booking moved, person told
    r = admin_client.post("/en/admin/queue_booking/receptionexception/add/", {**form, "confirm": "on"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.TO_REBOOK
    assert booking.person in [m["recipient"] for m in sent.of("queue_rebook")]
    r = admin_client.get("/en/admin/queue_booking/booking/?status__exact=to_rebook")
    assert booking.ticket_number in r.content.decode()


def test_q3_admin_warns_from_15_december(admin_client, db, monkeypatch):
    from queue_booking import admin as queue_admin
    from tests.factories import DepartmentFactory, RegionFactory

    region = RegionFactory()
    Pilot.objects.create(name="p", starts_on=dt.date(2025, 11, 22), ends_on=dt.date(2027, 11, 21)).regions.add(region)
    department = DepartmentFactory(region=region, number=7)
    real = queue_admin.selectors.schedule_warning
    monkeypatch.setattr(queue_admin.selectors, "schedule_warning", lambda today=None: real(today=dt.date(2026, 12, 16)))
    r = admin_client.get("/en/admin/queue_booking/receptionschedule/", follow=True)
    body = r.content.decode()
    assert "No reception schedule for 2027" in body
    assert department.name_ru in body


def test_q13_admin_shows_overdue_incidents(admin_client, db):
    services.incident_record(incident=Incident(title="Late SMS", found_at=timezone.now() - dt.timedelta(days=30)))
    services.incident_record(incident=Incident(title="Fresh one", found_at=timezone.now()))
    body = admin_client.get("/en/admin/queue_booking/incident/").content.decode()
    assert "OVERDUE" in body
    assert "Fresh one" in body


def test_q13_admin_records_incident_with_deadline(admin_client, db):
    r = admin_client.post(
        "/en/admin/queue_booking/incident/add/",
        {"title": "Slots missing", "description": "", "found_at_0": "2026-12-11", "found_at_1": "15:00:00"},
    )
    assert r.status_code == 302
    incident = Incident.objects.get()
    assert timezone.localtime(incident.report_due_at).date() == dt.date(2026, 12, 17)


def test_admin_pages_answer(admin_client, today_setup):
    for model in ("pilot", "receptionschedule", "receptionexception", "slot", "booking", "waitlistentry", "incident"):
        assert admin_client.get(f"/en/admin/queue_booking/{model}/").status_code == 200, model
    booking = Booking.objects.first()
    assert admin_client.get(f"/en/admin/queue_booking/booking/{booking.pk}/change/").status_code == 200


def test_staff_roles_get_queue_permissions(db):
    dept = Group.objects.get(name=Role.DEPARTMENT_STAFF)
    provider = Group.objects.get(name=Role.PROVIDER_STAFF)
    assert dept.permissions.filter(codename="view_booking").exists()
    assert not dept.permissions.filter(codename="add_receptionexception").exists()
    assert provider.permissions.filter(codename="add_receptionexception").exists()


def test_demo_seed_is_idempotent(db):
    out = io.StringIO()
    demo.seed(stdout=out)
    counts = (Pilot.objects.count(), Slot.objects.count(), Booking.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Pilot.objects.count(), Slot.objects.count(), Booking.objects.count()) == counts
    assert Booking.objects.count() >= 3
    today = timezone.localdate()
    assert Pilot.objects.filter(starts_on__lte=today, ends_on__gte=today, regions__kato="110000000").exists()
    assert "electronic queue demo" in out.getvalue()


def test_demo_booking_flow_works_for_a_new_person(db):
    demo.seed(stdout=io.StringIO())
    department = Slot.objects.first().department
    person = PersonFactory(registration_atu=department.atus.first())
    referral = ReferralFactory(person=person)
    assert services.booking_eligibility(referral=referral, actor=person) == department
