"""Each API caller has a request budget; over it: 429 in the one error shape, and nothing done."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone
from rest_framework.test import APIClient

from portal.referrals.models import Referral
from tests.factories import MedicalOrganisationFactory, PersonFactory
from tests.portal.test_referrals import URL, assert_error_shape, token_client
from tests.signing import signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def payload(integrator):
    return {
        "person_iin": PersonFactory().iin,
        "organisation_bin": MedicalOrganisationFactory(integrator=integrator).bin,
        "external_id": "031-2026-000777",
        "icd10": "S48.0",
        "signed_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "vkk_chair_name": "Ахметова Г. С.",
    }


@pytest.fixture(autouse=True)
def _fresh_budgets():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def test_integrator_over_its_rate_gets_429_and_nothing_is_saved(settings, integrator, payload):
    from portal.accounts.scopes import Scope

    settings.API_RATE_INTEGRATOR = "2/min"
    client = token_client(integrator, [Scope.REFERRALS_WRITE])
    bad = {**payload, "icd10": "not-a-code"}
    assert client.post(URL, bad, format="json").status_code == 400
    assert client.post(URL, bad, format="json").status_code == 400
    response = client.post(URL, signed(payload), format="json")  # valid, but over the budget
    assert response.status_code == 429
    (error,) = assert_error_shape(response.json())
    assert error["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert not Referral.objects.exists()
    # another token has its own budget
    other = token_client(integrator, [Scope.REFERRALS_WRITE])
    assert other.post(URL, signed(payload), format="json").status_code == 201


def test_anonymous_budget_is_per_connection_address_not_per_forwarded_header(settings):
    settings.API_RATE_ANON = "1/min"
    client = APIClient()
    assert client.get("/api/schema/").status_code == 200
    spoofed = client.get("/api/schema/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert spoofed.status_code == 429


def _token_request(integrator):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from portal.accounts.services import api_token_create

    token, _key = api_token_create(integrator=integrator, name="budget", scopes=[])
    request = Request(APIRequestFactory().get("/api/v1/queue/bookings/"))
    request.user, request.auth = integrator.user, token
    return request


def test_budget_is_a_sliding_window_weighing_the_previous_minute_and_refusals_do_not_count(
    settings, integrator, monkeypatch
):
    from portal.accounts import throttling

    settings.API_RATE_INTEGRATOR = "4/min"
    request = _token_request(integrator)
    clock = {"now": 60 * 1000 + 30.0}  # half way through a minute
    monkeypatch.setattr(throttling.time, "time", lambda: clock["now"])

    def ask() -> tuple[bool, int | None]:
        throttle = throttling.ApiRateThrottle()
        allowed = throttle.allow_request(request, None)
        return allowed, throttle.wait()

    assert [ask()[0] for _ in range(4)] == [True, True, True, True]
    # the minute's 4 are spent: wait for the next minute, 30 s away
    assert ask() == (False, 30)
    assert ask() == (False, 30)
    # half way through the next minute the previous one still weighs half (4 x 0.5 = 2): two more
    # requests, not one (the refused ones above were not counted)
    clock["now"] = 60 * 1001 + 30.0
    assert [ask()[0] for _ in range(2)] == [True, True]
    # 2 + 4 x 0.5 = 4: the next one waits until the previous minute weighs a quarter, 15 s on
    assert ask() == (False, 15)
    clock["now"] = 60 * 1001 + 45.0
    assert ask()[0] is True
