"""B-7, B-9: the documents of the disability benefits. Where a state system cannot hold the record
(point 7: births registered after 13.08.2007, marriages after 01.06.2008) "the documents are attached
to the application": the decision waits for the document, asked for as more documents (+5 working
days); the applicant, their legal representative or staff of the area upload it through the core's
checks and the decision forms again, the document linking as the record would. Appendix 3 (item 5)
asks the marriage certificate only "when the parent (guardian) changed their surname"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, ApplicationCheck, ApplicationDocument, Assignment, Decision, DisabilityOffer
from benefits.programmes.disability import DocumentsNeeded, StateSystemUnavailable, raises_the_child
from benefits.selectors import applications_of_person_and_wards
from benefits.services_disability import (
    disability_decision_attempt,
    disability_document_add,
    disability_more_documents_request,
)
from benefits.statesystems import CIVIL_REGISTRY_BIRTH, CIVIL_REGISTRY_MARRIAGE
from portal.errors import ApplicationError
from portal.statedata.models import DemoRecord
from tests.benefits.helpers import EXE, PDF, at, citizen_user, national_handler, region_handler, stored_files, upload
from tests.benefits.mse import act_for
from tests.portal.factories import GuardianshipFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _child_raising(capture, *, born, parent_surname="Серикова"):
    """The benefit for raising a child with disability, applied for by the child's legal
    representative on 10.06.2025 (Tuesday) 10:00; the act of 02.06.2025."""
    child = PersonFactory(birth_date=born)
    parent = PersonFactory(last_name=parent_surname)
    GuardianshipFactory(ward=child, representative=parent)
    act = act_for(capture, person=child, category="child", cause="child", examined_on=dt.date(2025, 6, 2))
    [application] = disability_offer_consent_at(DisabilityOffer.objects.get(act=act))
    return application, child, parent


def disability_offer_consent_at(offer):
    from benefits.services_disability import disability_offer_consent

    return disability_offer_consent(
        offer=offer,
        chosen=["child_raising"],
        consent_personal_data=True,
        now=at(2025, 6, 10),
    )


def waiting_for_birth_certificate(capture) -> tuple[Application, object, object]:
    """Born 13.08.2007 with no birth record: the decision waits for the birth certificate."""
    application, child, parent = _child_raising(capture, born=dt.date(2007, 8, 13))
    with pytest.raises(DocumentsNeeded):
        disability_decision_attempt(application=application, now=at(2025, 6, 11, 0))
    return Application.objects.get(pk=application.pk), child, parent


# --- point 1: the documents the waiting decision asks for -------------------------------------------


def test_b7_waiting_for_the_birth_certificate_asks_for_it_as_more_documents_plus_5_working_days(
    django_capture_on_commit_callbacks,
):
    application, _child, _parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    assignment = Assignment.objects.get(application=application)
    assert assignment.awaited_document == "birth_certificate"
    assert assignment.more_documents_requested_at is not None
    # registered Tuesday 10.06.2025, the day counted as the first (as every term of the portal):
    # 7 + 5 working days, 10-13, 16-20, 23-25 June (no holiday between) -> Wednesday 25.06.2025
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2025, 6, 25)
    assert not Decision.objects.filter(application=application).exists()  # never refused on the gap


def test_b9_cabinet_reads_the_awaited_document_with_the_applications(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    # the cabinet asks each disability application what it awaits: one query for all, not one each
    application, _child, parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):  # the applications (own and wards') with decisions and assignments
        rows = list(applications_of_person_and_wards(person=parent))
        awaited = [row.assignment.awaited_document for row in rows]
    assert [row.pk for row in rows] == [application.pk]
    assert awaited == ["birth_certificate"]


def test_b7_applicant_uploads_the_birth_certificate_in_the_cabinet_and_the_decision_forms(
    client, django_capture_on_commit_callbacks
):
    application, _child, parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    user = citizen_user(parent)
    client.force_login(user)
    cabinet = client.get(reverse("benefits:cabinet")).content.decode()
    url = reverse("benefits:disability-documents", kwargs={"public_id": application.public_id})
    assert url in cabinet
    page = client.get(url)
    assert page.status_code == 200
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["birth_certificate"]
    answer = client.post(url, {"kind": "birth_certificate", "file": upload(PDF)})
    assert answer.status_code == 302
    document = ApplicationDocument.objects.get(application=application)
    assert (document.kind, document.uploaded_by_id, document.content_type) == (
        "birth_certificate",
        user.pk,
        "application/pdf",
    )
    decision = Decision.objects.get(application=application)
    assert decision.kind == "assigned"
    check = ApplicationCheck.objects.get(application=application, code="b7_parent_child_link")
    assert check.passed
    assert check.source == "document:birth_certificate"
    assert Assignment.objects.get(application=application).awaited_document == ""
    assert Application.objects.get(pk=application.pk).stage == "decision_draft"
    # the decision formed, nothing more is taken
    assert client.post(url, {"kind": "birth_certificate", "file": upload(PDF)}).status_code == 400
    assert ApplicationDocument.objects.filter(application=application).count() == 1


def test_b7_a_stranger_neither_sees_nor_uploads_the_document(client, django_capture_on_commit_callbacks, private_root):
    application, _child, _parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    client.force_login(citizen_user(PersonFactory()))
    url = reverse("benefits:disability-documents", kwargs={"public_id": application.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "birth_certificate", "file": upload(PDF)}).status_code == 404
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert stored_files(private_root) == []
    assert not Decision.objects.filter(application=application).exists()


def test_b7_wrong_file_type_is_refused_with_the_field_and_nothing_is_saved(
    client, django_capture_on_commit_callbacks, private_root
):
    application, _child, parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError) as caught:
        disability_document_add(application=application, kind="birth_certificate", file=upload(EXE, "scan.pdf"))
    assert [(i.field, i.code) for i in caught.value.items] == [("birth_certificate", "file_type")]
    client.force_login(citizen_user(parent))
    url = reverse("benefits:disability-documents", kwargs={"public_id": application.public_id})
    answer = client.post(url, {"kind": "birth_certificate", "file": upload(EXE, "scan.pdf")})
    assert answer.status_code == 400
    assert "file" in answer.context["form"].errors
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert stored_files(private_root) == []
    assert Assignment.objects.get(application=application).awaited_document == "birth_certificate"
    assert not Decision.objects.filter(application=application).exists()


def test_b7_a_failure_after_the_file_was_stored_leaves_neither_row_nor_file(
    django_capture_on_commit_callbacks, private_root, monkeypatch
):
    application, _child, _parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ApplicationDocument, "save", broken_save)
    with pytest.raises(RuntimeError):
        disability_document_add(application=application, kind="birth_certificate", file=upload(PDF))
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert stored_files(private_root) == []
    assert Assignment.objects.get(application=application).awaited_document == "birth_certificate"


def test_b7_a_document_not_asked_for_is_refused_with_its_field(django_capture_on_commit_callbacks, private_root):
    application, _child, _parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError) as caught:
        disability_document_add(application=application, kind="death_certificate", file=upload(PDF))
    assert caught.value.field == "death_certificate"
    assert stored_files(private_root) == []


def test_b9_more_documents_uploaded_by_the_applicant_wait_for_staff_to_form_the_decision(
    client, django_capture_on_commit_callbacks
):
    child = PersonFactory(birth_date=dt.date(2015, 6, 1))
    parent = PersonFactory()
    GuardianshipFactory(ward=child, representative=parent)
    act = act_for(
        django_capture_on_commit_callbacks,
        person=child,
        category="child",
        cause="child",
        examined_on=dt.date(2025, 6, 2),
    )
    [application] = disability_offer_consent_at(DisabilityOffer.objects.get(act=act))
    client.force_login(citizen_user(parent))
    url = reverse("benefits:disability-documents", kwargs={"public_id": application.public_id})
    # nothing asked for yet: nothing taken
    assert client.post(url, {"kind": "more_documents", "file": upload(PDF)}).status_code == 400
    assert not ApplicationDocument.objects.filter(application=application).exists()
    disability_more_documents_request(application=application)
    assert client.post(url, {"kind": "more_documents", "file": upload(PDF)}).status_code == 302
    assert ApplicationDocument.objects.get(application=application).kind == "more_documents"
    assert not Decision.objects.filter(application=application).exists()  # staff read it, then form it


def test_b9_staff_of_the_area_attach_the_certificate_and_another_areas_are_not_found(
    client, django_capture_on_commit_callbacks, private_root
):
    application, _child, _parent = waiting_for_birth_certificate(django_capture_on_commit_callbacks)
    url = reverse("benefits:staff-disability-documents", kwargs={"public_id": application.public_id})
    prefix = str(application.public_id)
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    client.force_login(region_handler(region_b))
    answer = client.post(url, {f"{prefix}-kind": "birth_certificate", f"{prefix}-file": upload(PDF)})
    assert answer.status_code == 404
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert stored_files(private_root) == []
    region_a = application.applicant.registration_atu.region
    staff_a = region_handler(region_a)
    client.force_login(staff_a)
    page = client.get(reverse("benefits:staff-disability")).content.decode()
    assert url in page
    answer = client.post(url, {f"{prefix}-kind": "birth_certificate", f"{prefix}-file": upload(PDF)})
    assert answer.status_code == 302
    document = ApplicationDocument.objects.get(application=application)
    assert document.uploaded_by == staff_a
    assert Decision.objects.get(application=application).kind == "assigned"
    download = reverse("benefits:document-download", kwargs={"public_id": document.public_id})
    assert client.get(download).status_code == 200
    client.force_login(region_handler(region_b))
    assert client.get(download).status_code == 404


# --- point 2: the marriage registry when the parent changed their surname ------------------------------


def _surname_changed(capture, *, marriages):
    application, child, parent = _child_raising(capture, born=dt.date(2015, 6, 1), parent_surname="Серикова")
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH,
        key=child.iin,
        data={"birth_date": "2015-06-01", "parent_iins": [parent.iin], "parent_surnames": {parent.iin: "Ахметова"}},
    )
    if marriages is not None:
        DemoRecord.objects.create(system=CIVIL_REGISTRY_MARRIAGE, key=parent.iin, data={"marriages": marriages})
    return application, child, parent


def marriage(on: str) -> dict:
    return {"registered_on": on, "surname_before": "Ахметова", "surname_after": "Серикова"}


def test_b7_surname_changed_by_a_marriage_registered_on_2_june_2008_links_through_the_registry(
    django_capture_on_commit_callbacks,
):
    application, _child, _parent = _surname_changed(
        django_capture_on_commit_callbacks, marriages=[marriage("2008-06-02")]
    )
    assert disability_decision_attempt(application=application).kind == "assigned"
    check = ApplicationCheck.objects.get(application=application, code="b7_parent_child_link")
    assert check.passed
    assert check.source == "civil_registry.birth, civil_registry.marriage"


def test_b7_surname_changed_by_a_marriage_registered_on_1_june_2008_asks_for_the_marriage_certificate(
    client, django_capture_on_commit_callbacks
):
    application, _child, parent = _surname_changed(
        django_capture_on_commit_callbacks, marriages=[marriage("2008-06-01")]
    )
    with pytest.raises(DocumentsNeeded) as caught:
        disability_decision_attempt(application=application)
    assert (caught.value.system, caught.value.document) == ("civil_registry.marriage", "marriage_certificate")
    assert not Decision.objects.filter(application=application).exists()  # never a refusal on the gap
    assert Assignment.objects.get(application=application).awaited_document == "marriage_certificate"
    client.force_login(citizen_user(parent))
    url = reverse("benefits:disability-documents", kwargs={"public_id": application.public_id})
    assert client.post(url, {"kind": "marriage_certificate", "file": upload(PDF)}).status_code == 302
    assert Decision.objects.get(application=application).kind == "assigned"
    check = ApplicationCheck.objects.get(application=application, code="b7_parent_child_link")
    assert check.source == "civil_registry.birth, document:marriage_certificate"


def test_b7_surname_changed_and_no_marriage_on_record_waits_for_the_certificate(
    client, django_capture_on_commit_callbacks
):
    application, _child, _parent = _surname_changed(django_capture_on_commit_callbacks, marriages=None)
    client.force_login(national_handler())
    url = reverse("benefits:staff-disability-act", kwargs={"public_id": application.public_id})
    page = client.post(url, {"action": "form_decision"}, follow=True).content.decode()
    assert "01.06.2008" in page
    assert not Decision.objects.filter(application=application).exists()
    assert Assignment.objects.get(application=application).awaited_document == "marriage_certificate"


def test_b7_a_marriage_between_other_surnames_does_not_link(django_capture_on_commit_callbacks):
    other = {"registered_on": "2012-09-01", "surname_before": "Ахметова", "surname_after": "Жумабаева"}
    application, _child, _parent = _surname_changed(django_capture_on_commit_callbacks, marriages=[other])
    with pytest.raises(DocumentsNeeded):
        disability_decision_attempt(application=application)


def test_b7_same_surname_as_in_the_birth_record_asks_no_marriage_registry(settings):
    child, parent = PersonFactory(), PersonFactory(last_name="Серикова")
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH,
        key=child.iin,
        data={"birth_date": "2015-06-01", "parent_iins": [parent.iin], "parent_surnames": {parent.iin: "СЕРИКОВА"}},
    )
    settings.STATEDATA_BACKENDS = {CIVIL_REGISTRY_MARRIAGE: "shep"}
    settings.STATEDATA_SHEP_URL = ""
    assert raises_the_child(applicant_iin=parent.iin, child_iin=child.iin, applicant_surname="Серикова") == (
        "civil_registry.birth"
    )


def test_b7_marriage_registry_silent_leaves_the_decision_waiting(django_capture_on_commit_callbacks, settings):
    application, _child, _parent = _surname_changed(django_capture_on_commit_callbacks, marriages=None)
    settings.STATEDATA_BACKENDS = {CIVIL_REGISTRY_MARRIAGE: "shep"}
    settings.STATEDATA_SHEP_URL = ""
    with pytest.raises(StateSystemUnavailable) as caught:
        disability_decision_attempt(application=application)
    assert not isinstance(caught.value, DocumentsNeeded)
    assert not Decision.objects.filter(application=application).exists()
    assert not ApplicationCheck.objects.filter(application=application).exists()
    assert Assignment.objects.get(application=application).awaited_document == ""
