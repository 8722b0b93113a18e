"""sec3: staff stay in their area in the admin of territory, departments and the calendar.

Two regions: region A with departments A1 (district A1) and A2 (district A2), region B with
department B (district B). Provider staff of region A try what an attacker did: map region B's
district to their department (and so read its residents), edit department B, and enter a day off
that would cancel region B's bookings.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.admin_scoping import may_edit_national_data
from portal.territory.models import Atu, MseDepartment, Region
from portal.workcal.models import CalendarException
from queue_booking.models import Booking
from tests.factories import AtuFactory, DepartmentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    region_a = RegionFactory()
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    district_a1 = AtuFactory(region=region_a, name_ru="Зерендинский район")
    okrug_a1 = AtuFactory(region=region_a, parent=district_a1, kind=Atu.Kind.RURAL_OKRUG, name_ru="Алексеевский")
    district_a2 = AtuFactory(region=region_a, name_ru="Бурабайский район")
    district_b = AtuFactory(region=region_b, kato="711000000", name_ru="район Сарыарка")
    return SimpleNamespace(
        region_a=region_a,
        region_b=region_b,
        district_a1=district_a1,
        okrug_a1=okrug_a1,
        district_a2=district_a2,
        district_b=district_b,
        a1=DepartmentFactory(region=region_a, atus=[district_a1], name_ru="Отдел Зеренды"),
        a2=DepartmentFactory(region=region_a, atus=[district_a2], name_ru="Отдел Щучинска"),
        b=DepartmentFactory(region=region_b, atus=[district_b], name_ru="Отдел Сарыарки"),
        person_b=PersonFactory(registration_atu=district_b),
    )


def staff(role: str, *perms: str, **scope) -> User:
    user = User.objects.create(username=f"{role}-{User.objects.count()}", is_staff=True, **scope)
    user.groups.add(Group.objects.get(name=role))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # no cached permissions


def department_form(department: MseDepartment, **changes) -> dict:
    data = {
        "name_kk": department.name_kk,
        "name_ru": department.name_ru,
        "name_en": department.name_en,
        "region": department.region_id,
        "number": department.number,
        "city_kk": department.city_kk,
        "city_ru": department.city_ru,
        "city_en": department.city_en,
        "street_kk": department.street_kk,
        "street_ru": department.street_ru,
        "street_en": department.street_en,
        "house": department.house,
        "room_kk": department.room_kk,
        "room_ru": department.room_ru,
        "room_en": department.room_en,
        "phone": department.phone,
        "atus": [a.pk for a in department.atus.all()],
        "is_active": "on" if department.is_active else "",
    }
    return {**data, **changes}


def atu_form(atu: Atu, **changes) -> dict:
    data = {
        "name_kk": atu.name_kk,
        "name_ru": atu.name_ru,
        "name_en": atu.name_en,
        "region": atu.region_id,
        "parent": atu.parent_id or "",
        "kind": atu.kind,
        "kato": atu.kato,
    }
    return {**data, **changes}


def test_sec3_provider_staff_cannot_map_another_regions_atu_to_their_department(client, area):
    # given: provider staff of region A
    client.force_login(staff(Role.PROVIDER_STAFF, region=area.region_a))
    url = reverse("admin:territory_msedepartment_change", args=[area.a1.pk])
    # then: the ATUs offered are region A's only
    field = client.get(url).context["adminform"].form.fields["atus"]
    assert set(field.queryset) == {area.district_a1, area.okrug_a1, area.district_a2}
    # when: they post region B's district anyway
    response = client.post(url, department_form(area.a1, atus=[area.district_a1.pk, area.district_b.pk]))
    # then: refused, nothing mapped, region B's residents stay out of their view
    assert response.status_code == 200
    assert "atus" in response.context["adminform"].form.errors
    assert set(area.a1.atus.all()) == {area.district_a1}
    html = client.get(reverse("admin:people_person_changelist")).content.decode()
    assert area.person_b.iin not in html


def test_sec3_provider_staff_cannot_edit_another_regions_department(client, area):
    client.force_login(staff(Role.PROVIDER_STAFF, region=area.region_a))
    # the list has region A's departments only
    response = client.get(reverse("admin:territory_msedepartment_changelist"))
    assert set(response.context["cl"].result_list) == {area.a1, area.a2}
    # department B answers as a missing object, to a read and to a change
    url = reverse("admin:territory_msedepartment_change", args=[area.b.pk])
    for response in (client.get(url), client.post(url, department_form(area.b, room_ru="666", atus=[]))):
        assert response.status_code == 302
        assert response.url == reverse("admin:index")
    area.b.refresh_from_db()
    assert area.b.room_ru == "5"
    assert set(area.b.atus.all()) == {area.district_b}
    # nor can their own department be moved to region B
    url = reverse("admin:territory_msedepartment_change", args=[area.a1.pk])
    response = client.post(url, department_form(area.a1, region=area.region_b.pk))
    assert "region" in response.context["adminform"].form.errors
    assert MseDepartment.objects.get(pk=area.a1.pk).region == area.region_a


def test_sec3_provider_staff_cannot_move_another_regions_atu(client, area):
    client.force_login(staff(Role.PROVIDER_STAFF, region=area.region_a))
    # the list has region A's units only
    response = client.get(reverse("admin:territory_atu_changelist"))
    assert set(response.context["cl"].result_list) == {area.district_a1, area.okrug_a1, area.district_a2}
    # region B's district cannot be opened nor changed
    url = reverse("admin:territory_atu_change", args=[area.district_b.pk])
    response = client.post(url, atu_form(area.district_b, region=area.region_a.pk, parent=area.district_a1.pk))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    area.district_b.refresh_from_db()
    assert (area.district_b.region_id, area.district_b.parent_id) == (area.region_b.pk, None)
    # their own unit can be placed neither in region B nor under region B's district
    url = reverse("admin:territory_atu_change", args=[area.okrug_a1.pk])
    form = client.get(url).context["adminform"].form
    assert list(form.fields["region"].queryset) == [area.region_a]
    assert area.district_b not in form.fields["parent"].queryset
    response = client.post(url, atu_form(area.okrug_a1, region=area.region_b.pk, parent=area.district_b.pk))
    assert set(response.context["adminform"].form.errors) == {"region", "parent"}
    # a new unit is added in region A only
    response = client.post(
        reverse("admin:territory_atu_add"),
        {"name_kk": "Жаңа", "name_ru": "Новый", "region": area.region_b.pk, "kind": "district", "kato": "712000000"},
    )
    assert "region" in response.context["adminform"].form.errors
    assert not Atu.objects.filter(kato="712000000").exists()
    # and the autocomplete of the parent unit offers region A's units only
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "territory", "model_name": "atu", "field_name": "parent", "term": ""},
    )
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids == {area.district_a1.pk, area.okrug_a1.pk, area.district_a2.pk}


def test_sec3_department_staff_see_their_department_region_and_served_atus_only(client, area):
    user = staff(
        Role.DEPARTMENT_STAFF,
        "territory.view_region",
        "territory.view_atu",
        "territory.view_msedepartment",
        department=area.a1,
    )
    client.force_login(user)
    result = lambda name: set(client.get(reverse(f"admin:{name}")).context["cl"].result_list)  # noqa: E731
    assert result("territory_region_changelist") == {area.region_a}
    assert result("territory_atu_changelist") == {area.district_a1, area.okrug_a1}
    assert result("territory_msedepartment_changelist") == {area.a1}
    assert client.get(reverse("admin:territory_msedepartment_change", args=[area.a2.pk])).status_code == 302
    assert client.get(reverse("admin:territory_region_change", args=[area.region_b.pk])).status_code == 302


def test_sec3_object_permissions_refuse_rows_outside_the_area(area):
    from django.contrib import admin

    # given: provider staff of region A holding every permission on departments and units
    user = staff(
        Role.PROVIDER_STAFF,
        "territory.view_msedepartment",
        "territory.change_msedepartment",
        "territory.delete_msedepartment",
        "territory.delete_atu",
        region=area.region_a,
    )
    request = RequestFactory().get("/")
    request.user = user
    department_admin = admin.site._registry[MseDepartment]
    atu_admin = admin.site._registry[Atu]
    # then: yes for their region's rows, no for region B's, whatever the model permission says
    for check in ("has_view_permission", "has_change_permission", "has_delete_permission"):
        assert getattr(department_admin, check)(request, area.a2) is True
        assert getattr(department_admin, check)(request, area.b) is False
        assert getattr(atu_admin, check)(request, area.okrug_a1) is True
        assert getattr(atu_admin, check)(request, area.district_b) is False
    # the superuser may do it all
    request.user = User.objects.create_superuser(username="root")
    assert department_admin.has_change_permission(request, area.b) is True


def _book_in_region_b(area) -> Booking:
    starts_at = timezone.now() + dt.timedelta(days=5)
    return Booking.objects.create(
        person=area.person_b,
        department=area.b,
        day=timezone.localdate(starts_at),
        starts_at=starts_at,
        ticket_sequence=1,
        ticket_number="B-0619",
    )


def test_sec3_national_calendar_is_edited_only_by_committee_staff_and_operators(client, area):
    booking = _book_in_region_b(area)
    day_off = {"date": booking.day.isoformat(), "kind": "day_off", "name_ru": "Перенос", "legal_basis": "Приказ № 1"}
    add_url = reverse("admin:workcal_calendarexception_add")
    # given: provider staff of region A, even with the add permission given to them directly
    provider = staff(Role.PROVIDER_STAFF, "workcal.add_calendarexception", region=area.region_a)
    client.force_login(provider)
    # when: they enter a day off
    assert client.get(add_url).status_code == 403
    assert client.post(add_url, day_off).status_code == 403
    # then: nothing is entered and region B's booking stands
    assert not CalendarException.objects.exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    # they still read the calendar, without a way to change it
    existing = CalendarException.objects.create(
        date=dt.date(2031, 3, 20), kind="day_off", name_ru="Наурыз", legal_basis="Постановление № 5"
    )
    response = client.get(reverse("admin:workcal_calendarexception_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [existing]
    change = reverse("admin:workcal_calendarexception_change", args=[existing.pk])
    assert client.post(change, {**day_off, "date": "2031-03-21"}).status_code == 403
    delete = reverse("admin:workcal_calendarexception_delete", args=[existing.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    existing.refresh_from_db()
    assert existing.date == dt.date(2031, 3, 20)
    # department staff neither
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a1))
    assert client.get(add_url).status_code == 403
    # Committee staff and operators do
    for role, day in ((Role.COMMITTEE_STAFF, "2031-05-08"), (Role.OPERATOR, "2031-05-09")):
        client.force_login(staff(role))
        assert client.post(add_url, {**day_off, "date": day}).status_code == 302
    assert set(CalendarException.objects.values_list("date", flat=True)) == {
        dt.date(2031, 3, 20),
        dt.date(2031, 5, 8),
        dt.date(2031, 5, 9),
    }


def test_sec3_the_national_calendar_is_for_national_roles(area):
    assert may_edit_national_data(staff(Role.COMMITTEE_STAFF)) is True
    assert may_edit_national_data(staff(Role.OPERATOR, region=area.region_a)) is True
    assert may_edit_national_data(User.objects.create_superuser(username="root")) is True
    assert may_edit_national_data(staff(Role.PROVIDER_STAFF, region=area.region_a)) is False
    assert may_edit_national_data(staff(Role.DEPARTMENT_STAFF, department=area.a1)) is False


def test_sec3_area_staff_whose_account_names_no_area_see_no_row(client, area):
    # given: provider staff whose account names no region, with the right to read departments
    client.force_login(staff(Role.PROVIDER_STAFF, "territory.view_msedepartment"))
    # then: no department, no person, no choice; not every row
    assert list(client.get(reverse("admin:territory_msedepartment_changelist")).context["cl"].result_list) == []
    assert list(client.get(reverse("admin:people_person_changelist")).context["cl"].result_list) == []
    assert client.get(reverse("admin:territory_msedepartment_change", args=[area.b.pk])).status_code == 302
    field = client.get(reverse("admin:queue_booking_receptionexception_add")).context["adminform"].form.fields
    assert list(field["department"].queryset) == []


def test_sec3_atu_moved_into_a_department_leaves_an_audit_row(client, area):
    # given: provider staff of region A move district A2 from department A2 to A1
    user = staff(Role.PROVIDER_STAFF, region=area.region_a)
    client.force_login(user)
    url = reverse("admin:territory_msedepartment_change", args=[area.a1.pk])
    response = client.post(url, department_form(area.a1, atus=[area.district_a1.pk, area.district_a2.pk]))
    assert response.status_code == 302
    assert set(area.a1.atus.all()) == {area.district_a1, area.district_a2}
    # then: the department's log says who added which unit
    entry = LogEntry.objects.get_for_object(area.a1).get(actor=user)
    assert entry.changes_dict["atus"] == {"type": "m2m", "operation": "add", "objects": [str(area.district_a2)]}
    # and a unit moved under another parent is logged on the unit
    url = reverse("admin:territory_atu_change", args=[area.okrug_a1.pk])
    response = client.post(url, atu_form(area.okrug_a1, parent=area.district_a2.pk))
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(area.okrug_a1).get(actor=user)
    assert entry.changes_dict["parent"] == [str(area.district_a1.pk), str(area.district_a2.pk)]
    # a region renamed by its provider is logged too
    client.force_login(superuser := User.objects.create_superuser(username="root"))
    url = reverse("admin:territory_region_change", args=[area.region_b.pk])
    response = client.post(url, {"name_kk": "Астана", "name_ru": "г. Астана", "name_en": "Astana", "kato": "710000000"})
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(Region.objects.get(pk=area.region_b.pk)).get(actor=superuser)
    assert entry.changes_dict["name_ru"] == ["Астана", "г. Астана"]


def test_sec3_calendar_changes_are_audited(client, area):
    user = staff(Role.COMMITTEE_STAFF)
    client.force_login(user)
    day_off = {"date": "2031-05-08", "kind": "day_off", "name_ru": "Перенос", "legal_basis": "Приказ № 1"}
    assert client.post(reverse("admin:workcal_calendarexception_add"), day_off).status_code == 302
    row = CalendarException.objects.get()
    entry = LogEntry.objects.get_for_object(row).get(actor=user)
    assert entry.action == LogEntry.Action.CREATE


def test_sec3_links_to_places_outside_the_area_are_kept(client, area):
    # given: department A1 also serves a unit of region B (entered by the Committee)
    area.a1.atus.add(area.district_b)
    client.force_login(staff(Role.PROVIDER_STAFF, region=area.region_a))
    url = reverse("admin:territory_msedepartment_change", args=[area.a1.pk])
    # when: provider staff of region A add district A2, the form showing region A's units only
    response = client.post(url, department_form(area.a1, atus=[area.district_a1.pk, area.district_a2.pk]))
    # then: region B's unit stays mapped; they neither saw nor removed it
    assert response.status_code == 302
    assert set(area.a1.atus.all()) == {area.district_a1, area.district_a2, area.district_b}


def _filter_choices(response, path: str) -> set[str]:
    """The choices of the sidebar filter on ``path``; none when the admin does not show it (one choice)."""
    specs = [s for s in response.context["cl"].filter_specs if getattr(s, "field_path", None) == path]
    return {label for spec in specs for _pk, label in spec.lookup_choices}


def test_sec3_admin_filters_list_only_the_areas_departments_and_regions(client, area):
    # given: department A1's staff on the booking list
    client.force_login(staff(Role.DEPARTMENT_STAFF, department=area.a1))
    response = client.get(reverse("admin:queue_booking_booking_changelist"))
    # then: the sidebar lists no other department or region (with one choice, no filter at all)
    assert _filter_choices(response, "department") <= {str(area.a1)}
    assert _filter_choices(response, "department__region") <= {str(area.region_a)}
    # provider staff of region A: their region's departments
    client.force_login(staff(Role.PROVIDER_STAFF, "notifications.view_message", region=area.region_a))
    response = client.get(reverse("admin:queue_booking_receptionexception_changelist"))
    assert _filter_choices(response, "department") == {str(area.a1), str(area.a2)}
    response = client.get(reverse("admin:notifications_message_changelist"))
    assert _filter_choices(response, "department") == {str(area.a1), str(area.a2)}
    response = client.get(reverse("admin:people_person_changelist"))
    assert _filter_choices(response, "registration_atu__region") <= {str(area.region_a)}
    response = client.get(reverse("admin:territory_atu_changelist"))
    assert _filter_choices(response, "region") <= {str(area.region_a)}
    # the superuser: every department
    client.force_login(User.objects.create_superuser(username="root"))
    response = client.get(reverse("admin:queue_booking_booking_changelist"))
    assert _filter_choices(response, "department") == {str(area.a1), str(area.a2), str(area.b)}
    response = client.get(reverse("admin:territory_atu_changelist"))
    assert _filter_choices(response, "region") == {str(area.region_a), str(area.region_b)}
