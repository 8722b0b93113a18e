"""B-13, B-14 (and B-5 for the funeral API): the survivor benefit filed through the citizen's page
(confirmed by a code to the registered phone, for oneself or a ward), the State Corporation's admin
form and its API (JSON or multipart with the documents); bad input names the field and saves
nothing; others do not see the application."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, ApplicationCode, ApplicationDocument, Stage
from benefits.services import application_code_request
from benefits.services_survivor import DependantInput, survivor_application_code_confirm
from portal.statedata.models import DemoRecord
from portal.statedata.systems import CIVIL_REGISTRY_DEATH
from portal.validators import iin_build
from tests.benefits.conftest import DECEASED, died
from tests.benefits.helpers import (
    CHILD_BORN,
    EXE,
    PDF,
    a_child,
    at,
    child_iin,
    citizen_user,
    integrator_client,
    stored_files,
    survivor_form,
    upload,
)
from tests.portal.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/benefits/survivor/applications/"


def right_day() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=20)


def page_data(code: str, dependants: list[dict], **extra) -> dict:
    return survivor_form(dependants, code=code, **extra)


def code_requested(client, sent) -> tuple[ApplicationCode, str]:
    response = client.post(reverse("benefits:survivor-apply"), {"deceased_iin": DECEASED})
    row = ApplicationCode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:survivor-confirm", kwargs={"code_id": row.public_id})
    return row, [c for c in sent if c["template"] == "benefit_application_code"][-1]["context"]["code"]


def confirm_url(row: ApplicationCode) -> str:
    return reverse("benefits:survivor-confirm", kwargs={"code_id": row.public_id})


# --- the citizen's page ------------------------------------------------------------------------------


def test_b13_portal_files_with_the_code_then_receipt_and_cabinet_with_stage_and_due_date(citizen_client, citizen, sent):
    row, code = code_requested(citizen_client, sent)
    assert [c for c in sent if c["template"] == "benefit_application_code"][-1]["recipient"] == citizen.person
    assert not Application.objects.exists()  # nothing filed before the code
    assert citizen_client.get(confirm_url(row)).status_code == 200

    response = citizen_client.post(
        confirm_url(row), page_data(code, [a_child(1), a_child(2, kinship_document="", kinship=upload(PDF))])
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:receipt", kwargs={"public_id": application.public_id})
    assert (application.programme, application.channel, application.confirmed_by) == ("survivor", "portal", "sms_code")
    assert application.applicant == citizen.person
    assert application.filed_by_user == citizen
    assert application.stage == Stage.DECISION_DRAFT
    assert application.dependants.count() == 2
    assert application.documents.get().kind == "kinship"
    assert ApplicationCode.objects.get().used_at is not None
    receipt = citizen_client.get(response["Location"]).content.decode()
    assert application.number in receipt
    cabinet = citizen_client.get(reverse("benefits:cabinet")).content.decode()
    assert application.number in cabinet
    assert str(Stage(application.stage).label) in cabinet
    assert timezone.localtime(application.decision_due_at).strftime("%Y") in cabinet


def test_b14_portal_application_due_in_7_working_days_across_independence_day(citizen, sent):
    # filed Mon 15 Dec 2025; Tue 16 Dec is Independence Day: 15, 17, 18, 19, 22, 23, 24 -> Wed 24 Dec
    now = at(2025, 12, 15)
    row = application_code_request(person=citizen.person, deceased_iin=DECEASED, programme="survivor", now=now)
    code = sent[-1]["context"]["code"]
    application = survivor_application_code_confirm(
        person=citizen.person,
        code_id=row.public_id,
        code=code,
        applicant=citizen.person,
        right_arose_on=dt.date(2025, 12, 1),
        death_document="death I-1",
        dependants=[
            DependantInput(iin=child_iin(1), birth_date=CHILD_BORN, relation="child", kinship_document="birth I-1")
        ],
        consent_personal_data=True,
        now=now,
    )
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2025, 12, 24)
    assert application.assignment.start_date == dt.date(2025, 12, 1)


def test_b13_portal_missing_kinship_proof_names_the_dependant_and_files_nothing(citizen_client, sent):
    row, code = code_requested(citizen_client, sent)
    response = citizen_client.post(confirm_url(row), page_data(code, [a_child(1), a_child(2, kinship_document="")]))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["kinship_document"] == ["Give the document proving kinship with the deceased."]
    assert not formset.forms[0].errors
    assert "Dependant 2" in response.content.decode()  # the error summary names the row
    assert not Application.objects.exists()
    assert ApplicationCode.objects.get().used_at is None  # the code still files once corrected


def test_b13_portal_dependant_over_23_is_refused(citizen_client, sent):
    row, code = code_requested(citizen_client, sent)
    grown = {
        "iin": iin_build(dt.date(2000, 1, 1), female=True, serial=777),
        "relation": "child",
        "kinship_document": "birth I-9",
        "study_certificate_number": "12",
        "full_time_until": (timezone.localdate() + dt.timedelta(days=100)).isoformat(),
    }
    response = citizen_client.post(confirm_url(row), page_data(code, [a_child(1), grown]))
    assert response.status_code == 200
    assert "full_time_until" in response.context["formset"].forms[1].errors
    assert not Application.objects.exists()


def test_b13_portal_wrong_file_type_names_the_field_and_stores_nothing(citizen_client, sent, private_root):
    row, code = code_requested(citizen_client, sent)
    data = page_data(code, [a_child(1)], military_id=upload(PDF), death_document=upload(EXE, "death.pdf"))
    response = citizen_client.post(confirm_url(row), data)
    assert response.status_code == 200
    assert response.context["form"].errors["death_document"] == ["Only PDF, JPEG or PNG files are accepted."]
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_root) == []


def test_b13_portal_bad_dependant_iin_names_the_row(citizen_client, sent):
    row, code = code_requested(citizen_client, sent)
    response = citizen_client.post(confirm_url(row), page_data(code, [a_child(1, iin="123")]))
    assert response.status_code == 200
    assert "iin" in response.context["formset"].forms[0].errors
    assert not Application.objects.exists()


def test_b13_portal_legal_representative_files_for_the_ward_others_do_not_see_it(citizen_client, citizens_ward, sent):
    row, code = code_requested(citizen_client, sent)
    response = citizen_client.post(confirm_url(row), page_data(code, [a_child(1)], applicant=str(citizens_ward.pk)))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant == citizens_ward
    assert application.number in citizen_client.get(reverse("benefits:cabinet")).content.decode()

    stranger = citizen_user(PersonFactory())
    citizen_client.force_login(stranger)  # another citizen signs in on the same client
    receipt = reverse("benefits:receipt", kwargs={"public_id": application.public_id})
    assert citizen_client.get(receipt).status_code == 404
    assert application.number not in citizen_client.get(reverse("benefits:cabinet")).content.decode()
    # and the stranger cannot use the representative's code
    assert citizen_client.post(confirm_url(row), page_data(code, [a_child(2)])).status_code == 404


def test_b13_portal_someone_not_represented_cannot_be_chosen(citizen_client, sent):
    row, code = code_requested(citizen_client, sent)
    other = PersonFactory()
    response = citizen_client.post(confirm_url(row), page_data(code, [a_child(1)], applicant=str(other.pk)))
    assert response.status_code == 200
    assert "applicant" in response.context["form"].errors
    assert not Application.objects.exists()


def test_b13_portal_without_consent_refused_on_b10_3_with_where_to_complain(citizen_client, sent):
    row, code = code_requested(citizen_client, sent)
    data = page_data(code, [a_child(1)])
    del data["consent_personal_data"]
    response = citizen_client.post(confirm_url(row), data)
    application = Application.objects.get()
    assert application.decision.kind == "refused"
    assert application.decision.ground_code == "b10_3_no_consent"
    receipt = citizen_client.get(response["Location"]).content.decode()
    assert "quality of public services" in receipt or "качеством оказания" in receipt or "сапасын" in receipt


def test_b13_portal_a_funeral_code_does_not_file_a_survivor_application(citizen_client, citizen, sent):
    row = application_code_request(person=citizen.person, deceased_iin=DECEASED)  # the funeral payment's
    assert citizen_client.get(confirm_url(row)).status_code == 404


# --- the State Corporation's admin form ------------------------------------------------------------


def _staff(client, *codenames):
    user = UserFactory(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="benefits"))
    client.force_login(user)
    return user


def _admin_data(applicant_iin: str, dependants: list[dict], **extra) -> dict:
    data = page_data("", dependants, **extra)
    for key in ("applicant", "code"):
        data.pop(key)
    data.update({"deceased_iin": DECEASED, "applicant_iin": applicant_iin})
    return data


def test_b13_state_corporation_staff_file_in_the_admin(client):
    user = _staff(client, "add_application", "view_application")
    applicant = PersonFactory()
    response = client.post(
        reverse("admin:benefits_application_file_survivor"),
        _admin_data(applicant.iin, [a_child(1)], guardianship=upload(PDF)),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get()
    assert (application.channel, application.confirmed_by, application.filed_by_user) == ("goscorp", "staff", user)
    assert application.applicant == applicant
    assert application.documents.get().kind == "guardianship"


def test_b13_admin_form_names_the_dependant_and_saves_nothing(client):
    _staff(client, "add_application")
    response = client.post(
        reverse("admin:benefits_application_file_survivor"),
        _admin_data(PersonFactory().iin, [a_child(1), a_child(2, kinship_document="")]),
    )
    assert response.status_code == 200
    assert "kinship_document" in response.context["formset"].forms[1].errors
    assert not Application.objects.exists()


def test_b13_admin_form_refused_without_permission(client):
    _staff(client)
    assert client.get(reverse("admin:benefits_application_file_survivor")).status_code == 403


# --- the State Corporation's API -----------------------------------------------------------------------


def _api_body(dependants: list[dict], **extra) -> dict:
    return {
        "deceased_iin": DECEASED,
        "right_arose_on": right_day().isoformat(),
        "death_document_number": "death I-1",
        "consent_personal_data": True,
        "dependants": dependants,
        **extra,
    }


def test_b13_api_files_json_and_the_status_endpoint_shows_it_to_its_filer_only():
    corp, c = integrator_client()
    applicant = PersonFactory()
    response = c.post(API, _api_body([a_child(1), a_child(2)]), format="json", HTTP_X_CITIZEN_IIN=applicant.iin)
    assert response.status_code == 201, response.json()
    body = response.json()
    application = Application.objects.get(public_id=body["id"])
    assert (application.programme, application.channel, application.filed_by_integrator) == (
        "survivor",
        "goscorp",
        corp,
    )
    assert application.applicant == applicant
    assert body["programme"] == "survivor"
    assert body["stage"] == "decision_draft"
    status = c.get(f"/api/v1/benefits/applications/{body['id']}/")
    assert status.status_code == 200
    assert status.json()["number"] == application.number
    _other, c2 = integrator_client(name="Other SC")
    assert c2.get(f"/api/v1/benefits/applications/{body['id']}/").status_code == 404


def test_b13_api_multipart_with_the_documents():
    _corp, c = integrator_client()
    student_iin = iin_build(dt.date(2006, 3, 3), female=True, serial=321)
    body = {
        "deceased_iin": DECEASED,
        "right_arose_on": right_day().isoformat(),
        "consent_personal_data": "true",
        "death_document": upload(PDF),
        "dependants[0].iin": student_iin,
        "dependants[0].relation": "child",
        "dependants[0].kinship": upload(PDF),
        "dependants[0].study_certificate_number": "112",
        "dependants[0].school_bin": "040340000007",
        "dependants[0].full_time_until": (timezone.localdate() + dt.timedelta(days=100)).isoformat(),
        "dependants[0].study_certificate": upload(PDF),
    }
    response = c.post(API, body, format="multipart", HTTP_X_CITIZEN_IIN=PersonFactory().iin)
    assert response.status_code == 201, response.json()
    application = Application.objects.get()
    assert sorted(application.documents.values_list("kind", flat=True)) == [
        "death_document",
        "kinship",
        "study_certificate",
    ]
    assert application.dependants.get().iin == student_iin


def test_b13_api_missing_kinship_proof_names_dependants_1():
    _corp, c = integrator_client()
    response = c.post(
        API,
        _api_body([a_child(1), a_child(2, kinship_document="")]),
        format="json",
        HTTP_X_CITIZEN_IIN=PersonFactory().iin,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "dependants[1].kinship_document",
            "code": "kinship_document_missing",
            "message": "Give the document proving kinship with the deceased.",
        }
    ]
    assert not Application.objects.exists()


def test_b13_api_bad_dependant_iin_named_with_the_index():
    _corp, c = integrator_client()
    response = c.post(
        API, _api_body([a_child(1), a_child(2, iin="12")]), format="json", HTTP_X_CITIZEN_IIN=PersonFactory().iin
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"dependants[1].iin"}


def test_b13_api_dependant_over_23_refused():
    _corp, c = integrator_client()
    grown = {"iin": iin_build(dt.date(2000, 1, 1), female=True, serial=777), "relation": "child"}
    grown["kinship_document"] = "birth I-9"
    response = c.post(API, _api_body([grown]), format="json", HTTP_X_CITIZEN_IIN=PersonFactory().iin)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("dependants[0].full_time_until", "dependant_not_eligible")
    assert not Application.objects.exists()


def test_b13_api_wrong_file_type_names_the_field_and_stores_nothing(private_root):
    _corp, c = integrator_client()
    body = {
        "deceased_iin": DECEASED,
        "right_arose_on": right_day().isoformat(),
        "consent_personal_data": "true",
        "military_id": upload(PDF),
        "death_document": upload(EXE, "death.pdf"),
        "dependants[0].iin": child_iin(1),
        "dependants[0].relation": "child",
        "dependants[0].kinship_document": "I-1",
    }
    response = c.post(API, body, format="multipart", HTTP_X_CITIZEN_IIN=PersonFactory().iin)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "death_document"
    assert response.json()["errors"][0]["code"] == "file_type"
    assert not Application.objects.exists()
    assert stored_files(private_root) == []


def test_b13_api_without_the_scope_is_403_and_others_are_refused():
    _corp, c = integrator_client(scopes=("benefits:read",))
    person = PersonFactory()
    assert c.post(API, _api_body([a_child(1)]), format="json", HTTP_X_CITIZEN_IIN=person.iin).status_code == 403
    _mis, m = integrator_client(name="MIS", kind="mis")
    response = m.post(API, _api_body([a_child(1)]), format="json", HTTP_X_CITIZEN_IIN=person.iin)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_state_corporation"
    assert not Application.objects.exists()


def test_b13_api_applicant_in_the_header_only():
    _corp, c = integrator_client()
    response = c.post(API, _api_body([a_child(1)]), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "citizen_iin"
    unknown = iin_build(dt.date(1980, 1, 1), female=False, serial=999)
    response = c.post(API, _api_body([a_child(1)]), format="json", HTTP_X_CITIZEN_IIN=unknown)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "person_unknown"
    assert not Application.objects.exists()


# --- B-5: the funeral API takes the documents as multipart parts ---------------------------------------


def test_b5_funeral_api_takes_the_death_certificate_when_the_registry_has_none(sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    DemoRecord.objects.filter(system=CIVIL_REGISTRY_DEATH).delete()
    _corp, c = integrator_client()
    applicant = PersonFactory()
    base = {
        "deceased_iin": DECEASED,
        "applicant_iin": applicant.iin,
        "death_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
        "death_certificate": "foreign-7",
    }
    refused = c.post("/api/v1/benefits/funeral/applications/", base, format="json")
    assert refused.json()["refusal_code"] == "death_certificate_missing"
    response = c.post(
        "/api/v1/benefits/funeral/applications/",
        {**base, "death_certificate_file": upload(PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "decision_draft"
    application = Application.objects.get(public_id=response.json()["id"])
    assert application.documents.get().kind == "death_certificate"


def test_b5_funeral_api_wrong_file_type_names_the_part(private_root):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    _corp, c = integrator_client()
    response = c.post(
        "/api/v1/benefits/funeral/applications/",
        {
            "deceased_iin": DECEASED,
            "applicant_iin": PersonFactory().iin,
            "death_certificate_file": upload(EXE, "c.pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        "death_certificate_file",
        "file_type",
    )
    assert not Application.objects.exists()
    assert stored_files(private_root) == []
