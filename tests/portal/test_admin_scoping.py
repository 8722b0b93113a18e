"""Q-12: in the Django admin, department and provider staff see the personal data of their area only.

Two regions. In region A, department A1 maps district A1 (and so its rural okrugs), department A2
maps district A2 and one okrug of district A1 (the nearer mapping wins); region B has department B.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from portal import messaging
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.consent.models import Consent
from portal.consent.services import consent_give
from portal.territory.models import Atu
from queue_booking.models import Booking, Incident, ReceptionException, ReceptionSchedule
from tests.factories import (
    AtuFactory,
    DepartmentFactory,
    GuardianshipFactory,
    PersonFactory,
    ReferralFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


@pytest.fixture
def area():
    region_a = RegionFactory()
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    district_a1 = AtuFactory(region=region_a)
    okrug_a1 = AtuFactory(region=region_a, parent=district_a1, kind=Atu.Kind.RURAL_OKRUG)
    settlement_a1 = AtuFactory(region=region_a, parent=okrug_a1, kind=Atu.Kind.SETTLEMENT)
    okrug_a1_to_a2 = AtuFactory(region=region_a, parent=district_a1, kind=Atu.Kind.RURAL_OKRUG)
    district_a2 = AtuFactory(region=region_a)
    district_b = AtuFactory(region=region_b)
    a1 = DepartmentFactory(region=region_a, atus=[district_a1])
    a2 = DepartmentFactory(region=region_a, atus=[district_a2, okrug_a1_to_a2])
    b = DepartmentFactory(region=region_b, atus=[district_b])
    return SimpleNamespace(
        region_a=region_a,
        region_b=region_b,
        a1=a1,
        a2=a2,
        b=b,
        # served by A1 through the district (two levels up for the settlement)
        person_a1=PersonFactory(registration_atu=okrug_a1),
        person_a1_deep=PersonFactory(registration_atu=settlement_a1),
        # in district A1, but their okrug is mapped to A2: the nearest mapping wins
        person_a2_okrug=PersonFactory(registration_atu=okrug_a1_to_a2),
        person_a2=PersonFactory(registration_atu=district_a2),
        person_b=PersonFactory(registration_atu=district_b),
        person_unregistered=PersonFactory(registration_atu=None),
    )


def staff(role: str, *perms: str, **scope) -> User:
    user = User.objects.create(username=f"{role}-{User.objects.count()}", is_staff=True, **scope)
    user.groups.add(Group.objects.get(name=role))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def page(client, user, name: str, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(f"admin:{name}", args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def booking(department, person, ticket: str) -> Booking:
    starts_at = timezone.now() + dt.timedelta(days=3)
    return Booking.objects.create(
        person=person,
        department=department,
        day=timezone.localdate(starts_at),
        starts_at=starts_at,
        ticket_sequence=1,
        ticket_number=ticket,
    )


@pytest.fixture
def bookings(area):
    return SimpleNamespace(
        a1=booking(area.a1, area.person_a1, "A1-0417"),
        a2=booking(area.a2, area.person_a2, "A2-0523"),
        b=booking(area.b, area.person_b, "B-0619"),
    )


def test_q12_department_staff_see_only_their_departments_bookings_in_the_admin(client, area, bookings):
    # given: department A1's staff; a booking of A1 for a person registered in region B
    visiting = booking(area.a1, area.person_b, "A1-0733")
    user = staff(Role.DEPARTMENT_STAFF, department=area.a1)
    # when
    html = page(client, user, "queue_booking_booking_changelist")
    # then: A1's bookings only, whoever the person is
    assert bookings.a1.ticket_number in html
    assert visiting.ticket_number in html
    assert bookings.a2.ticket_number not in html
    assert bookings.b.ticket_number not in html
    assert area.person_a2.iin not in html
    # and the superuser sees every one
    html = page(client, User.objects.create_superuser(username="root"), "queue_booking_booking_changelist")
    for b in (bookings.a1, bookings.a2, bookings.b, visiting):
        assert b.ticket_number in html


def test_q12_department_staff_cannot_open_another_departments_booking(client, area, bookings):
    user = staff(Role.DEPARTMENT_STAFF, department=area.a1)
    client.force_login(user)
    # their own booking opens
    own = client.get(reverse("admin:queue_booking_booking_change", args=[bookings.a1.pk]))
    assert own.status_code == 200
    assert bookings.a1.ticket_number in own.content.decode()
    # another department's answers as a missing object: back to the admin index, nothing shown
    for name in ("queue_booking_booking_change", "queue_booking_booking_history"):
        response = client.get(reverse(f"admin:{name}", args=[bookings.b.pk]), follow=True)
        assert response.redirect_chain == [(reverse("admin:index"), 302)]
        html = response.content.decode()
        assert "doesn’t exist" in html
        assert bookings.b.ticket_number not in html
        assert area.person_b.iin not in html
    # an action posted with another department's id does not reach it
    client.post(
        reverse("admin:queue_booking_booking_changelist"),
        {"action": "annul_late", "_selected_action": [bookings.b.pk]},
    )
    bookings.b.refresh_from_db()
    assert bookings.b.status == Booking.Status.BOOKED


def test_q12_department_staff_cannot_open_another_departments_calendar(client, area):
    own = ReceptionSchedule.objects.create(department=area.a1, year=timezone.localdate().year)
    other = ReceptionSchedule.objects.create(department=area.b, year=timezone.localdate().year)
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a1))
    assert client.get(reverse("admin:queue_booking_receptionschedule_month", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:queue_booking_receptionschedule_month", args=[other.pk])).status_code == 404


def test_q12_department_staff_hear_only_of_their_own_missing_schedule(client, area, monkeypatch):
    from queue_booking import admin as queue_admin

    # given: it is mid-December and neither A1 nor B has next year's schedule
    monkeypatch.setattr(queue_admin.selectors, "schedule_warning", lambda: (2027, [area.a1, area.b]))
    # then: A1's staff are told of A1 only
    html = page(client, staff(Role.DEPARTMENT_STAFF, department=area.a1), "queue_booking_receptionschedule_changelist")
    assert "No reception schedule for 2027" in html
    assert str(area.a1) in html
    assert str(area.b) not in html
    # and A2's staff, whose schedule is there, are not warned at all
    html = page(client, staff(Role.DEPARTMENT_STAFF, department=area.a2), "queue_booking_receptionschedule_changelist")
    assert "No reception schedule" not in html


def test_q12_provider_staff_see_their_regions_departments(client, area, bookings):
    # given: provider staff of region A; incidents of A2, of B, and one of the whole pilot
    user = staff(Role.PROVIDER_STAFF, region=area.region_a)
    Incident.objects.create(title="Printer of A2 broken", department=area.a2, report_due_at=timezone.now())
    Incident.objects.create(title="Door of B jammed", department=area.b, report_due_at=timezone.now())
    Incident.objects.create(title="SMS gateway down", report_due_at=timezone.now())
    trip_b = ReceptionException.objects.create(
        department=area.b,
        kind=ReceptionException.Kind.BUSINESS_TRIP,
        starts_on=dt.date(2031, 1, 6),
        ends_on=dt.date(2031, 1, 6),
    )
    # then: both departments of region A, not region B
    html = page(client, user, "queue_booking_booking_changelist")
    assert bookings.a1.ticket_number in html
    assert bookings.a2.ticket_number in html
    assert bookings.b.ticket_number not in html
    html = page(client, user, "queue_booking_incident_changelist")
    assert "Printer of A2 broken" in html
    assert "SMS gateway down" in html  # no department: the provider's concern
    assert "Door of B jammed" not in html
    html = page(client, user, "people_person_changelist")
    for person in (area.person_a1, area.person_a1_deep, area.person_a2_okrug, area.person_a2):
        assert person.iin in html
    assert area.person_b.iin not in html
    assert area.person_unregistered.iin not in html
    # region B's business trip cannot be deleted: it answers as a missing object
    response = client.post(reverse("admin:queue_booking_receptionexception_delete", args=[trip_b.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert ReceptionException.objects.filter(pk=trip_b.pk).exists()
    # department staff do not see the incident without a department
    html = page(client, staff(Role.DEPARTMENT_STAFF, department=area.a2), "queue_booking_incident_changelist")
    assert "Printer of A2 broken" in html
    assert "SMS gateway down" not in html


def test_q12_department_staff_see_only_people_registered_in_their_area(client, area):
    # given: an okrug both A1 and A2 map
    shared = AtuFactory(region=area.region_a, kind=Atu.Kind.RURAL_OKRUG)
    area.a1.atus.add(shared)
    area.a2.atus.add(shared)
    person_shared = PersonFactory(registration_atu=shared)
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a1))
    # when
    response = client.get(reverse("admin:people_person_changelist"))
    html = response.content.decode()
    # then: registered in district A1 (its okrugs and settlements too), or in a unit A1 maps
    assert area.person_a1.iin in html
    assert area.person_a1_deep.iin in html
    assert list(response.context["cl"].result_list).count(person_shared) == 1
    # not in an okrug of district A1 that A2 maps, nor elsewhere, nor without registration
    for person in (area.person_a2_okrug, area.person_a2, area.person_b, area.person_unregistered):
        assert person.iin not in html
    # A2 sees its own okrug inside district A1, and not the rest of that district
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a2))
    html = client.get(reverse("admin:people_person_changelist")).content.decode()
    assert area.person_a2_okrug.iin in html
    assert area.person_a2.iin in html
    assert person_shared.iin in html
    assert area.person_a1.iin not in html
    assert area.person_a1_deep.iin not in html


def test_q12_an_inactive_department_leaves_its_units_to_the_parents_department(client, area):
    # given: the okrug A2 maps inside district A1; A2 closes
    area.a2.is_active = False
    area.a2.save()
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a1))
    html = client.get(reverse("admin:people_person_changelist")).content.decode()
    # then: A1 serves that okrug again (as department_for_atu says)
    assert area.person_a2_okrug.iin in html
    assert area.person_a1.iin in html
    assert area.person_a2.iin not in html


def test_q12_department_staff_see_consents_and_guardianships_of_their_area_only(client, area):
    # given: a ward registered in A1's area and one in region B, each with a representative elsewhere
    ward_a1 = GuardianshipFactory(ward=area.person_a1, representative=area.person_b)
    ward_b = GuardianshipFactory(ward=area.person_b, representative=area.person_a1_deep)
    for subject, given_by in ((area.person_a1, area.person_a1), (area.person_b, area.person_b)):
        consent_give(
            subject=subject,
            given_by=given_by,
            scope=Consent.Scope.PERSONAL_DATA,
            purpose="MSE service",
            channel=Consent.Channel.PORTAL,
        )
    user = staff(Role.DEPARTMENT_STAFF, "consent.view_consent", department=area.a1)
    # when
    client.force_login(user)
    response = client.get(reverse("admin:people_guardianship_changelist"))
    # then: by the ward's registration
    assert list(response.context["cl"].result_list) == [ward_a1]
    assert client.get(reverse("admin:people_guardianship_change", args=[ward_b.pk])).status_code == 302
    # and consents by the subject's
    html = page(client, user, "consent_consent_changelist")
    assert area.person_a1.iin in html
    assert area.person_b.iin not in html


def test_q12_department_staff_see_only_their_areas_referrals(client, area):
    # given
    own = ReferralFactory(person=area.person_a1_deep, external_id="031-OWN-17")
    other = ReferralFactory(person=area.person_a2_okrug, external_id="031-A2-29")
    far = ReferralFactory(person=area.person_b, external_id="031-FAR-43")
    user = staff(Role.DEPARTMENT_STAFF, department=area.a1)
    # when
    html = page(client, user, "referrals_referral_changelist")
    # then
    assert own.external_id in html
    assert other.external_id not in html
    assert far.external_id not in html
    client.force_login(user)
    assert client.get(reverse("admin:referrals_referral_change", args=[far.pk])).status_code == 302
    # the person autocomplete of the referral form offers people of the area only
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "referrals", "model_name": "referral", "field_name": "person", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert area.person_a1.pk in ids
    assert area.person_b.pk not in ids


def test_q12_department_staff_see_only_their_departments_messages(client, area):
    # given: a message of each department, and one of no department (a sign-in code, say)
    sent = {
        key: messaging.notify(
            recipient=person, template="queue_invited", context=INVITE, dedupe_key=f"scope-{key}", department=dep
        )
        for key, person, dep in (
            ("a1", area.person_a1, area.a1),
            ("a2", area.person_a2, area.a2),
            ("b", area.person_b, area.b),
            ("none", area.person_a1_deep, None),
        )
    }
    url = reverse("admin:notifications_message_changelist")
    # when: department A1's staff, allowed to read the message log
    client.force_login(staff(Role.DEPARTMENT_STAFF, "notifications.view_message", department=area.a1))
    response = client.get(url)
    # then
    assert list(response.context["cl"].result_list) == [sent["a1"]]
    assert client.get(reverse("admin:notifications_message_change", args=[sent["b"].pk])).status_code == 302
    # provider staff of region A: both its departments, still not the message of no department
    client.force_login(staff(Role.PROVIDER_STAFF, "notifications.view_message", region=area.region_a))
    assert set(client.get(url).context["cl"].result_list) == {sent["a1"], sent["a2"]}
    # the superuser: all four
    client.force_login(User.objects.create_superuser(username="root"))
    assert set(client.get(url).context["cl"].result_list) == set(sent.values())


def test_q12_department_choices_are_narrowed_for_department_staff(client, area):
    # given: department A1's staff recording an incident
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a1))
    url = reverse("admin:queue_booking_incident_add")
    field = client.get(url).context["adminform"].form.fields["department"]
    # then: only their department is offered, and it is required
    assert list(field.queryset) == [area.a1]
    assert field.required
    # another department's id is refused, and so is none
    form = {"title": "Queue screen off", "found_at_0": "01.06.2030", "found_at_1": "10:00"}
    for department in (area.b.pk, ""):
        response = client.post(url, {**form, "department": department})
        assert response.status_code == 200
        assert "department" in response.context["adminform"].form.errors
    assert not Incident.objects.exists()
    # their own department saves
    assert client.post(url, {**form, "department": area.a1.pk}).status_code == 302
    assert Incident.objects.get().department == area.a1
    # provider staff of region A: the departments of region A, for a business trip
    client.force_login(staff(Role.PROVIDER_STAFF, region=area.region_a))
    field = (
        client.get(reverse("admin:queue_booking_receptionexception_add")).context["adminform"].form.fields["department"]
    )
    assert set(field.queryset) == {area.a1, area.a2}
    # the superuser: every department
    client.force_login(User.objects.create_superuser(username="root"))
    field = client.get(url).context["adminform"].form.fields["department"]
    assert set(field.queryset) == {area.a1, area.a2, area.b}
    assert not field.required


def test_q12_superuser_and_committee_staff_see_everything(client, area, bookings):
    everyone = [area.person_a1, area.person_a2_okrug, area.person_a2, area.person_b, area.person_unregistered]
    referrals = [ReferralFactory(person=p) for p in everyone]
    committee = staff(Role.COMMITTEE_STAFF, "queue_booking.view_booking")
    for user in (committee, User.objects.create_superuser(username="root")):
        html = page(client, user, "people_person_changelist")
        assert all(p.iin in html for p in everyone)
        html = page(client, user, "referrals_referral_changelist")
        assert all(r.external_id in html for r in referrals)
        html = page(client, user, "queue_booking_booking_changelist")
        assert all(b.ticket_number in html for b in (bookings.a1, bookings.a2, bookings.b))
