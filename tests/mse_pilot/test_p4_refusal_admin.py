"""P-4, X-7: the anonymous counts of intakes refused for a missing mandatory examination are read in the
admin: staff with the view permission see the list, nobody adds, changes or deletes a count (only the
intake writes them), regional staff see their own region's rows only and department staff their own
department's (the one serving the person's registration)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from mse_pilot.models import IntakeRefusal
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.nosology.models import NosologyGroup
from portal.referrals.models import MisVendor
from tests.factories import DepartmentFactory, IntegratorFactory, RegionFactory

pytestmark = pytest.mark.django_db

URL = "/admin/mse_pilot/intakerefusal/"


@pytest.fixture
def counts():
    akmola = RegionFactory(kato="110000000", name_ru="Акмолинская область", name_en="Akmola Region")
    karaganda = RegionFactory(kato="350000000", name_ru="Карагандинская область", name_en="Karaganda Region")
    integrator = IntegratorFactory()
    akmola_1 = DepartmentFactory(region=akmola, number=1)
    akmola_2 = DepartmentFactory(region=akmola, number=2)
    rows = {}
    for key, day, region, department, code in (
        ("akmola_karyotype", dt.date(2026, 10, 1), akmola, akmola_1, "karyotype"),
        ("akmola_neurologist", dt.date(2026, 10, 31), akmola, akmola_2, "neurologist_conclusion"),
        ("akmola_unserved", dt.date(2026, 10, 20), akmola, None, "karyotype"),
        ("karaganda_karyotype", dt.date(2026, 10, 12), karaganda, None, "karyotype"),
    ):
        rows[key] = IntakeRefusal.objects.create(
            day=day,
            nosology_group=NosologyGroup.objects.get(number=2),
            region=region,
            mis_vendor=MisVendor.DAMU,
            integrator=integrator,
            department=department,
            examination_code=code,
        )
    return {"akmola": akmola, "karaganda": karaganda, "akmola_1": akmola_1, "akmola_2": akmola_2, **rows}


def _staff(client, username: str, role: str, **area) -> User:
    user = User.objects.create_user(username=username, password="x-Secret-123", is_staff=True, **area)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def _listed(page) -> set[int]:
    return {row.pk for row in page.context["cl"].result_list}


def test_p4_x7_committee_staff_read_every_refusal_count_and_filter_by_day_region_department_and_code(client, counts):
    _staff(client, "committee", Role.COMMITTEE_STAFF)
    page = client.get(URL)
    assert page.status_code == 200
    every = {
        counts["akmola_karyotype"].pk,
        counts["akmola_neurologist"].pk,
        counts["akmola_unserved"].pk,
        counts["karaganda_karyotype"].pk,
    }
    assert _listed(page) == every
    by_code = client.get(URL, {"examination_code": "karyotype"})
    assert _listed(by_code) == {
        counts["akmola_karyotype"].pk,
        counts["akmola_unserved"].pk,
        counts["karaganda_karyotype"].pk,
    }
    by_region = client.get(URL, {"region__id__exact": counts["karaganda"].pk})
    assert _listed(by_region) == {counts["karaganda_karyotype"].pk}
    by_department = client.get(URL, {"department__id__exact": counts["akmola_2"].pk})
    assert _listed(by_department) == {counts["akmola_neurologist"].pk}
    by_day = client.get(URL, {"day__gte": "2026-10-12", "day__lt": "2026-11-01"})
    assert _listed(by_day) == {
        counts["akmola_neurologist"].pk,
        counts["akmola_unserved"].pk,
        counts["karaganda_karyotype"].pk,
    }


def test_p4_x7_nobody_adds_changes_or_deletes_a_refusal_count(client, counts):
    row = counts["akmola_karyotype"]
    for username, role in (("committee", Role.COMMITTEE_STAFF), ("operator", Role.OPERATOR)):
        _staff(client, username, role)
        page = client.get(URL)
        assert page.status_code == 200
        assert page.context["has_add_permission"] is False
        assert client.get(f"{URL}add/").status_code == 403
        assert client.get(f"{URL}{row.pk}/delete/").status_code == 403
        refused = client.post(f"{URL}{row.pk}/change/", {"examination_code": "changed", "day": "2026-10-02"})
        assert refused.status_code == 403
        deleted = client.post(URL, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
        assert deleted.status_code in (200, 302)
    # superusers too: the counts are written by the intake only
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get(f"{URL}add/").status_code == 403
    assert client.get(f"{URL}{row.pk}/delete/").status_code == 403
    assert IntakeRefusal.objects.get(pk=row.pk).examination_code == "karyotype"
    assert IntakeRefusal.objects.count() == 4


def test_p4_x7_regional_staff_see_only_their_regions_refusal_counts(client, counts):
    _staff(client, "provider-a", Role.PROVIDER_STAFF, region=counts["akmola"])
    page = client.get(URL)
    assert page.status_code == 200
    assert _listed(page) == {
        counts["akmola_karyotype"].pk,
        counts["akmola_neurologist"].pk,
        counts["akmola_unserved"].pk,
    }
    other = counts["karaganda_karyotype"]
    assert client.get(f"{URL}{other.pk}/change/").status_code == 302  # another region's row: as if missing
    assert client.get(f"{URL}{counts['akmola_karyotype'].pk}/change/").status_code == 200  # read only
    # the region filter offers their own region only (one choice: no filter is drawn), nor is the
    # other region named anywhere on the page
    assert not [f for f in page.context["cl"].filter_specs if f.field_path == "region"]
    assert str(counts["karaganda"]) not in page.content.decode()


def test_p4_x7_department_staff_see_only_their_departments_refusal_counts(client, counts):
    department = counts["akmola_1"]
    _staff(client, "desk-a1", Role.DEPARTMENT_STAFF, department=department, region=counts["akmola"])
    page = client.get(URL)
    assert page.status_code == 200
    # not the other department's row of the region, nor the region's row without a department
    assert _listed(page) == {counts["akmola_karyotype"].pk}
    assert client.get(f"{URL}{counts['akmola_neurologist'].pk}/change/").status_code == 302
    assert client.get(f"{URL}{counts['akmola_unserved'].pk}/change/").status_code == 302
    assert client.get(f"{URL}{counts['akmola_karyotype'].pk}/change/").status_code == 200


def test_p4_x7_staff_without_the_view_permission_do_not_see_the_counts(client, counts):
    user = User.objects.create_user(username="nobody", password="x-Secret-123", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
