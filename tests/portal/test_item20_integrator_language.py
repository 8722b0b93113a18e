"""X-1 for integrators: errors in the integrator's configured language when a call sends no
Accept-Language; the token command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from portal.accounts.models import ApiToken
from portal.accounts.services import api_token_create
from tests.portal.factories import IntegratorFactory

pytestmark = pytest.mark.django_db

# A referral with no fields: the first error is a required field's, in DRF's words.
URL = "/api/v1/referrals/"


def _client(language: str | None) -> APIClient:
    integrator = IntegratorFactory(**({"language": language} if language else {}))
    _token, key = api_token_create(integrator=integrator, name="t", scopes=["referrals:write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _first_message(response) -> str:
    return response.json()["errors"][0]["message"]


def test_item20_errors_in_the_integrators_language_without_accept_language():
    r = _client("en").post(URL, {}, format="json")
    assert r.status_code == 400
    assert _first_message(r) == "This field is required."
    assert r["Content-Language"] == "en"


def test_item20_accept_language_wins_over_the_integrators_language():
    r = _client("en").post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert _first_message(r) == "Обязательное поле."


def test_item20_an_integrator_without_a_choice_gets_the_portals_default_russian(settings):
    settings.LANGUAGE_CODE = "ru"
    r = _client(None).post(URL, {}, format="json")
    assert _first_message(r) == "Обязательное поле."


def test_item20_issue_api_token_command_prints_a_working_key():
    integrator = IntegratorFactory(name="MIS Damumed")
    out = io.StringIO()
    call_command(
        "issue_api_token", "--integrator", "MIS Damumed", "--scopes", "referrals:read,bookings:read", stdout=out
    )
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(integrator=integrator)
    assert token.scopes == ["bookings:read", "referrals:read"]
    assert token.key_hash == ApiToken.hash_key(key)


def test_item20_issue_api_token_refuses_an_unknown_scope_or_integrator():
    IntegratorFactory(name="MIS Damumed")
    with pytest.raises(CommandError):
        call_command("issue_api_token", "--integrator", "MIS Damumed", "--scopes", "everything", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("issue_api_token", "--integrator", "Nobody", "--scopes", "referrals:read", stdout=io.StringIO())
    assert not ApiToken.objects.exists()
