"""B-5, B-13: documents attached where the state systems do not confirm them: checked by content,
size and the virus scan before anything is written (a refused file names its field, no row and no
file are left), stored privately, downloaded only by the applicant, their legal representative and
benefits staff (logged)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, ApplicationCode, ApplicationDocument, Stage
from benefits.services import funeral_application_file
from benefits.services_survivor import DependantInput, survivor_application_file
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.roles import Role
from portal.errors import ApplicationError
from portal.validators import iin_build
from tests.benefits.conftest import DECEASED, died, registered
from tests.benefits.helpers import CHILD_BORN, EXE, PDF, at, child_iin, staff, stored_files, upload
from tests.portal.factories import PersonFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
BIN = "040340000007"


def infected(name, data):
    raise ValueError("EICAR found")


def file_funeral(**kw):
    kw.setdefault("applicant", PersonFactory())
    return funeral_application_file(
        deceased_iin=DECEASED, channel="portal", confirmed_by="sms_code", now=at(2026, 3, 10), **kw
    )


# --- B-5: the funeral payment ------------------------------------------------------------------------


def test_b5_death_certificate_not_asked_when_the_civil_registry_confirms_it():
    died(DECEASED, dt.date(2026, 1, 5))
    application = file_funeral()
    assert application.stage == Stage.DECISION_DRAFT
    assert not application.documents.exists()


def test_b5_without_registry_record_the_uploaded_certificate_makes_the_data_complete(private_root):
    died(DECEASED, dt.date(2026, 1, 5))
    from portal.statedata.models import DemoRecord
    from portal.statedata.systems import CIVIL_REGISTRY_DEATH

    DemoRecord.objects.filter(system=CIVIL_REGISTRY_DEATH).delete()  # the registry has no record
    application = file_funeral(
        presented_death_date=dt.date(2026, 1, 5),
        presented_certificate="foreign-77",
        documents={"death_certificate": upload(PDF)},
    )
    assert application.stage == Stage.DECISION_DRAFT
    assert application.case_file.data["death"] == {
        "date": "2026-01-05",
        "certificate": "foreign-77",
        "source": "uploaded",
    }
    document = application.documents.get()
    assert (document.kind, document.content_type, document.size) == ("death_certificate", "application/pdf", len(PDF))
    # stored under the private root, never under MEDIA_ROOT, with no URL
    assert [p.read_bytes() for p in stored_files(private_root)] == [PDF]
    with pytest.raises(ValueError, match="no public URL"):
        _ = document.file.url


def test_b5_without_registry_record_and_without_certificate_not_accepted_naming_the_document():
    application = file_funeral(presented_death_date=dt.date(2026, 1, 5))
    assert application.stage == Stage.NOT_ACCEPTED
    assert application.refusal_code == "death_certificate_missing"
    assert "attach the death certificate" in application.checks.get(code="b3_1_complete_data").detail


def test_b5_legal_entity_not_confirmed_needs_its_registration_document():
    died(DECEASED, dt.date(2026, 1, 5))
    kw = {"channel": "goscorp", "applicant": None, "applicant_bin": BIN, "applicant_name": "Ritual LLP"}
    refused = funeral_application_file(deceased_iin=DECEASED, confirmed_by="staff", now=at(2026, 3, 10), **kw)
    assert (refused.stage, refused.refusal_code) == (Stage.NOT_ACCEPTED, "burier_registration_missing")
    accepted = funeral_application_file(
        deceased_iin=DECEASED,
        confirmed_by="staff",
        now=at(2026, 3, 10),
        documents={"burier_registration": upload(PDF)},
        **kw,
    )
    assert accepted.stage == Stage.DECISION_DRAFT
    assert accepted.documents.get().kind == "burier_registration"


def test_b5_legal_entity_confirmed_by_the_legal_entities_database_needs_no_document():
    died(DECEASED, dt.date(2026, 1, 5))
    registered(BIN)
    application = funeral_application_file(
        deceased_iin=DECEASED, channel="goscorp", applicant_bin=BIN, confirmed_by="staff", now=at(2026, 3, 10)
    )
    assert application.stage == Stage.DECISION_DRAFT


def test_b5_person_unknown_to_the_persons_database_needs_the_identity_document():
    died(DECEASED, dt.date(2026, 1, 5))
    iin = iin_build(dt.date(1970, 2, 2), female=True, serial=1234)
    kw = {"channel": "goscorp", "applicant_iin": iin, "confirmed_by": "staff", "now": at(2026, 3, 10)}
    assert funeral_application_file(deceased_iin=DECEASED, **kw).refusal_code == "burier_identity_missing"
    ok = funeral_application_file(deceased_iin=DECEASED, documents={"burier_identity": upload(PDF)}, **kw)
    assert ok.stage == Stage.DECISION_DRAFT


def test_b5_exe_renamed_pdf_refused_with_the_field_and_nothing_saved(private_root):
    died(DECEASED, dt.date(2026, 1, 5))
    with pytest.raises(ApplicationError) as exc:
        file_funeral(documents={"death_certificate": upload(EXE, "certificate.pdf")})
    assert (exc.value.code, exc.value.field) == ("file_type", "death_certificate")
    assert not Application.objects.exists()
    assert stored_files(private_root) == []


def test_b5_too_big_refused(settings, private_root):
    died(DECEASED, dt.date(2026, 1, 5))
    settings.UPLOAD_MAX_BYTES = 20
    with pytest.raises(ApplicationError) as exc:
        file_funeral(documents={"death_certificate": upload(PDF + b"x" * 10)})
    assert (exc.value.code, exc.value.field) == ("file_too_big", "death_certificate")
    assert not Application.objects.exists()
    assert stored_files(private_root) == []


def test_b5_scanner_raising_refused(settings, private_root):
    died(DECEASED, dt.date(2026, 1, 5))
    settings.UPLOAD_SCANNER = "tests.benefits.test_b5_b13_documents.infected"
    with pytest.raises(ApplicationError) as exc:
        file_funeral(documents={"death_certificate": upload(PDF)})
    assert (exc.value.code, exc.value.field) == ("file_infected", "death_certificate")
    assert not Application.objects.exists()
    assert stored_files(private_root) == []


def test_b5_a_failure_after_the_file_was_stored_leaves_no_file_and_no_row(monkeypatch, private_root):
    died(DECEASED, dt.date(2026, 1, 5))
    from benefits import services

    def broken(**kwargs):
        raise RuntimeError("the message outbox is down")

    monkeypatch.setattr(services, "_message", lambda *a, **k: broken())
    with pytest.raises(RuntimeError):
        file_funeral(documents={"death_certificate": upload(PDF)})
    assert not Application.objects.exists()
    assert stored_files(private_root) == []


def test_b5_portal_form_files_with_the_certificate_attached(citizen_client, citizen, sent):
    from benefits.services import application_code_request

    row = application_code_request(person=citizen.person, deceased_iin=DECEASED)
    code = sent[-1]["context"]["code"]
    response = citizen_client.post(
        reverse("benefits:funeral-confirm", kwargs={"code_id": row.public_id}),
        {
            "code": code,
            "death_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "death_certificate": upload(PDF),
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.documents.get().kind == "death_certificate"


def test_b5_portal_form_refuses_an_exe_naming_the_field_and_keeps_the_code(citizen_client, citizen, sent):
    from benefits.services import application_code_request

    row = application_code_request(person=citizen.person, deceased_iin=DECEASED)
    code = sent[-1]["context"]["code"]
    response = citizen_client.post(
        reverse("benefits:funeral-confirm", kwargs={"code_id": row.public_id}),
        {"code": code, "death_certificate": upload(EXE, "certificate.pdf")},
    )
    assert response.status_code == 200
    assert "death_certificate" in response.context["form"].errors
    assert not Application.objects.exists()
    assert ApplicationCode.objects.get().used_at is None


def test_b5_state_corporation_admin_attaches_the_scan(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_application", content_type__app_label="benefits"))
    client.force_login(user)
    response = client.post(
        reverse("admin:benefits_application_file_funeral"),
        {
            "deceased_iin": DECEASED,
            "applicant_bin": BIN,
            "applicant_name": "Ritual LLP",
            "death_date": "2026-01-05",
            "death_certificate_number": "I-5",
            "death_certificate": upload(PDF),
            "burier_registration": upload(PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert sorted(application.documents.values_list("kind", flat=True)) == ["burier_registration", "death_certificate"]
    assert application.documents.first().uploaded_by == user


# --- access to the files ---------------------------------------------------------------------------


def _document(applicant):
    died(DECEASED, dt.date(2026, 1, 5))
    application = file_funeral(applicant=applicant, documents={"burier_identity": upload(PDF)})
    return application.documents.get()


def test_b5_download_by_the_applicant_not_logged(citizen_client, citizen):
    document = _document(citizen.person)
    response = citizen_client.get(reverse("benefits:document-download", kwargs={"public_id": document.public_id}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert not PersonalDataAccess.objects.exists()


def test_b5_download_by_another_citizen_is_not_found(citizen_client):
    document = _document(PersonFactory())
    response = citizen_client.get(reverse("benefits:document-download", kwargs={"public_id": document.public_id}))
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_b5_download_by_the_legal_representative(citizen_client, citizens_ward):
    document = _document(citizens_ward)
    response = citizen_client.get(reverse("benefits:document-download", kwargs={"public_id": document.public_id}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert not PersonalDataAccess.objects.exists()  # a ward's data read by their representative


def test_b5_download_by_staff_needs_the_permission_and_is_logged(client):
    document = _document(PersonFactory())
    url = reverse("benefits:document-download", kwargs={"public_id": document.public_id})
    stranger = UserFactory(is_staff=True)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    region = document.application.applicant.registration_atu.region
    handler = _benefits_staff(Role.PROVIDER_STAFF, region=region)
    client.force_login(handler)
    assert client.get(url).status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.actor, row.person) == (handler, document.application.applicant)


def test_b5_download_by_staff_of_another_region_is_not_found(client):
    # rule 6: staff read the documents of their own area's applications only (B-4's area)
    document = _document(PersonFactory())
    url = reverse("benefits:document-download", kwargs={"public_id": document.public_id})
    elsewhere = _benefits_staff(Role.PROVIDER_STAFF, region=RegionFactory(kato="350000000", name_en="Karaganda Region"))
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    client.force_login(_benefits_staff(Role.COMMITTEE_STAFF))  # national staff read every region's
    assert client.get(url).status_code == 200


def _benefits_staff(role: str, **scope):
    return staff(role, "benefits.view_application", with_person=False, **scope)


# --- B-13: the survivor benefit ----------------------------------------------------------------------


def child(n, **kw):
    kw.setdefault("kinship_document", f"birth certificate I-{n}")
    return DependantInput(iin=child_iin(n), birth_date=CHILD_BORN, relation="child", **kw)


def file_survivor(dependants, **kw):
    kw.setdefault("death_document", "death I-1")
    return survivor_application_file(
        applicant=PersonFactory(),
        deceased_iin=DECEASED,
        right_arose_on=dt.date(2026, 1, 10),
        dependants=dependants,
        now=at(2026, 3, 10),
        **kw,
    )


def test_b13_optional_military_documents_are_stored_and_never_required():
    without = file_survivor([child(1)])
    assert without.stage == Stage.DECISION_DRAFT
    assert not without.documents.exists()
    application = file_survivor([child(2)], documents={"military_id": upload(PDF), "death_in_service": upload(PDF)})
    assert sorted(application.documents.values_list("kind", flat=True)) == ["death_in_service", "military_id"]


def test_b13_death_document_uploaded_or_confirmed_by_the_civil_registry():
    with pytest.raises(ApplicationError) as exc:
        file_survivor([child(1)], death_document="")
    assert exc.value.field == "death_document"
    uploaded = file_survivor([child(2)], death_document="", documents={"death_document": upload(PDF)})
    assert uploaded.documents.get().kind == "death_document"
    died(DECEASED, dt.date(2026, 1, 10))
    confirmed = file_survivor([child(3)], death_document="")
    assert confirmed.number
    assert not confirmed.documents.exists()


def test_b13_kinship_uploaded_for_the_dependant_or_confirmed_by_the_birth_record():
    from benefits.statesystems import CIVIL_REGISTRY_BIRTH
    from portal.statedata.models import DemoRecord

    with pytest.raises(ApplicationError) as exc:
        file_survivor([child(1, kinship_document="")])
    assert exc.value.field == "dependants[0].kinship_document"
    uploaded = file_survivor([child(2, kinship_document="", documents={"kinship": upload(PDF)})])
    document = uploaded.documents.get()
    assert (document.kind, document.dependant.iin) == ("kinship", child(2).iin)
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH, key=child(3).iin, data={"birth_date": "2015-05-05", "parent_iins": [DECEASED]}
    )
    assert file_survivor([child(3, kinship_document="")]).number


def test_b13_exe_as_a_dependants_document_names_the_field(private_root):
    with pytest.raises(ApplicationError) as exc:
        file_survivor([child(1), child(2, documents={"study_certificate": upload(EXE, "cert.pdf")})])
    assert (exc.value.code, exc.value.field) == ("file_type", "dependants[1].study_certificate")
    assert not Application.objects.exists()
    assert stored_files(private_root) == []


def test_b13_a_later_check_failing_leaves_no_row_and_no_file(private_root):
    over_age = DependantInput(
        iin=iin_build(dt.date(2000, 1, 1), female=True, serial=777),
        birth_date=dt.date(2000, 1, 1),
        relation="child",
        kinship_document="birth I-9",
    )
    with pytest.raises(ApplicationError) as exc:
        file_survivor([child(1), over_age], documents={"military_id": upload(PDF)})
    assert exc.value.field == "dependants[1].full_time_until"
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_root) == []
