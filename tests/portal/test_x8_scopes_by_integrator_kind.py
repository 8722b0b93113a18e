"""X-8: a scope an app keeps for some integrator kinds is refused when a token is issued to any other
kind (the registry of doctor-experts' ``experts:read`` is for the Committee's own systems only), by the
service and on the admin's form; the app's use-time refusal stays as the second line
(tests/expert_registry/test_item11_api.py)."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.accounts.models import ApiToken, Integrator, User
from portal.accounts.services import api_token_create, integrator_create
from portal.errors import ApplicationError

pytestmark = pytest.mark.django_db

REFUSAL = 'The scope experts:read cannot be given to an integrator of the kind "medical information system (MIS)".'


def test_x8_a_committee_system_gets_an_experts_read_token():
    committee = integrator_create(name="Committee registry system", kind="committee")
    token, key = api_token_create(integrator=committee, name="registry", scopes=["experts:read", "acts:read"])
    assert token.scopes == ["acts:read", "experts:read"]
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).integrator == committee


def test_x8_an_mis_is_refused_experts_read_with_the_field_and_code_and_nothing_saved():
    mis = integrator_create(name="Hospital MIS", kind="mis")
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        api_token_create(integrator=mis, name="registry", scopes=["referrals:write", "experts:read"])
    [item] = refused.value.items
    assert (item.field, item.code) == ("scopes", "scope_not_for_integrator_kind")
    assert str(item.message) == REFUSAL
    assert not ApiToken.objects.exists()
    # the MIS's own scopes are still issued
    token, _key = api_token_create(integrator=mis, name="intake", scopes=["referrals:write"])
    assert list(ApiToken.objects.values_list("scopes", flat=True)) == [["referrals:write"]]
    assert token.integrator == mis


@pytest.fixture
def admin_client(client):
    admin = User.objects.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _integrator_form(integrator: Integrator, **tokens) -> dict:
    data = {
        "name": integrator.name,
        "kind": integrator.kind,
        "bin": integrator.bin,
        "user": integrator.user_id,
        "is_active": "on",
        "language": "",
        "tokens-TOTAL_FORMS": "1",
        "tokens-INITIAL_FORMS": "0",
        "tokens-MIN_NUM_FORMS": "0",
        "tokens-MAX_NUM_FORMS": "1000",
    }
    data.update({f"tokens-0-{field}": value for field, value in tokens.items()})
    return data


def test_x8_the_admin_form_shows_the_refusal_on_the_scopes_and_saves_nothing(admin_client):
    mis = integrator_create(name="Hospital MIS", kind="mis")
    url = f"/admin/accounts/integrator/{mis.pk}/change/"
    # when: a token row with the Committee's scope is added on the MIS's page
    answer = admin_client.post(
        url, _integrator_form(mis, name="registry", scopes=["experts:read"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    # then: the page again, the error on the row's scopes, no token
    assert answer.status_code == 200
    [row] = answer.context["inline_admin_formsets"][0].formset.forms
    assert row.errors.as_data()["scopes"][0].code == "scope_not_for_integrator_kind"
    assert row.errors["scopes"] == [REFUSAL]
    assert REFUSAL.replace('"', "&quot;") in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_x8_the_admin_issues_a_token_row_the_kind_may_hold_and_shows_the_key_once(admin_client):
    mis = integrator_create(name="Hospital MIS", kind="mis")
    url = f"/admin/accounts/integrator/{mis.pk}/change/"
    answer = admin_client.post(url, _integrator_form(mis, name="intake", scopes=["referrals:write"]), follow=True)
    assert answer.status_code == 200
    token = ApiToken.objects.get()
    assert (token.integrator, token.name, token.scopes) == (mis, "intake", ["referrals:write"])
    shown = [str(m) for m in answer.context["messages"] if token.prefix in str(m)]
    assert len(shown) == 1
    [key] = [word for word in shown[0].split() if word.startswith(token.prefix)]
    assert ApiToken.hash_key(key) == token.key_hash


def test_x8_changing_the_kind_in_the_admin_is_refused_while_a_token_holds_its_scope(admin_client):
    committee = integrator_create(name="Committee registry system", kind="committee")
    token, _key = api_token_create(integrator=committee, name="registry", scopes=["experts:read"])
    data = _integrator_form(committee, id=str(token.pk), name="registry", scopes=["experts:read"])
    data.update({"kind": "mis", "tokens-INITIAL_FORMS": "1", "tokens-0-integrator": str(committee.pk)})
    answer = admin_client.post(f"/admin/accounts/integrator/{committee.pk}/change/", data)
    assert answer.status_code == 200
    [row] = answer.context["inline_admin_formsets"][0].formset.forms
    assert row.errors.as_data()["scopes"][0].code == "scope_not_for_integrator_kind"
    assert Integrator.objects.get(pk=committee.pk).kind == "committee"


def test_x8_the_admins_all_scopes_token_holds_only_what_the_kind_may(admin_client):
    mis = integrator_create(name="Hospital MIS", kind="mis")
    committee = integrator_create(name="Committee registry system", kind="committee")
    answer = admin_client.post(
        "/admin/accounts/integrator/",
        {"action": "issue_token", "_selected_action": [mis.pk, committee.pk]},
    )
    assert answer.status_code == 302
    assert "experts:read" not in ApiToken.objects.get(integrator=mis).scopes
    assert "referrals:write" in ApiToken.objects.get(integrator=mis).scopes
    assert "experts:read" in ApiToken.objects.get(integrator=committee).scopes
