"""Item 8: a referral's remote result for integrators (act number and decision), within X-8 scope;
the register with filters is the core's ``/api/v1/acts/``."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mse_pilot.models import RemoteCase
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.scopes import Scope
from portal.accounts.services import api_token_create, integrator_create
from portal.acts.scopes import ActScope
from tests.mse_pilot.workspace import distributed_case, sign
from tests.portal.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def url(referral) -> str:
    return f"/api/v1/pilot/referrals/{referral.public_id}/remote-status/"


def test_item8_the_result_is_null_until_the_act_is_registered_then_number_and_decision(
    window, intake, api, person, integrator
):
    DepartmentFactory(atus=[person.registration_atu])
    referral, _ = intake("Q90.0")
    case = RemoteCase.objects.get(referral=referral)
    assert api.get(url(referral)).json()["result"] is None
    case.delete()
    case, experts = distributed_case(referral=referral)
    sign(case, experts["expert_head"], group="2")
    case.refresh_from_db()
    body = api.get(url(referral), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["case"]["stage"] == "registered"
    assert body["case"]["stage_text"] == "act registered"
    result = body["result"]
    assert result["act_number"] == case.act.number
    assert result["act_id"] == str(case.act.public_id)
    assert result["recognised"] is True
    assert result["group"] == "2"
    assert result["cause"] == "since_childhood"
    assert result["examined_on"] == timezone.localdate().isoformat()
    assert PersonalDataAccess.objects.filter(person=person, channel="api", subject="mse_act").exists()
    # the same act in the core's register, read by the same integrator
    _token, key = api_token_create(integrator=integrator, name="acts", scopes=[ActScope.READ])
    register = APIClient()
    register.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    acts = register.get("/api/v1/acts/")
    assert acts.status_code == 200, acts.content
    assert case.act.number in acts.content.decode()


def test_item8_another_integrator_gets_404_for_the_result(window, intake, person):
    DepartmentFactory(atus=[person.registration_atu])
    referral, _ = intake("Q90.0")
    RemoteCase.objects.filter(referral=referral).delete()
    case, experts = distributed_case(referral=referral)
    sign(case, experts["expert_head"])
    case.refresh_from_db()
    stranger = integrator_create(name="Other MIS", kind="mis")
    _token, key = api_token_create(integrator=stranger, name="x", scopes=[Scope.REFERRALS_READ, ActScope.READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(url(referral)).status_code == 404
    assert case.act.number not in client.get("/api/v1/acts/").content.decode()
