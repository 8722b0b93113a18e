"""B-6, B-7, B-9, B-12, X-8: the State Corporation files the disability benefits' application for a
person under their registered MSE act, in the admin or through the API (point 7: "the receiving
specialist queries ... through the gateway"; point 24: 7 working days from registration)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from benefits.models import Application, Assignment, DisabilityOffer, JournalEntry, Stage
from benefits.services_disability import (
    disability_application_file,
    disability_decision_form,
    disability_offer_consent,
)
from notifications.models import Message
from portal.accounts.services import api_token_create, integrator_create
from portal.errors import ApplicationError
from tests.benefits.mse import act_for
from tests.portal.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
API = "/api/v1/benefits/disability/applications/"


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h), TZ)


def _client(name="State Corporation", kind="goscorp", scopes=("benefits:write", "benefits:read")):
    corp = integrator_create(name=name, kind=kind)
    _token, key = api_token_create(integrator=corp, name="t", scopes=list(scopes))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return corp, c


def _recent_act(capture, **kw):
    return act_for(capture, examined_on=timezone.localdate() - dt.timedelta(days=20), **kw)


# --- B-9: registered at once, the decision due in 7 working days ------------------------------------


def test_b9_state_corporation_filing_due_7_working_days_across_independence_day(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 11, 2))
    staff = UserFactory(is_staff=True)
    # Mon 14 Dec 2026: 14, 15, [Independence Day 16 Dec], 17, 18, 21, 22, 23 -> the 7th is Wed 23 Dec
    [application] = disability_application_file(
        person=act.person, consent_personal_data=True, filed_by_user=staff, now=at(2026, 12, 14)
    )
    application.refresh_from_db()
    assert (application.programme, application.channel, application.stage) == ("disability", "goscorp", "accepted")
    assert (application.confirmed_by, application.filed_by_user) == ("staff", staff)
    assert application.number.startswith("D-2026-")
    assert application.registered_at == at(2026, 12, 14)
    assert timezone.localtime(application.decision_due_at) == at(2026, 12, 23, 18)
    assert JournalEntry.objects.filter(application=application).exists()
    assert not hasattr(application, "decision")  # not the automatic path (B-8): staff form it
    # assigned from the day disability was established, within 3 months of the application (B-6)
    assert application.assignment.start_date == dt.date(2026, 11, 2)


# --- B-6: from the establishment, no more than 3 months before the application ---------------------


def test_b6_state_corporation_filing_assigned_no_earlier_than_3_months_before_it(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 8, 10))
    [application] = disability_application_file(person=act.person, consent_personal_data=True, now=at(2026, 12, 14))
    # established 10 Aug 2026, applied 14 Dec 2026: 3 months back is 14 Sep 2026
    assert application.assignment.right_from == dt.date(2026, 8, 10)
    assert application.assignment.applied_on == dt.date(2026, 12, 14)
    assert application.assignment.start_date == dt.date(2026, 9, 14)


# --- B-7: staff form the decision from the state systems, through the port ---------------------------


def test_b7_state_corporation_filing_decided_from_the_disability_database(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 11, 2))
    [application] = disability_application_file(person=act.person, consent_personal_data=True, now=at(2026, 12, 14))
    decision = disability_decision_form(application=application)
    assert decision.kind == "assigned"
    check = application.checks.get(code="b7_disability_established")
    assert check.passed
    assert check.source == "demo"


def test_b10_state_corporation_filing_without_consent_refuses_on_ground_3(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 11, 2))
    [application] = disability_application_file(person=act.person, consent_personal_data=False, now=at(2026, 12, 14))
    assert application.decision.kind == "refused"
    assert application.decision.ground_code == "b10_3_no_consent"


# --- B-12: the one application, and the offer it answers ---------------------------------------------


def test_b12_state_corporation_filing_answers_the_offer_and_no_sms_reply_files_twice(
    django_capture_on_commit_callbacks,
):
    act = act_for(
        django_capture_on_commit_callbacks, examined_on=dt.date(2026, 11, 2), cause="since_childhood", group="1"
    )
    applications = disability_application_file(
        person=act.person, benefits=["group1_care", "social"], consent_personal_data=True, now=at(2026, 12, 14)
    )
    assert [a.assignment.benefit for a in applications] == ["social", "group1_care"]
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.status == "consented"
    with pytest.raises(ApplicationError) as exc:
        disability_offer_consent(offer=offer, chosen=["social"], consent_personal_data=True)
    assert exc.value.code == "offer_answered"
    assert Application.objects.count() == 2


def test_b12_a_benefit_the_act_gives_no_right_to_is_refused(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 11, 2))
    with pytest.raises(ApplicationError) as exc:
        disability_application_file(
            person=act.person, benefits=["group1_care"], consent_personal_data=True, now=at(2026, 12, 14)
        )
    assert (exc.value.code, exc.value.field) == ("benefit_not_offered", "benefits")
    assert not Application.objects.exists()


# --- the API ------------------------------------------------------------------------------------------


def test_b9_api_files_201_with_the_id_stage_and_due_date(django_capture_on_commit_callbacks):
    corp, c = _client()
    act = _recent_act(django_capture_on_commit_callbacks)
    response = c.post(
        API, {"benefits": ["social"], "consent_personal_data": True}, format="json", HTTP_X_CITIZEN_IIN=act.person.iin
    )
    assert response.status_code == 201, response.content
    [body] = response.json()["applications"]
    application = Application.objects.get()
    assert body["id"] == str(application.public_id)
    assert (body["stage"], body["channel"], body["programme"]) == ("accepted", "goscorp", "disability")
    assert body["decision_due_at"] is not None
    assert application.filed_by_integrator == corp
    # the State Corporation reads the application it filed
    assert c.get(f"/api/v1/benefits/applications/{body['id']}/").status_code == 200


def test_b12_api_duplicate_is_409_and_nothing_is_saved(django_capture_on_commit_callbacks):
    _corp, c = _client()
    act = _recent_act(django_capture_on_commit_callbacks)
    body = {"consent_personal_data": True}
    assert c.post(API, body, format="json", HTTP_X_CITIZEN_IIN=act.person.iin).status_code == 201
    counts = (Application.objects.count(), Assignment.objects.count(), JournalEntry.objects.count())
    messages = Message.objects.count()
    response = c.post(API, body, format="json", HTTP_X_CITIZEN_IIN=act.person.iin)
    assert response.status_code == 409
    assert response.json()["errors"][0] == {
        "field": "benefits",
        "code": "disability_application_exists",
        "message": "An application for this benefit under this person's MSE act has already been filed.",
    }
    assert (Application.objects.count(), Assignment.objects.count(), JournalEntry.objects.count()) == counts
    assert Message.objects.count() == messages


def test_b10_api_without_consent_names_the_field_and_saves_nothing(django_capture_on_commit_callbacks):
    _corp, c = _client()
    act = _recent_act(django_capture_on_commit_callbacks)
    response = c.post(API, {"benefits": ["social"]}, format="json", HTTP_X_CITIZEN_IIN=act.person.iin)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "consent_personal_data"
    assert not Application.objects.exists()
    assert DisabilityOffer.objects.get(act=act).status == "offered"


def test_b6_api_person_without_a_disability_act_is_refused():
    _corp, c = _client()
    person = PersonFactory()
    response = c.post(API, {"consent_personal_data": True}, format="json", HTTP_X_CITIZEN_IIN=person.iin)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_disability_act"
    assert not Application.objects.exists()
    assert not DisabilityOffer.objects.exists()


def test_b6_api_act_not_recognising_disability_is_refused(django_capture_on_commit_callbacks):
    _corp, c = _client()
    act = _recent_act(django_capture_on_commit_callbacks, recognised=False, group="", cause="", term_until=None)
    response = c.post(API, {"consent_personal_data": True}, format="json", HTTP_X_CITIZEN_IIN=act.person.iin)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_disability_act"
    assert not Application.objects.exists()


def test_x8_mis_token_is_refused_and_nothing_is_saved(django_capture_on_commit_callbacks):
    act = _recent_act(django_capture_on_commit_callbacks)
    _mis, m = _client(name="MIS", kind="mis")
    response = m.post(API, {"consent_personal_data": True}, format="json", HTTP_X_CITIZEN_IIN=act.person.iin)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_state_corporation"
    _corp, read_only = _client(scopes=("benefits:read",))
    response = read_only.post(API, {"consent_personal_data": True}, format="json", HTTP_X_CITIZEN_IIN=act.person.iin)
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_x8_api_person_in_the_header_only():
    _corp, c = _client()
    response = c.post(API, {"consent_personal_data": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "citizen_iin"


# --- the admin ------------------------------------------------------------------------------------------


def _staff(client, *codenames):
    user = UserFactory(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="benefits"))
    client.force_login(user)
    return user


def test_b9_state_corporation_staff_file_in_the_admin(client, django_capture_on_commit_callbacks):
    user = _staff(client, "add_application", "view_application")
    act = _recent_act(django_capture_on_commit_callbacks)
    url = reverse("admin:benefits_application_file_disability")
    data = {"person_iin": act.person.iin, "benefits": ["social"], "consent_personal_data": "on"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get()
    assert (application.channel, application.confirmed_by, application.filed_by_user) == ("goscorp", "staff", user)
    assert application.stage == Stage.ACCEPTED
    response = client.post(url, data)  # the same again: refused on the form, nothing more saved
    assert response.status_code == 200
    assert "benefits" in response.context["form"].errors
    assert Application.objects.count() == 1


def test_b9_admin_disability_form_refused_without_permission(client):
    _staff(client)
    assert client.get(reverse("admin:benefits_application_file_disability")).status_code == 403
