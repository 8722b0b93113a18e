"""Item 8: a referral's remote status for integrators (X-8), and the SMS that the case was received."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from mse_pilot.models import RemoteCase
from mse_pilot.sms import PilotSms
from notifications.models import Message, Template
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.scopes import Scope
from portal.accounts.services import api_token_create, integrator_create
from portal.referrals.models import Referral

pytestmark = pytest.mark.django_db


def url(referral) -> str:
    return f"/api/v1/pilot/referrals/{referral.public_id}/remote-status/"


def test_item8_status_of_a_pilot_referral_gives_decision_stage_and_due_time(window, intake, api):
    referral, _ = intake("Q90.0")
    case = RemoteCase.objects.get(referral=referral)
    response = api.get(url(referral), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["referral_id"] == str(referral.public_id)
    assert body["route"] == "remote_pilot"
    assert body["decision"]["remote"] is True
    assert body["decision"]["reason"] == "pilot"
    assert body["decision"]["nosology_group"] == "down_syndrome"
    assert body["case"]["id"] == str(case.public_id)
    assert body["case"]["stage"] == "waiting"
    assert body["case"]["stage_text"] == "draft act on the waiting list"
    assert body["case"]["due_at"].endswith("18:00:00+05:00")
    # the integrator's read is logged
    assert PersonalDataAccess.objects.filter(person=referral.person, channel="api").exists()


def test_item8_status_of_an_in_person_referral_has_its_reason_and_no_case(intake, api):
    referral, _ = intake("I63.5", [])
    body = api.get(url(referral)).json()
    assert body["route"] == "in_person"
    assert body["decision"]["reason"] == "no_nosology"
    assert body["case"] is None


def test_item8_another_integrators_referral_is_404(window, intake):
    referral, _ = intake("Q90.0")
    stranger = integrator_create(name="Other MIS", kind="mis")
    _token, key = api_token_create(integrator=stranger, name="x", scopes=[Scope.REFERRALS_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(url(referral)).status_code == 404


def test_item8_status_needs_the_read_scope(window, intake, integrator):
    referral, _ = intake("Q90.0")
    _token, key = api_token_create(integrator=integrator, name="w", scopes=[Scope.REFERRALS_WRITE])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(url(referral)).status_code == 403
    assert APIClient().get(url(referral)).status_code == 401


def test_item8_the_person_gets_the_case_received_sms_in_their_language(window, intake, person):
    person.preferred_language = "kk"
    person.save(update_fields=["preferred_language"])
    referral, _ = intake("Q90.0")
    message = Message.objects.get(template__key=PilotSms.CASE_RECEIVED)
    assert message.recipient_id == person.pk
    assert "сырттай проактивті куәландыруға қабылданды" in message.text
    # a resend of the form sends nothing more (dedupe)
    assert Message.objects.filter(template__key=PilotSms.CASE_RECEIVED).count() == 1
    # the in-person queue's N-Q1 is not sent for a pilot referral
    assert not Message.objects.filter(template__key="queue_invited").exists()
    assert referral.route == Referral.Route.REMOTE_PILOT


def test_item8_no_sms_and_no_case_when_the_intake_rolls_back(window, intake):
    def intake_then_fail():
        with transaction.atomic():
            intake("Q90.0")
            raise RuntimeError("the intake's transaction fails after routing")

    with pytest.raises(RuntimeError):
        intake_then_fail()
    assert not RemoteCase.objects.exists()
    assert not Message.objects.exists()


def test_item8_the_template_is_seeded_in_three_languages():
    template = Template.objects.get(key=PilotSms.CASE_RECEIVED)
    assert "заочного проактивного освидетельствования" in template.text_ru
    assert "remote proactive examination" in template.text_en
    assert template.text_kk


def test_item8_schema_documents_the_remote_status(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/pilot/referrals/{public_id}/remote-status/"]["get"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
