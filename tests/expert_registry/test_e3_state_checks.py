"""E-3: the seven documents of point 7 asked of state systems through the core's port; what the
systems lack for (1)-(4) the candidate uploads; a system that does not answer leaves the check open.
E-4 with N-E3: the automatic refusal where the state data show a ground."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from expert_registry.models import Application, CabinetMessage, StateDocumentCheck
from expert_registry.services.applications import application_admit_to_testing, application_submit
from expert_registry.services.notices import DOCUMENT_REFUSAL_GROUNDS
from expert_registry.services.statechecks import application_state_checks_run
from expert_registry.tasks import state_checks_retry
from notifications.models import Message
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.errors import ConflictError
from portal.statedata.backends import shep
from tests.expert_registry.conftest import state_records
from tests.expert_registry.test_e2_applications import INSIDE, PDF, announcement, data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
CHECKED_AT = dt.datetime(2026, 1, 6, 10, tzinfo=ALMATY)
V = StateDocumentCheck.Verdict


def submitted(**over):
    person = PersonFactory(preferred_language="ru")
    application = application_submit(
        announcement=announcement(), person=person, data=data(**over), actor=None, now=INSIDE
    )
    return application


def verdicts(application):
    return dict(application.state_checks.values_list("document", "verdict"))


def _user(person):
    user = User.objects.create(username=f"u{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


def test_e3_seven_documents_asked_through_the_port_and_confirmed(client):
    application = submitted()
    # the seven of point 7, each with its system, open until asked
    assert dict(application.state_checks.values_list("document", "system")) == {
        "diploma": "education.diploma",
        "employment": "labour.employment",
        "certificate": "health.specialist_certificate",
        "training": "health.mse_training",
        "psychiatric": "health.psychiatric_registry",
        "narcological": "health.narcological_registry",
        "criminal": "legal.criminal_record",
    }
    with pytest.raises(ConflictError) as exc:
        application_admit_to_testing(application=application, actor=None)
    assert exc.value.code == "state_checks_open"
    state_records(application.person.iin)
    assert application_state_checks_run(application_id=application.pk, now=CHECKED_AT) is True
    assert set(verdicts(application).values()) == {"ok"}
    # (5)-(7): no record is the answer "not registered, no conviction"
    assert application.state_checks.get(document="criminal").outcome == "not_found"
    assert CabinetMessage.objects.filter(application=application, text_en__contains="confirmed by the state").exists()
    # the candidate sees the results in the cabinet
    client.force_login(_user(application.person))
    page = client.get(reverse("expert_registry:cabinet")).content.decode()
    assert 'data-check="criminal" data-verdict="ok"' in page
    assert 'data-check="diploma" data-verdict="ok"' in page
    # and Committee staff in the application's admin page
    committee = User.objects.create(username="committee", is_staff=True)
    committee.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))
    client.force_login(committee)
    admin_page = client.get(reverse("admin:expert_registry_application_change", args=[application.pk]))
    assert admin_page.status_code == 200
    assert "health.specialist_certificate" in admin_page.content.decode()
    application_admit_to_testing(application=application, actor=None, notified_on=dt.date(2026, 1, 7))
    application.refresh_from_db()
    assert application.status == Application.Status.TESTING


def test_e3_what_the_systems_lack_for_1_to_4_the_candidate_uploads(client):
    application = submitted()
    state_records(
        application.person.iin,
        education__diploma=None,
        health__mse_training={
            "courses": [{"finished_on": "2020-12-31", "hours": 60}, {"finished_on": "2025-03-01", "hours": 24}]
        },
    )
    application_state_checks_run(application_id=application.pk, now=CHECKED_AT)
    checks = {c.document: c for c in application.state_checks.all()}
    assert (checks["diploma"].verdict, checks["diploma"].upload_kind) == ("upload", "diploma")
    # a course of 31.12.2020 is more than 5 years before 06.01.2026: 24 hours count, 60 are needed
    assert (checks["training"].verdict, checks["training"].upload_kind) == ("upload", "training")
    assert "24" in checks["training"].detail
    assert application.status == Application.Status.SUBMITTED
    assert CabinetMessage.objects.filter(application=application, text_en__contains="Upload their copies").exists()
    with pytest.raises(ConflictError):
        application_admit_to_testing(application=application, actor=None)
    client.force_login(_user(application.person))
    url = reverse("expert_registry:document-upload", args=[application.public_id])
    # the wrong type is refused with the reason, nothing saved
    bad = client.post(url, {"kind": "diploma", "file": io.BytesIO(b"MZ not a pdf")})
    assert bad.status_code == 400
    assert not application.documents.exists()
    for kind in ("diploma", "training"):
        upload = io.BytesIO(PDF)
        upload.name = f"{kind}.pdf"
        assert client.post(url, {"kind": kind, "file": upload}).status_code == 302
    assert verdicts(application)["diploma"] == verdicts(application)["training"] == "uploaded"
    application_admit_to_testing(application=application, actor=None)


def test_e3_foreign_diploma_without_recognition_and_more_than_5_years_in_mse():
    application = submitted(diploma_foreign=True, uploads={"recognition": ("r.pdf", io.BytesIO(PDF))})
    state_records(
        application.person.iin,
        education__diploma={"specialty": "general_medicine", "foreign": True, "recognised": False},
        labour__employment={"continuous_months": 120, "mse_months": 61},
        health__mse_training=None,
    )
    application_state_checks_run(application_id=application.pk, now=CHECKED_AT)
    checks = {c.document: c for c in application.state_checks.all()}
    # the recognition the systems lack was uploaded with the application
    assert (checks["diploma"].verdict, checks["diploma"].upload_kind) == ("uploaded", "recognition")
    # 61 months in MSE departments: no training needed
    assert checks["training"].verdict == "not_needed"
    # exactly 60 months is not "more than 5 years"
    other = submitted()
    state_records(
        other.person.iin, labour__employment={"continuous_months": 120, "mse_months": 60}, health__mse_training=None
    )
    application_state_checks_run(application_id=other.pk, now=CHECKED_AT)
    assert verdicts(other)["training"] == "upload"


def test_e3_unavailable_system_leaves_the_check_pending_never_a_refusal(settings, monkeypatch):
    application = submitted()
    # the criminal record is found, but the gateway to the psychiatric registry is down
    state_records(application.person.iin, legal__criminal_record={"registered": True})
    settings.STATEDATA_BACKENDS = {"health.psychiatric_registry": "shep"}
    settings.STATEDATA_SHEP_URL = "https://gateway.example.kz/shep"
    monkeypatch.setattr(shep, "transport", lambda url, body, timeout: (503, b""))
    assert application_state_checks_run(application_id=application.pk, now=CHECKED_AT) is False
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    psychiatric = application.state_checks.get(document="psychiatric")
    assert (psychiatric.outcome, psychiatric.verdict, psychiatric.asked_count) == ("unavailable", "pending", 1)
    assert not Message.objects.filter(template__key="expert_documents_refused").exists()
    # the others answered once and are not asked again
    assert set(application.state_checks.exclude(document="psychiatric").values_list("asked_count", flat=True)) == {1}
    # the beat asks again; still down: still pending
    assert state_checks_retry() == 0
    assert application.state_checks.get(document="psychiatric").asked_count == 2
    # the gateway is back: the decision is made with every answer
    monkeypatch.setattr(
        shep, "transport", lambda url, body, timeout: (200, b'{"status": "not_found", "messageId": "m-1"}')
    )
    assert state_checks_retry() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.DOCUMENTS_REFUSED
    assert set(application.state_checks.values_list("asked_count", flat=True)) == {1, 3}


def test_e4_automatic_refusal_from_state_data_with_n_e3_and_every_ground():
    application = submitted()
    state_records(
        application.person.iin,
        health__psychiatric_registry={"registered": True},
        health__specialist_certificate={"specialty": "педиатрия", "number": "KZ-123", "valid_until": "2025-12-31"},
    )
    application_state_checks_run(application_id=application.pk, now=CHECKED_AT)
    application.refresh_from_db()
    assert application.status == Application.Status.DOCUMENTS_REFUSED
    assert application.expert.status == "refused"
    assert verdicts(application)["psychiatric"] == "disqualifying_information"
    assert verdicts(application)["certificate"] == "incomplete_or_expired"
    assert "31.12.2025" in application.state_checks.get(document="certificate").detail
    message = Message.objects.get(template__key="expert_documents_refused", recipient=application.person)
    assert "не приняты" in message.text
    with translation.override("ru"):
        assert str(DOCUMENT_REFUSAL_GROUNDS["disqualifying_information"]) in message.text
        assert str(DOCUMENT_REFUSAL_GROUNDS["incomplete_or_expired"]) in message.text
    cabinet = CabinetMessage.objects.get(application=application, text_en__contains="not accepted")
    assert "psychiatric or narcological registration" in cabinet.text_en
    assert "expired" in cabinet.text_en
    # running again changes nothing: one N-E3
    application_state_checks_run(application_id=application.pk, now=CHECKED_AT)
    assert Message.objects.filter(template__key="expert_documents_refused").count() == 1


def test_e4_diploma_outside_the_three_specialties_and_certificate_of_another_specialty():
    application = submitted()
    state_records(
        application.person.iin,
        education__diploma={"specialty": "dentistry", "foreign": False, "recognised": False},
        health__specialist_certificate={"specialty": "хирургия", "number": "KZ-9", "valid_until": "2030-01-01"},
    )
    application_state_checks_run(application_id=application.pk, now=CHECKED_AT)
    application.refresh_from_db()
    assert application.status == Application.Status.DOCUMENTS_REFUSED
    assert verdicts(application)["diploma"] == verdicts(application)["certificate"] == "missing_proof"
    assert CabinetMessage.objects.filter(application=application, text_en__contains="no proof of the diploma").exists()


def test_e3_submission_asks_the_systems_after_commit(django_capture_on_commit_callbacks):
    person = PersonFactory()
    state_records(person.iin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        application = application_submit(
            announcement=announcement(), person=person, data=data(), actor=None, now=INSIDE
        )
    assert len(callbacks) >= 1
    assert set(verdicts(application).values()) == {"ok"}


def test_e3_upload_only_to_own_application(client):
    application = submitted()
    client.force_login(_user(PersonFactory()))
    upload = io.BytesIO(PDF)
    upload.name = "d.pdf"
    url = reverse("expert_registry:document-upload", args=[application.public_id])
    assert client.post(url, {"kind": "diploma", "file": upload}).status_code == 404
    assert not application.documents.exists()
