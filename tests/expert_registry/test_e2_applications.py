"""E-2, E-3 (declared data, uploads), E-4 (refusal with N-E3): the candidate's application."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from expert_registry.models import Application, ApplicationDocument, CabinetMessage, Expert
from expert_registry.services.applications import (
    ApplicationInput,
    application_documents_refuse,
    application_submit,
)
from notifications.models import Message
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.consent.models import Consent
from portal.errors import ApplicationError, ConflictError
from portal.nosology.models import NosologyGroup
from tests.expert_registry.conftest import make_announcement
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
INSIDE = dt.datetime(2026, 1, 5, 10, tzinfo=ALMATY)
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"


def announcement():
    return make_announcement(starts=dt.date(2026, 1, 5), ends=dt.date(2026, 1, 16))


def data(**over):
    values = {
        "residence_address": "Астана, ул. Кенесары, 1",
        "nosology_groups": [NosologyGroup.objects.get(number=2)],
        "email": "doctor@example.kz",
        "phone": "+77015550101",
        "consent": True,
        "tariff_accepted": True,
        "warned_false_information": True,
        "warned_equipment": True,
        "diploma_specialty": Application.Specialty.PAEDIATRICS,
        "diploma_foreign": False,
        "certificate_specialty": "педиатрия",
        "certificate_number": "KZ-123",
        "mse_experience_months": 0,
        "training_hours_last_5_years": 60,
    }
    values.update(over)
    return ApplicationInput(**values)


def codes(exc):
    return {(i.field, i.code) for i in exc.value.items}


def test_e2_application_records_appendix_1_and_consent():
    person = PersonFactory()
    application = application_submit(announcement=announcement(), person=person, data=data(), actor=None, now=INSIDE)
    assert application.email == "doctor@example.kz"
    assert application.tariff_accepted
    assert list(application.nosology_groups.values_list("number", flat=True)) == [2]
    assert application.consent.scope == Consent.Scope.PERSONAL_DATA
    assert application.consent.channel == "portal"
    assert application.expert.status == Expert.Status.APPLICANT


def test_e2_refused_outside_the_window_and_nothing_saved():
    person = PersonFactory()
    with pytest.raises(ApplicationError) as exc:
        application_submit(
            announcement=announcement(),
            person=person,
            data=data(),
            actor=None,
            now=dt.datetime(2026, 1, 17, 0, 5, tzinfo=ALMATY),
        )
    assert exc.value.code == "announcement_closed"
    assert "16.01.2026" in str(exc.value.message)
    assert not Application.objects.exists()
    assert not Expert.objects.exists()


def test_e2_email_mandatory_tariff_and_consent_required_all_at_once():
    with pytest.raises(ApplicationError) as exc:
        application_submit(
            announcement=announcement(),
            person=PersonFactory(),
            data=data(email="", tariff_accepted=False, consent=False),
            actor=None,
            now=INSIDE,
        )
    assert {
        ("email", "email_required"),
        ("tariff_accepted", "tariff_not_accepted"),
        ("consent", "consent_required"),
    } <= codes(exc)
    assert not Consent.objects.exists()


def test_e2_one_live_application_per_iin_per_announcement():
    a, person = announcement(), PersonFactory()
    application_submit(announcement=a, person=person, data=data(), actor=None, now=INSIDE)
    with pytest.raises(ConflictError) as exc:
        application_submit(announcement=a, person=person, data=data(), actor=None, now=INSIDE)
    assert exc.value.code == "application_duplicate"
    assert Application.objects.count() == 1


def test_e2_diploma_specialty_foreign_recognition_and_training_rules():
    a = announcement()
    with pytest.raises(ApplicationError) as exc:
        application_submit(
            announcement=a,
            person=PersonFactory(),
            data=data(
                diploma_specialty=Application.Specialty.OTHER, diploma_foreign=True, training_hours_last_5_years=59
            ),
            actor=None,
            now=INSIDE,
        )
    assert {
        ("diploma_specialty", "diploma_specialty_not_allowed"),
        ("recognition", "recognition_required"),
        ("training_hours_last_5_years", "training_required"),
    } <= codes(exc)
    # more than 5 years (61 months) in MSE: no training needed; exactly 5 years is not more
    application_submit(
        announcement=a,
        person=PersonFactory(),
        data=data(training_hours_last_5_years=0, mse_experience_months=61),
        actor=None,
        now=INSIDE,
    )
    with pytest.raises(ApplicationError):
        application_submit(
            announcement=a,
            person=PersonFactory(),
            data=data(training_hours_last_5_years=0, mse_experience_months=60),
            actor=None,
            now=INSIDE,
        )
    # a foreign diploma with its recognition document passes
    application_submit(
        announcement=a,
        person=PersonFactory(),
        data=data(diploma_foreign=True, uploads={"recognition": ("r.pdf", io.BytesIO(PDF))}),
        actor=None,
        now=INSIDE,
    )


def test_e2_upload_type_by_content_and_size_and_virus_hook(settings):
    a = announcement()
    with pytest.raises(ApplicationError) as exc:
        application_submit(
            announcement=a,
            person=PersonFactory(),
            data=data(uploads={"diploma": ("diploma.pdf", io.BytesIO(b"MZ\x90\x00 not a pdf"))}),
            actor=None,
            now=INSIDE,
        )
    assert codes(exc) == {("diploma", "file_type")}
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ApplicationError) as exc:
        application_submit(
            announcement=a,
            person=PersonFactory(),
            data=data(uploads={"diploma": ("d.pdf", io.BytesIO(PDF))}),
            actor=None,
            now=INSIDE,
        )
    assert codes(exc) == {("diploma", "file_too_big")}
    settings.UPLOAD_MAX_BYTES = 1024
    settings.UPLOAD_SCANNER = "tests.expert_registry.test_e2_applications.infected"
    with pytest.raises(ApplicationError) as exc:
        application_submit(
            announcement=a,
            person=PersonFactory(),
            data=data(uploads={"diploma": ("d.pdf", io.BytesIO(PDF))}),
            actor=None,
            now=INSIDE,
        )
    assert codes(exc) == {("diploma", "file_infected")}
    assert not ApplicationDocument.objects.exists()
    assert not Application.objects.exists()


def infected(name, data):
    raise ValueError("EICAR")


def _user(person, role=Role.CITIZEN, **kw):
    user = User.objects.create(username=f"u{person.iin}", person=person, **kw)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_e2_document_served_only_to_candidate_and_committee(client, settings):
    person = PersonFactory()
    application = application_submit(
        announcement=announcement(),
        person=person,
        data=data(uploads={"diploma": ("d.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 20))}),
        actor=None,
        now=INSIDE,
    )
    document = application.documents.get()
    assert document.content_type == "image/png"
    assert not document.file.path.startswith(str(settings.MEDIA_ROOT))
    url = reverse("expert_registry:document", args=[document.public_id])
    client.force_login(_user(PersonFactory()))
    assert client.get(url).status_code == 404
    client.force_login(_user(person))
    assert client.get(url).status_code == 200
    committee = User.objects.create(username="committee", is_staff=True)
    committee.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))
    client.force_login(committee)
    assert client.get(url).status_code == 200
    # the committee's read is logged as the registry's work (the candidate's own read is not logged)
    logged = PersonalDataAccess.objects.get(person=person)
    assert (logged.subject, logged.purpose, logged.actor_id) == ("person", "expert_registry", committee.pk)
    department = User.objects.create(username="dept", is_staff=True)
    department.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    client.force_login(department)
    assert client.get(url).status_code == 404


def test_e2_a_document_is_stored_under_its_kind_not_the_candidates_file_name():
    application = application_submit(
        announcement=announcement(),
        person=PersonFactory(),
        data=data(uploads={"diploma": ("Серикова_Айгуль_диплом.pdf", io.BytesIO(PDF))}),
        actor=None,
        now=INSIDE,
    )
    name = application.documents.get().file.name
    folder, _slash, file_name = name.rpartition("/")
    assert folder.startswith("applications/")
    assert file_name.startswith("diploma")
    assert file_name.endswith(".pdf")
    assert "Серикова" not in name


def test_e2_apply_page_refuses_with_field_reasons(client):
    person = PersonFactory()
    client.force_login(_user(person))
    a = make_announcement(starts=dt.date(2000, 1, 1), ends=dt.date(2999, 1, 1))
    page = client.post(
        reverse("expert_registry:apply", args=[a.public_id]),
        {
            "residence_address": "x",
            "phone": "1",
            "diploma_specialty": "other",
            "certificate_specialty": "x",
            "certificate_number": "1",
            "mse_experience_months": 0,
            "training_hours_last_5_years": 0,
        },
    )
    assert page.status_code == 400
    assert not Application.objects.exists()


def test_e4_refusal_sends_ne3_and_cabinet_message_and_may_apply_again():
    a, person = announcement(), PersonFactory(preferred_language="ru")
    application = application_submit(announcement=a, person=person, data=data(), actor=None, now=INSIDE)
    application_documents_refuse(
        application=application, grounds=["incomplete_or_expired", "missing_proof"], actor=None
    )
    message = Message.objects.get(template__key="expert_documents_refused")
    assert "не приняты" in message.text
    assert person.first_name in message.text
    assert CabinetMessage.objects.filter(application=application).exists()
    application.expert.refresh_from_db()
    assert application.expert.status == Expert.Status.REFUSED
    again = application_submit(announcement=a, person=person, data=data(), actor=None, now=INSIDE)
    assert again.expert.status == Expert.Status.APPLICANT
