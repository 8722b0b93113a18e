"""Form 031/u: validity (S-2) and the MIS intake API (P-5)."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.scopes import Scope
from portal.accounts.services import api_token_create, api_token_revoke, integrator_create
from portal.errors import ApplicationError, ApplicationErrors
from portal.referrals import routing
from portal.referrals.models import MedicalOrganisation, Referral, ReferralExamination, referral_valid_until
from portal.referrals.services import referral_intake, referral_require_valid
from portal.validators import bin_build
from tests.factories import MedicalOrganisationFactory, PersonFactory, ReferralFactory
from tests.signing import sign_intake, signed

pytestmark = pytest.mark.django_db

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
URL = "/api/v1/referrals/"


def almaty(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


@pytest.fixture
def organisation(integrator):
    return MedicalOrganisationFactory(integrator=integrator)


@pytest.fixture
def person():
    return PersonFactory()


@pytest.fixture
def payload(person, organisation):
    return {
        "person_iin": person.iin,
        "organisation_bin": organisation.bin,
        "external_id": "031-2026-000123",
        "icd10": "S48.0",
        "diagnosis_text": "Травматическая ампутация плеча",
        "signed_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "vkk_chair_name": "Ахметова Г. С.",
        "examinations": [{"code": "xray_limb", "title": "X-ray of the affected limb", "performed_on": "2026-11-01"}],
    }


def token_client(integrator, scopes) -> APIClient:
    _token, key = api_token_create(integrator=integrator, name="scoped", scopes=scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_error_shape(body: dict) -> list[dict]:
    assert set(body) == {"errors"}
    assert body["errors"]
    for item in body["errors"]:
        assert set(item) == {"field", "code", "message"}
        assert isinstance(item["code"], str)
        assert item["code"]
        assert isinstance(item["message"], str)
        assert item["message"]
    return body["errors"]


def codes(response) -> set[tuple]:
    return {(e["field"], e["code"]) for e in assert_error_shape(response.json())}


def assert_nothing_saved():
    assert Referral.objects.count() == 0
    assert ReferralExamination.objects.count() == 0


# --- S-2: validity ----------------------------------------------------------------------------


def test_s2_referral_valid_one_month_from_signing():
    referral = ReferralFactory(signed_at=almaty(2026, 1, 31, 10, 0))
    # 31 January + one month: February has no 31st, so the last day of February
    assert referral.valid_until == almaty(2026, 2, 28, 10, 0)
    assert referral.is_valid_at(almaty(2026, 2, 28, 9, 59))
    assert referral.is_valid_at(almaty(2026, 2, 28, 10, 0))
    assert not referral.is_valid_at(almaty(2026, 2, 28, 10, 1))
    assert not referral.is_valid_at(almaty(2026, 1, 31, 9, 59))  # before it was signed


def test_s2_referral_month_counts_on_the_almaty_calendar_not_utc():
    # 31 Mar 02:00 in Almaty is still 30 Mar in UTC; one month is 30 April, not 1 May
    assert referral_valid_until(almaty(2026, 3, 31, 2, 0)) == almaty(2026, 4, 30, 2, 0)
    assert referral_valid_until(almaty(2026, 11, 25, 9, 0)) == almaty(2026, 12, 25, 9, 0)


def test_s2_closed_or_withdrawn_referral_is_not_valid():
    referral = ReferralFactory()
    assert referral.is_valid_at()
    referral_require_valid(referral=referral)
    for status in (Referral.Status.CLOSED, Referral.Status.WITHDRAWN):
        referral.status = status
        assert not referral.is_valid_at()


def test_s2_expired_referral_refused_by_require_valid():
    referral = ReferralFactory(signed_at=timezone.now() - dt.timedelta(days=40))
    with pytest.raises(ApplicationError) as exc:
        referral_require_valid(referral=referral)
    assert exc.value.code == "referral_expired"


# --- intake API -------------------------------------------------------------------------------


def test_p5_intake_creates_referral_with_examinations_and_routes_it(api_client, payload, person):
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(public_id=body["id"])
    assert referral.person == person
    assert referral.icd10 == "S48.0"
    assert referral.status == Referral.Status.ROUTED
    assert referral.route
    assert body["status"] == "routed"
    assert body["person_iin"] == person.iin
    assert list(referral.examinations.values_list("code", flat=True)) == ["xray_limb"]


def test_p5_intake_normalises_icd10(api_client, payload):
    payload["icd10"] = "s48,0"
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 201
    assert response.json()["icd10"] == "S48.0"


def test_p5_identical_resend_is_idempotent_200(api_client, payload):
    first = api_client.post(URL, signed(payload), format="json")
    again = api_client.post(URL, signed(payload), format="json")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1
    assert ReferralExamination.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("icd10", "Q90"),
        ("diagnosis_text", "другой диагноз"),
        ("vkk_chair_name", "Другой Д. Д."),
        ("examinations", []),
    ],
)
def test_p5_resend_with_changed_content_refused_referral_duplicate(api_client, payload, field, value):
    assert api_client.post(URL, signed(payload), format="json").status_code == 201
    payload[field] = value
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert codes(response) == {("external_id", "referral_duplicate")}
    assert Referral.objects.count() == 1


def test_p5_resend_with_another_signing_time_refused(api_client, payload):
    assert api_client.post(URL, signed(payload), format="json").status_code == 201
    payload["signed_at"] = (timezone.now() - dt.timedelta(days=2)).isoformat()
    response = api_client.post(URL, signed(payload), format="json")
    assert codes(response) == {("external_id", "referral_duplicate")}


def test_s2_intake_refuses_referral_signed_more_than_a_month_ago(api_client, payload):
    payload["signed_at"] = (timezone.now() - dt.timedelta(days=32)).isoformat()
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert codes(response) == {("signed_at", "referral_expired")}
    assert_nothing_saved()


def test_p5_intake_refuses_signing_time_in_the_future(api_client, payload):
    payload["signed_at"] = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert codes(response) == {("signed_at", "referral_future")}
    assert_nothing_saved()


def test_p5_intake_tolerates_a_mis_clock_a_little_ahead(api_client, payload):
    payload["signed_at"] = (timezone.now() + dt.timedelta(minutes=2)).isoformat()
    assert api_client.post(URL, signed(payload), format="json").status_code == 201


def test_p5_intake_refuses_invalid_icd10(api_client, payload):
    payload["icd10"] = "X99.9"
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert codes(response) == {("icd10", "icd10_invalid")}
    assert_nothing_saved()


def test_p5_intake_refuses_unknown_person(api_client, payload):
    payload["person_iin"] = "900101300017"
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert codes(response) == {("person_iin", "person_unknown")}
    assert_nothing_saved()


def test_p5_intake_refuses_invalid_iin_with_its_code(api_client, payload):
    payload["person_iin"] = "900101300018"
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert codes(response) == {("person_iin", "iin_checksum")}
    assert_nothing_saved()


def test_p5_intake_lists_every_problem_at_once(api_client, payload):
    payload["person_iin"] = "900101300017"
    payload["icd10"] = "X99.9"
    payload["signed_at"] = (timezone.now() - dt.timedelta(days=40)).isoformat()
    response = api_client.post(URL, signed(payload), format="json")
    assert codes(response) == {
        ("person_iin", "person_unknown"),
        ("icd10", "icd10_invalid"),
        ("signed_at", "referral_expired"),
    }
    assert_nothing_saved()


def test_p5_intake_refuses_unknown_organisation(api_client, payload):
    payload["organisation_bin"] = bin_build(dt.date(2010, 6, 1), serial=777)
    assert not MedicalOrganisation.objects.filter(bin=payload["organisation_bin"]).exists()
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 400
    assert ("organisation_bin", "organisation_unknown") in codes(response)
    assert_nothing_saved()


def test_p5_intake_for_organisation_of_another_integrator_is_403(payload):
    other = integrator_create(name="Other MIS", kind="mis")
    client = token_client(other, [Scope.REFERRALS_WRITE])
    response = client.post(URL, signed(payload), format="json")
    assert response.status_code == 403
    assert codes(response) == {("organisation_bin", "organisation_foreign")}
    assert_nothing_saved()


def test_p5_intake_token_without_scope_is_403(integrator, payload):
    client = token_client(integrator, [Scope.REFERRALS_READ])
    response = client.post(URL, signed(payload), format="json")
    assert response.status_code == 403
    assert codes(response) == {(None, "scope_missing")}
    assert "referrals:write" in response.json()["errors"][0]["message"]
    assert_nothing_saved()


def test_p5_intake_without_token_is_401(payload):
    response = APIClient().post(URL, signed(payload), format="json")
    assert response.status_code == 401
    assert codes(response) == {(None, "not_authenticated")}
    assert_nothing_saved()


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token", "Token a b"])
def test_p5_intake_with_unknown_or_malformed_token_is_401(payload, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(URL, signed(payload), format="json")
    assert response.status_code == 401
    assert codes(response) == {(None, "token_invalid")}


def test_p5_revoked_or_expired_token_is_refused(integrator, payload):
    token, key = api_token_create(integrator=integrator, name="old", scopes=[Scope.REFERRALS_WRITE])
    api_token_revoke(token=token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(URL, signed(payload), format="json").status_code == 401
    _t, key2 = api_token_create(
        integrator=integrator,
        name="expired",
        scopes=[Scope.REFERRALS_WRITE],
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {key2}")
    assert client.post(URL, signed(payload), format="json").status_code == 401


def test_p5_signed_in_citizen_session_cannot_submit(citizen_client, payload):
    response = citizen_client.post(URL, signed(payload), content_type="application/json")
    assert response.status_code == 403
    assert codes(response) == {(None, "not_integrator")}


def test_p5_missing_fields_listed_with_their_names(api_client):
    response = api_client.post(URL, {}, format="json")
    assert response.status_code == 400
    found = codes(response)
    for field in ("person_iin", "organisation_bin", "external_id", "icd10", "signed_at", "vkk_chair_name"):
        assert (field, "required") in found


API_LANGUAGE_MIDDLEWARE = "portal.middleware.ApiLanguageMiddleware"


@pytest.fixture
def api_language(settings):
    if API_LANGUAGE_MIDDLEWARE not in settings.MIDDLEWARE:
        at = settings.MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], API_LANGUAGE_MIDDLEWARE, *settings.MIDDLEWARE[at:]]


def test_x1_error_messages_in_the_callers_language(api_language, api_client):
    en = api_client.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    ru = api_client.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    en_items = {e["field"]: e for e in assert_error_shape(en.json())}
    ru_items = {e["field"]: e for e in assert_error_shape(ru.json())}
    assert en_items.keys() == ru_items.keys()
    assert en_items["external_id"]["code"] == ru_items["external_id"]["code"] == "required"
    assert en_items["external_id"]["message"] == "This field is required."
    # the framework's own messages have a Russian catalogue; the portal's come with the translators
    assert ru_items["external_id"]["message"] == "Обязательное поле."
    assert ru["Content-Language"] == "ru"


def test_x1_pages_keep_their_own_language_rules(api_language, client, settings):
    # only API paths follow the header; pages follow their URL prefix
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response["Content-Language"] == settings.LANGUAGE_CODE
    assert client.get("/kk/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "kk"


def test_x1_api_language_middleware_is_installed(settings):
    assert API_LANGUAGE_MIDDLEWARE in settings.MIDDLEWARE
    at = settings.MIDDLEWARE.index(API_LANGUAGE_MIDDLEWARE)
    assert settings.MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") < at


def test_x1_portal_error_codes_stable_across_languages(api_client, payload):
    payload["icd10"] = "X99.9"
    for lang in ("ru", "kk", "en"):
        response = api_client.post(URL, signed(payload), format="json", HTTP_ACCEPT_LANGUAGE=lang)
        assert codes(response) == {("icd10", "icd10_invalid")}


def test_p5_nothing_half_saved_when_routing_fails(integrator, organisation, person, monkeypatch):
    def broken_router(referral):
        raise RuntimeError("router down")

    monkeypatch.setattr(routing, "_routers", [(0, "broken", broken_router)])
    with pytest.raises(RuntimeError):
        referral_intake(
            integrator=integrator,
            **sign_intake(
                {
                    "person_iin": person.iin,
                    "organisation_bin": organisation.bin,
                    "external_id": "031-1",
                    "icd10": "Q90",
                    "signed_at": timezone.now(),
                    "vkk_chair_name": "Ахметова Г. С.",
                    "examinations": [{"code": "karyotype"}],
                }
            ),
        )
    assert_nothing_saved()


def test_p5_extra_checks_refusal_stores_nothing(integrator, organisation, person):
    from portal.errors import ErrorItem

    def mandatory(*, icd10, examinations):
        return [ErrorItem("examinations", "examination_missing", "Karyotype is mandatory.")]

    with pytest.raises(ApplicationErrors) as exc:
        referral_intake(
            integrator=integrator,
            **sign_intake(
                {
                    "person_iin": person.iin,
                    "organisation_bin": organisation.bin,
                    "external_id": "031-2",
                    "icd10": "Q90",
                    "signed_at": timezone.now(),
                    "vkk_chair_name": "Ахметова Г. С.",
                    "extra_checks": mandatory,
                }
            ),
        )
    assert [i.code for i in exc.value.items] == ["examination_missing"]
    assert_nothing_saved()


def test_p5_router_hook_decides_the_route(integrator, organisation, person, monkeypatch):
    monkeypatch.setattr(routing, "_routers", [])
    routing.register_router(10, lambda r: Referral.Route.REMOTE_PILOT if r.icd10.startswith("Q90") else None)
    received = []

    def on_routed(sender, referral, route, **kwargs):
        received.append(route)

    routing.referral_routed.connect(on_routed)
    try:
        down, _ = referral_intake(
            integrator=integrator,
            **sign_intake(
                {
                    "person_iin": person.iin,
                    "organisation_bin": organisation.bin,
                    "external_id": "031-3",
                    "icd10": "Q90",
                    "signed_at": timezone.now(),
                    "vkk_chair_name": "Ахметова Г. С.",
                }
            ),
        )
        other, _ = referral_intake(
            integrator=integrator,
            **sign_intake(
                {
                    "person_iin": person.iin,
                    "organisation_bin": organisation.bin,
                    "external_id": "031-4",
                    "icd10": "I63.5",
                    "signed_at": timezone.now(),
                    "vkk_chair_name": "Ахметова Г. С.",
                }
            ),
        )
    finally:
        routing.referral_routed.disconnect(on_routed)
    assert down.route == Referral.Route.REMOTE_PILOT
    assert other.route == Referral.Route.IN_PERSON  # the legal default
    assert received == [Referral.Route.REMOTE_PILOT, Referral.Route.IN_PERSON]


def test_p5_detail_shows_only_the_integrators_own_referrals(api_client, payload, integrator):
    created = api_client.post(URL, signed(payload), format="json").json()
    assert api_client.get(f"{URL}{created['id']}/").json()["external_id"] == payload["external_id"]
    other = token_client(integrator_create(name="Other MIS", kind="mis"), [Scope.REFERRALS_READ])
    response = other.get(f"{URL}{created['id']}/")
    assert response.status_code == 404
    assert_error_shape(response.json())
