"""Item 7: the register's API. X-8: an integrator reads its own people's acts only; a citizen their
own and their wards' through the session; anything else is 404 or absent from the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from portal.accesslog.models import PersonalDataAccess
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.accounts.services import api_token_create
from tests.portal.acts.conftest import register
from tests.portal.factories import (
    GuardianshipFactory,
    MedicalOrganisationFactory,
    PersonFactory,
    ReferralFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_act(staff_user, person, department, integrator):
    referral = ReferralFactory(person=person, medical_organisation=MedicalOrganisationFactory(integrator=integrator))
    return register(actor_user=staff_user, person=person, department=department, referral=referral)


@pytest.fixture
def foreign_act(staff_user, department, atu):
    stranger = PersonFactory(registration_atu=atu)
    ReferralFactory(person=stranger)  # another MIS's referral
    return register(
        actor_user=staff_user,
        person=stranger,
        department=department,
        recognised=False,
        group="",
        cause="",
        term_until=None,
        examined_on=dt.date(2026, 6, 1),
    )


def citizen_client(person) -> APIClient:
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_item7_an_integrator_lists_only_its_own_peoples_acts(api_client, own_act, foreign_act):
    response = api_client.get("/api/v1/acts/")
    assert response.status_code == 200
    assert [a["number"] for a in response.json()] == [own_act.number]
    assert response.json()[0]["signature_verified"] is True
    # the read is logged for the person
    assert PersonalDataAccess.objects.filter(person=own_act.person, subject="mse_act").count() == 1


def test_item7_an_integrator_gets_404_for_another_persons_act(api_client, own_act, foreign_act):
    assert api_client.get(f"/api/v1/acts/{foreign_act.public_id}/").status_code == 404
    assert api_client.get(f"/api/v1/acts/{own_act.public_id}/").json()["number"] == own_act.number


def test_item7_filters_by_period_region_and_decision(api_client, staff_user, department, integrator, atu):
    org = MedicalOrganisationFactory(integrator=integrator)
    people = [PersonFactory(registration_atu=atu) for _ in range(2)]
    for p in people:
        ReferralFactory(person=p, medical_organisation=org)
    recognised = register(
        actor_user=staff_user, person=people[0], department=department, examined_on=dt.date(2026, 3, 2)
    )
    refused = register(
        actor_user=staff_user,
        person=people[1],
        department=department,
        recognised=False,
        group="",
        cause="",
        term_until=None,
        examined_on=dt.date(2026, 6, 1),
    )

    def numbers(query):
        response = api_client.get(f"/api/v1/acts/?{query}")
        assert response.status_code == 200, response.json()
        return {a["number"] for a in response.json()}

    assert numbers("decision=recognised") == {recognised.number}
    assert numbers("decision=not_recognised") == {refused.number}
    assert numbers("examined_from=2026-03-02&examined_to=2026-03-02") == {recognised.number}
    assert numbers("examined_from=2026-03-03") == {refused.number}
    assert numbers("region=110000000") == {recognised.number, refused.number}
    RegionFactory(kato="710000000", name_ru="Астана")
    assert numbers("region=710000000") == set()


def test_item7_bad_filters_are_refused_naming_the_field(api_client):
    response = api_client.get("/api/v1/acts/?decision=maybe&examined_from=yesterday&region=11")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"decision", "examined_from", "region"}
    response = api_client.get("/api/v1/acts/?examined_from=2026-03-02&examined_to=2026-03-01")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "examined_to"


def test_item7_a_token_without_the_scope_is_refused(integrator, own_act):
    _token, key = api_token_create(integrator=integrator, name="narrow", scopes=["referrals:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/acts/").status_code == 403


def test_item7_a_citizen_reads_their_own_and_their_wards_acts(staff_user, department, person, atu, foreign_act):
    own = register(actor_user=staff_user, person=person, department=department)
    ward = PersonFactory(registration_atu=atu, birth_date=dt.date(2015, 6, 1))
    GuardianshipFactory(representative=person, ward=ward)
    wards = register(actor_user=staff_user, person=ward, department=department, category="child")
    client = citizen_client(person)
    listed = {a["number"] for a in client.get("/api/v1/acts/").json()}
    assert listed == {own.number, wards.number}
    assert client.get(f"/api/v1/acts/{wards.public_id}/").status_code == 200
    assert client.get(f"/api/v1/acts/{foreign_act.public_id}/").status_code == 404


def test_item7_anonymous_and_staff_sessions_are_refused(staff_user, own_act):
    assert APIClient().get("/api/v1/acts/").status_code in (401, 403)
    client = APIClient()
    client.force_authenticate(staff_user)
    response = client.get("/api/v1/acts/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_citizen"
