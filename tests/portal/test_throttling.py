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
