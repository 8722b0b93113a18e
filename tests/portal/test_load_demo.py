"""``manage.py load_demo``: the Akmola demo data, safe to load twice."""

import io
import sys
import types

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from rest_framework.test import APIClient

from portal.accounts.models import ApiToken, Integrator, User
from portal.accounts.roles import Role
from portal.consent.models import Consent
from portal.management.commands import load_demo
from portal.people.models import Guardianship, Person
from portal.referrals.models import MedicalOrganisation, Referral
from portal.territory.models import Atu, MseDepartment, Region
from portal.territory.selectors import department_for_atu
from portal.validators import validate_iin

pytestmark = pytest.mark.django_db

MODELS = [
    Region,
    Atu,
    MseDepartment,
    Person,
    Guardianship,
    Integrator,
    ApiToken,
    MedicalOrganisation,
    Referral,
    Consent,
]


@pytest.fixture
def dev(settings):
    settings.DEBUG = True


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in [*MODELS, User]}


def test_load_demo_twice_creates_no_duplicates(dev):
    run()
    first = counts()
    run()
    assert counts() == first
    assert first["Region"] == 1
    assert first["MseDepartment"] == 5
    core_ids = [r[0] for r in load_demo.REFERRALS]
    assert Referral.objects.filter(external_id__in=core_ids).count() == len(core_ids)


def test_load_demo_region_has_its_cities_and_17_districts(dev):
    run()
    region = Region.objects.get(kato="110000000")
    assert (region.name_kk, region.name_ru, region.name_en) == ("Ақмола облысы", "Акмолинская область", "Akmola Region")
    top = Atu.objects.filter(region=region, parent__isnull=True)
    assert top.filter(kind=Atu.Kind.DISTRICT).count() == 17
    assert set(top.filter(kind=Atu.Kind.CITY).values_list("name_en", flat=True)) == {
        "Kokshetau",
        "Kosshy",
        "Stepnogorsk",
    }
    assert Atu.objects.filter(kind=Atu.Kind.RURAL_OKRUG, parent__isnull=False).exists()
    for atu in Atu.objects.all():
        assert atu.kato.startswith("11")
        assert len(atu.kato) == 9
        assert atu.name_kk
        assert atu.name_ru


def test_load_demo_every_unit_served_by_a_department(dev):
    run()
    for atu in Atu.objects.all():
        assert department_for_atu(atu=atu) is not None, atu.name_ru
    shchuchinsk = Atu.objects.get(name_en="Shchuchinsk")
    assert department_for_atu(atu=shchuchinsk).city_ru == "Щучинск"


def test_load_demo_people_have_valid_iins_and_the_demo_situations(dev):
    run()
    for person in Person.objects.all():
        validate_iin(person.iin)
        person.full_clean()
    citizen = Person.objects.get(iin=demo_iin("citizen"))
    assert citizen.phone
    assert citizen.has_permanent_registration
    parent, child = Person.objects.get(iin=demo_iin("parent")), Person.objects.get(iin=demo_iin("child"))
    assert Guardianship.objects.get(ward=child).representative == parent
    assert not Person.objects.get(iin=demo_iin("unregistered")).has_permanent_registration


def demo_iin(key: str) -> str:
    from portal.validators import iin_build

    p = load_demo.PEOPLE[key]
    return iin_build(p["birth"], female=p["female"], serial=p["serial"])


def test_load_demo_referrals_go_through_intake_and_are_routed(dev):
    run()
    core = Referral.objects.filter(external_id__in=[r[0] for r in load_demo.REFERRALS])
    assert core.count() == len(load_demo.REFERRALS)
    for referral in core:
        assert referral.status == Referral.Status.ROUTED
        assert referral.route
        assert referral.is_valid_at()
        assert referral.examinations.exists()


def test_load_demo_consents_given_by_subject_or_representative(dev):
    run()
    child = Person.objects.get(iin=demo_iin("child"))
    consent = Consent.objects.get(subject=child, scope=Consent.Scope.PERSONAL_DATA)
    assert consent.given_by.iin == demo_iin("parent")
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == Consent.objects.count()


def test_load_demo_printed_block_has_the_logins(dev, settings):
    out = run()
    assert settings.SITE_URL in out
    assert demo_iin("citizen") in out
    assert "/notifications/dev/inbox/" in out
    assert f"dept1 / {load_demo.DEMO_STAFF_PASSWORD}" in out
    assert f"admin / {load_demo.DEMO_ADMIN_PASSWORD}" in out
    assert f"Token {load_demo.DEMO_API_TOKEN}" in out


def test_load_demo_logins_work(dev, client):
    run()
    dept1 = User.objects.get(username="dept1")
    assert dept1.is_staff
    assert dept1.department.number == 1
    assert dept1.has_role(Role.DEPARTMENT_STAFF)
    # django-axes counts each password sign-in by the request it came with
    request = RequestFactory().post("/en/accounts/staff/sign-in/")
    assert client.login(request=request, username="dept1", password=load_demo.DEMO_STAFF_PASSWORD)
    assert client.login(request=request, username="provider", password=load_demo.DEMO_STAFF_PASSWORD)
    assert client.login(request=request, username="operator", password=load_demo.DEMO_STAFF_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert client.login(request=request, username="admin", password=load_demo.DEMO_ADMIN_PASSWORD)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {load_demo.DEMO_API_TOKEN}")
    response = api.get("/api/v1/whoami/")
    assert response.status_code == 200
    assert "referrals:write" in response.json()["scopes"]


def test_load_demo_refused_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        run()
    assert not Person.objects.exists()
    assert "Token" in run("--force")


def test_load_demo_calls_each_apps_demo_hook(dev, monkeypatch):
    calls = []
    hook = types.ModuleType("portal.consent.demo")
    hook.seed = lambda *, stdout: calls.append(stdout)
    monkeypatch.setitem(sys.modules, "portal.consent.demo", hook)
    run()
    assert len(calls) == 1
