"""X-8 in the core: which people and referrals an integrator may act on, and consent by code."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal import messaging
from portal.accounts.scopes import scope_values
from portal.accounts.services import api_token_create, integrator_create
from portal.consent.models import Consent, ConsentCode
from portal.referrals.selectors import integrator_may_act_for, persons_visible_to_integrator
from tests.factories import GuardianshipFactory, MedicalOrganisationFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

PERSON_UNKNOWN = {
    "errors": [{"field": "citizen_iin", "code": "person_unknown", "message": "No person with this IIN is registered."}]
}


def token_client(integrator, scopes=None) -> APIClient:
    _token, key = api_token_create(
        integrator=integrator, name="t", scopes=scopes or scope_values(integrator_kind=integrator.kind)
    )
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


@pytest.fixture
def world(db):
    mis_a = integrator_create(name="MIS A", kind="mis")
    mis_b = integrator_create(name="MIS B", kind="mis")
    org_a = MedicalOrganisationFactory(integrator=mis_a)
    org_b = MedicalOrganisationFactory(integrator=mis_b)
    own = PersonFactory(phone="+77011110001")
    other = PersonFactory(phone="+77011110002")
    return {
        "mis_a": mis_a,
        "mis_b": mis_b,
        "org_a": org_a,
        "own": own,
        "own_referral": ReferralFactory(person=own, medical_organisation=org_a),
        "other": other,
        "other_referral": ReferralFactory(person=other, medical_organisation=org_b),
        "a": token_client(mis_a),
    }


@pytest.fixture
def codes(monkeypatch):
    """The consent codes sent, by phone (the SMS still goes through the real outbox)."""
    sent = {}
    original = messaging._sender

    def record(**kwargs):
        if kwargs["template"] == "consent_code":
            sent[kwargs["recipient"].phone] = kwargs["context"]["code"]
        return original(**kwargs)

    monkeypatch.setattr(messaging, "_sender", record)
    return sent


# --- sec1: the core rule ------------------------------------------------------------------------------


def test_sec1_persons_visible_to_integrator_are_its_referrals_people(world):
    assert list(persons_visible_to_integrator(integrator=world["mis_a"])) == [world["own"]]
    assert integrator_may_act_for(integrator=world["mis_a"], person=world["own"])
    assert not integrator_may_act_for(integrator=world["mis_a"], person=world["other"])


def test_sec1_representative_only_while_the_guardianship_lasts(world):
    parent = PersonFactory()
    today = timezone.localdate()
    GuardianshipFactory(representative=parent, ward=world["own"], valid_until=today - dt.timedelta(days=1))
    assert not integrator_may_act_for(integrator=world["mis_a"], person=parent)
    GuardianshipFactory(representative=parent, ward=world["own"], valid_from=today)
    assert integrator_may_act_for(integrator=world["mis_a"], person=parent)


def test_sec1_referral_detail_only_of_its_own_organisations(world):
    r = world["a"].get(f"/api/v1/referrals/{world['other_referral'].public_id}/")
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "not_found"
    r = world["a"].get(f"/api/v1/referrals/{world['own_referral'].public_id}/")
    assert (r.status_code, r.json()["external_id"]) == (200, world["own_referral"].external_id)


# --- issue 8, point 20: a person's referrals ------------------------------------------------------------


def test_integrator_lists_a_persons_referrals_of_its_own_organisations_only(world):
    # given: the patient also has a referral of hospital B
    ReferralFactory(person=world["own"], medical_organisation=world["other_referral"].medical_organisation)
    # when
    r = world["a"].get("/api/v1/referrals/by-person/", HTTP_X_CITIZEN_IIN=world["own"].iin)
    # then
    assert r.status_code == 200
    assert [x["id"] for x in r.json()] == [str(world["own_referral"].public_id)]
    # a person it may not name lists nothing
    r = world["a"].get("/api/v1/referrals/by-person/", HTTP_X_CITIZEN_IIN=world["other"].iin)
    assert (r.status_code, r.json()) == (200, [])
    # without the header
    r = world["a"].get("/api/v1/referrals/by-person/")
    assert (r.status_code, r.json()["errors"][0]["code"]) == (400, "citizen_iin_required")


def test_citizen_lists_own_referrals_with_a_session(world):
    from django.contrib.auth.models import Group

    from portal.accounts.models import User
    from portal.accounts.roles import Role

    user = User.objects.create(username="own", person=world["own"])
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    c = APIClient()
    c.force_authenticate(user)
    r = c.get("/api/v1/referrals/by-person/")
    assert [x["id"] for x in r.json()] == [str(world["own_referral"].public_id)]


# --- sec2: consent by a code sent to the person's phone -----------------------------------------------------


def request_code(client, person, **body):
    return client.post("/api/v1/consents/codes/", body, format="json", HTTP_X_CITIZEN_IIN=person.iin)


def confirm(client, person, code_id, code):
    return client.post(
        f"/api/v1/consents/codes/{code_id}/confirm/", {"code": code}, format="json", HTTP_X_CITIZEN_IIN=person.iin
    )


def test_sec2_consent_by_code_records_channel_and_integrator(world, codes):
    # when: the integrator asks for a code, and submits what the person received
    r = request_code(world["a"], world["own"])
    assert r.status_code == 201, r.json()
    code_id = r.json()["id"]
    assert r.json()["scope"] == "personal_data"
    assert not Consent.objects.exists()
    r = confirm(world["a"], world["own"], code_id, codes["+77011110001"])
    # then
    assert r.status_code == 201, r.json()
    assert r.json()["channel"] == "sms_code"
    consent = Consent.objects.get()
    assert (consent.subject, consent.given_by, consent.channel, consent.scope, consent.integrator) == (
        world["own"],
        world["own"],
        "sms_code",
        "personal_data",
        world["mis_a"],
    )
    # the code is used up
    r = confirm(world["a"], world["own"], code_id, codes["+77011110001"])
    assert (r.status_code, r.json()["errors"][0]["code"]) == (400, "code_expired")


def test_sec2_consent_code_sms_uses_the_seeded_template(world, codes):
    from notifications.models import Message

    request_code(world["a"], world["own"])
    message = Message.objects.get(template__key="consent_code")
    assert message.phone == "+77011110001"
    assert f"{codes['+77011110001']}" in message.text
    assert "MIS A" in message.text
    assert message.integrator == world["mis_a"]


def test_sec2_consent_code_wrong_codes_burn_it(world, codes):
    code_id = request_code(world["a"], world["own"]).json()["id"]
    right = codes["+77011110001"]
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    answers = [confirm(world["a"], world["own"], code_id, wrong).json()["errors"][0]["message"] for _ in range(5)]
    assert answers == [f"The code is wrong. Attempts left: {n}." for n in (4, 3, 2, 1, 0)]
    # the right code no longer helps
    r = confirm(world["a"], world["own"], code_id, right)
    assert (r.status_code, r.json()["errors"][0]["code"]) == (400, "code_expired")
    assert not Consent.objects.exists()


def test_sec2_consent_codes_per_person_per_hour_are_limited(world, codes):
    for _ in range(3):
        assert request_code(world["a"], world["own"]).status_code == 201
    r = request_code(world["a"], world["own"])
    assert r.status_code == 429
    assert r.json()["errors"][0]["code"] == "consent_code_rate_limited"
    assert ConsentCode.objects.count() == 3


def test_sec2_consent_code_only_for_the_integrators_own_people(world, codes):
    r = request_code(world["a"], world["other"])
    assert (r.status_code, r.json()) == (404, PERSON_UNKNOWN)
    assert codes == {}
    # and another integrator cannot submit a code it did not ask for
    code_id = request_code(world["a"], world["own"]).json()["id"]
    b = token_client(world["mis_b"])
    ReferralFactory(person=world["own"], medical_organisation=world["other_referral"].medical_organisation)
    r = confirm(b, world["own"], code_id, codes["+77011110001"])
    assert (r.status_code, r.json()["errors"][0]["code"]) == (404, "consent_code_not_found")
    assert not Consent.objects.exists()


def test_sec2_legal_representative_consents_for_the_ward_by_code(world, codes):
    parent = PersonFactory(phone="+77011110009")
    GuardianshipFactory(representative=parent, ward=world["own"])
    r = request_code(world["a"], parent, referral_id=str(world["own_referral"].public_id))
    assert r.status_code == 201, r.json()
    assert confirm(world["a"], parent, r.json()["id"], codes["+77011110009"]).status_code == 201
    consent = Consent.objects.get()
    assert (consent.subject, consent.given_by, consent.channel) == (world["own"], parent, "sms_code")


def test_sec2_no_code_without_a_registered_phone(world, codes):
    world["own"].phone = ""
    world["own"].save()
    r = request_code(world["a"], world["own"])
    assert (r.status_code, r.json()["errors"][0]["code"]) == (400, "phone_missing")


def test_sec2_citizen_session_cannot_use_the_code_flow(world):
    from portal.accounts.models import User

    c = APIClient()
    c.force_authenticate(User.objects.create(username="own", person=world["own"]))
    r = c.post("/api/v1/consents/codes/", {}, format="json")
    assert (r.status_code, r.json()["errors"][0]["code"]) == (403, "not_integrator")
