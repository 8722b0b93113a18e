"""X-9: every read of a person's personal data by staff or an integrator is logged (who, when, what,
why), and the person, or their representative for a ward, sees that log in the cabinet."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accesslog import tasks
from portal.accesslog.models import PersonalDataAccess
from portal.accesslog.services import personal_data_access_record
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.beat import beat_schedule
from queue_booking.models import Booking
from queue_booking.services.tickets import ticket_number_next
from tests.factories import (
    AtuFactory,
    DepartmentFactory,
    GuardianshipFactory,
    IntegratorFactory,
    MedicalOrganisationFactory,
    PersonFactory,
    ReferralFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

LOG_INSERT = 'INSERT INTO "accesslog_personaldataaccess"'


def log_inserts(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith(LOG_INSERT))


@pytest.fixture(autouse=True)
def _page_settings(settings):
    # As in production: Russian without a prefix, /kk/ and /en/ prefixed (see test_pages.py).
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def area():
    atu = AtuFactory(region=RegionFactory())
    return atu, DepartmentFactory(region=atu.region, atus=[atu], number=7)


def desk_staff(department, **fields) -> User:
    user = User.objects.create(username=f"desk-{User.objects.count()}", department=department, **fields)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    return user


def staff(role: str, **fields) -> User:
    user = User.objects.create(username=f"{role}-{User.objects.count()}", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def citizen_user(person) -> User:
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


def today_booking(department, person, *, minutes_ahead: int = 60, booked_by=None) -> Booking:
    starts_at = timezone.now() + dt.timedelta(minutes=minutes_ahead)
    sequence, ticket = ticket_number_next(department=department, day=timezone.localdate())
    return Booking.objects.create(
        referral=ReferralFactory(person=person),
        person=person,
        booked_by=booked_by or person,
        department=department,
        day=timezone.localdate(),
        starts_at=starts_at,
        ticket_sequence=sequence,
        ticket_number=ticket,
        status=Booking.Status.BOOKED,
        kind=Booking.Kind.BOOKED,
    )


# --- recording ------------------------------------------------------------------------------------


def test_x9_staff_desk_records_a_read_of_each_listed_person_in_one_insert(client, area):
    # given: three people in today's queue of the department
    _atu, department = area
    people = [PersonFactory() for _ in range(3)]
    for i, person in enumerate(people):
        today_booking(department, person, minutes_ahead=30 + i)
    user = desk_staff(department)
    client.force_login(user)
    # when
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/en/queue/staff/")
    # then: one row per listed person, written by one statement
    assert response.status_code == 200
    assert log_inserts(ctx) == 1
    rows = PersonalDataAccess.objects.all()
    assert sorted(r.person_id for r in rows) == sorted(p.pk for p in people)
    for row in rows:
        assert row.actor_id == user.pk
        assert row.actor_kind == "department_staff"
        assert row.department_id == department.pk
        assert row.integrator_id is None
        assert (row.subject, row.purpose, row.channel) == ("queue", "queue_service", "page")


def test_x9_integrator_api_read_is_recorded_with_the_integrator(api_client, integrator):
    # given: a referral from the integrator's own medical organisation
    referral = ReferralFactory(medical_organisation=MedicalOrganisationFactory(integrator=integrator))
    # when
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.get(f"/api/v1/referrals/{referral.public_id}/")
    # then
    assert response.status_code == 200
    assert log_inserts(ctx) == 1
    row = PersonalDataAccess.objects.get()
    assert row.person_id == referral.person_id
    assert row.actor_id == integrator.user_id
    assert row.actor_kind == "integrator"
    assert row.integrator_id == integrator.pk
    assert (row.subject, row.purpose, row.channel) == ("referral", "referral_intake", "api")
    # the object is named by its public id, never by the person's IIN
    assert (row.object_label, row.object_id) == ("referrals.referral", str(referral.public_id))
    assert referral.person.iin not in row.object_id


def test_x9_staff_api_queue_read_records_each_person_once(area):
    # given: department staff signed in, two people in today's queue
    _atu, department = area
    first, second = PersonFactory(), PersonFactory()
    today_booking(department, first, minutes_ahead=30)
    today_booking(department, second, minutes_ahead=40)
    api = APIClient()
    api.force_authenticate(desk_staff(department))
    # when
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"/api/v1/queue/departments/{department.pk}/queue/")
    # then
    assert response.status_code == 200
    assert log_inserts(ctx) == 1
    rows = list(PersonalDataAccess.objects.values_list("person_id", "channel", "subject"))
    assert sorted(rows) == sorted([(first.pk, "api", "queue"), (second.pk, "api", "queue")])


def test_x9_admin_change_view_records_the_person_shown(client, area):
    # given: department staff opening a referral of a person registered in their area
    atu, department = area
    user = staff(Role.DEPARTMENT_STAFF, department=department)
    referral = ReferralFactory(person=PersonFactory(registration_atu=atu))
    client.force_login(user)
    # when
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
    # then
    assert response.status_code == 200
    assert log_inserts(ctx) == 1
    row = PersonalDataAccess.objects.get()
    assert row.person_id == referral.person_id
    assert (row.subject, row.purpose, row.channel) == ("referral", "administration", "admin")
    assert (row.actor_id, row.actor_kind, row.department_id) == (user.pk, "department_staff", department.pk)
    assert row.object_id == str(referral.public_id)


def test_x9_admin_changelist_records_the_people_on_the_page_without_a_query_per_row(client, area):
    _atu, department = area
    user = staff(Role.DEPARTMENT_STAFF, department=department)
    client.force_login(user)
    url = reverse("admin:queue_booking_booking_changelist")
    # given: two bookings of the department, and one of another department (not shown, not recorded)
    elsewhere = today_booking(DepartmentFactory(region=department.region, number=8), PersonFactory())
    first = [today_booking(department, PersonFactory(), minutes_ahead=30 + i) for i in range(2)]
    client.get(url)  # warm the session and caches
    PersonalDataAccess.objects.all().delete()
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert sorted(PersonalDataAccess.objects.values_list("person_id", flat=True)) == sorted(b.person_id for b in first)
    # when: three more bookings on the page
    more = [today_booking(department, PersonFactory(), minutes_ahead=40 + i) for i in range(3)]
    PersonalDataAccess.objects.all().delete()
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    # then: all five people recorded, in one INSERT, with as many queries as for two
    assert response.status_code == 200
    assert log_inserts(five) == 1
    recorded = sorted(PersonalDataAccess.objects.values_list("person_id", flat=True))
    assert recorded == sorted(b.person_id for b in first + more)
    assert elsewhere.person_id not in recorded
    extra = sorted({q["sql"] for q in five.captured_queries} - {q["sql"] for q in two.captured_queries})
    assert len(five.captured_queries) == len(two.captured_queries), extra
    assert set(PersonalDataAccess.objects.values_list("subject", "channel")) == {("booking", "admin")}


def test_x9_own_read_and_a_representatives_read_of_a_ward_are_not_recorded(area):
    # given: a representative with a ward, each with a booking
    _atu, department = area
    parent = PersonFactory()
    ward = GuardianshipFactory(representative=parent, ward=PersonFactory()).ward
    today_booking(department, parent)
    ward_booking = today_booking(department, ward, booked_by=parent)
    api = APIClient()
    api.force_authenticate(citizen_user(parent))
    # when: they read their own and the ward's bookings
    listed = api.get("/api/v1/queue/bookings/")
    detail = api.get(f"/api/v1/queue/bookings/{ward_booking.public_id}/")
    # then: read, but nothing recorded (nobody else looked)
    assert listed.status_code == detail.status_code == 200
    assert len(listed.json()) == 2
    assert not PersonalDataAccess.objects.exists()
    # and the service itself leaves out the actor's own data and wards' for any caller
    stranger = PersonFactory()
    written = personal_data_access_record(
        actor=citizen_user(ward),
        persons=[ward, parent, stranger],
        subject="person",
        purpose="administration",
        channel="page",
    )
    assert written == 2  # the ward reading their representative's data is someone else looking
    assert set(PersonalDataAccess.objects.values_list("person_id", flat=True)) == {parent.pk, stranger.pk}


# --- the cabinet ----------------------------------------------------------------------------------


def _read(person, *, by: User, at: dt.datetime, integrator=None) -> None:
    personal_data_access_record(
        actor=by,
        persons=[person],
        subject="booking",
        purpose="booking_on_behalf",
        channel="api" if integrator else "page",
        integrator=integrator,
        now=at,
    )


def test_x9_cabinet_shows_the_persons_and_wards_reads_never_another_persons(client, area):
    # given: reads of the citizen's data, of their ward's, of a former ward's and of a stranger's
    _atu, department = area
    parent = PersonFactory()
    ward = GuardianshipFactory(representative=parent, ward=PersonFactory(first_name="Айгерим")).ward
    former = GuardianshipFactory(
        representative=parent,
        ward=PersonFactory(first_name="Бывший"),
        valid_from=dt.date(2010, 1, 1),
        valid_until=dt.date(2015, 1, 1),
    ).ward
    stranger = PersonFactory()
    desk = desk_staff(department, first_name="Гульнара", last_name="Сатпаева")
    own_mis = IntegratorFactory(name="Damumed of City Hospital 1")
    ward_mis = IntegratorFactory(name="KMIS of Children's Hospital 2")
    other_mis = IntegratorFactory(name="Unrelated MIS")
    now = timezone.now()
    _read(parent, by=desk, at=now - dt.timedelta(hours=2))
    _read(parent, by=own_mis.user, at=now - dt.timedelta(hours=1), integrator=own_mis)
    _read(ward, by=ward_mis.user, at=now, integrator=ward_mis)
    _read(former, by=other_mis.user, at=now, integrator=other_mis)
    _read(stranger, by=other_mis.user, at=now, integrator=other_mis)
    client.force_login(citizen_user(parent))
    # when
    response = client.get("/en/my-data-access/")
    html = response.content.decode()
    # then: own and the ward's reads, newest first, by organisation and role
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    positions = [html.index(name) for name in ("KMIS of Children", "Damumed of City Hospital 1", "Отдел МСЭ № 7")]
    assert positions == sorted(positions)
    assert "MSE department staff" in html
    assert "information system" in html
    assert "Айгерим" in html  # whose data: the ward's
    # never another person's, nor a former ward's, and never the staff member's own name
    assert "Unrelated MIS" not in html
    assert "Бывший" not in html
    assert "Сатпаева" not in html
    assert "Гульнара" not in html
    # an accessible table
    assert re.search(r"<caption>Reads of personal data, newest first", html)
    assert '<th scope="col">Organisation</th>' in html
    assert '<th scope="row">' in html


def test_x9_cabinet_is_paginated_newest_first_and_linked_from_the_cabinet(client, area):
    _atu, department = area
    person = PersonFactory()
    desk = desk_staff(department)
    start = timezone.now() - dt.timedelta(days=40)
    for day in range(30):
        _read(person, by=desk, at=start + dt.timedelta(days=day))
    client.force_login(citizen_user(person))
    first = client.get("/en/my-data-access/").content.decode()
    second = client.get("/en/my-data-access/?page=2").content.decode()
    assert first.count('<th scope="row">') == 25
    assert second.count('<th scope="row">') == 5
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    newest = timezone.localtime(start + dt.timedelta(days=29))
    oldest = timezone.localtime(start)
    assert f"{newest.day} " in first.split('<th scope="row">')[1][:20]
    assert f"{oldest.day} " in second.split('<th scope="row">')[-1][:20]
    # the cabinet links to it
    assert 'href="/en/my-data-access/"' in client.get("/en/queue/").content.decode()


def test_x9_cabinet_renders_in_each_language_and_only_for_citizens(client, area):
    _atu, department = area
    person = PersonFactory()
    client.force_login(citizen_user(person))
    for path, lang in (("/kk/my-data-access/", "kk"), ("/my-data-access/", "ru"), ("/en/my-data-access/", "en")):
        response = client.get(path)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
    # staff accounts have no cabinet
    client.force_login(desk_staff(department))
    assert client.get("/en/my-data-access/").status_code == 403


# --- the log itself ---------------------------------------------------------------------------------


def test_x9_the_log_is_read_only_in_the_admin_and_reading_it_is_recorded(client, area):
    _atu, department = area
    person = PersonFactory()
    _read(person, by=desk_staff(department), at=timezone.now())
    row = PersonalDataAccess.objects.get()
    committee = staff(Role.COMMITTEE_STAFF)
    client.force_login(committee)
    # committee staff read it
    listing = client.get(reverse("admin:accesslog_personaldataaccess_changelist"))
    assert listing.status_code == 200
    # nobody adds, changes or deletes a row
    assert client.get(reverse("admin:accesslog_personaldataaccess_add")).status_code == 403
    assert (
        client.post(reverse("admin:accesslog_personaldataaccess_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )
    client.post(reverse("admin:accesslog_personaldataaccess_change", args=[row.pk]), {"subject": "consent"})
    row.refresh_from_db()
    assert row.subject == "booking"
    # reading the log is itself a read of the person's data
    reads = PersonalDataAccess.objects.filter(actor=committee)
    assert [(r.person_id, r.subject, r.actor_kind) for r in reads] == [(person.pk, "access_log", "committee")]


def test_x9_rows_older_than_the_retention_are_purged_daily(settings, area):
    _atu, department = area
    settings.ACCESS_LOG_RETENTION_DAYS = 1096
    person = PersonFactory()
    desk = desk_staff(department)
    now = timezone.now()
    _read(person, by=desk, at=now - dt.timedelta(days=1097))
    _read(person, by=desk, at=now - dt.timedelta(days=1095))
    assert tasks.purge_expired_task.delay().get() == 1
    assert [r.accessed_at for r in PersonalDataAccess.objects.all()] == [now - dt.timedelta(days=1095)]
    # the beat runs it every day
    task, cron, _why = beat_schedule()["accesslog: purge expired"]
    assert task == "accesslog.purge_expired"
    assert cron == {"minute": "30", "hour": "3"}
