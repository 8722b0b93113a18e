"""Item 11: the registry's reads for the Committee's systems, and the audit of every state change (X-5)."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from expert_registry.apps import AUDIT_EXEMPT
from expert_registry.models import Expert, ModemLoan
from expert_registry.services.applications import application_documents_refuse, application_submit
from expert_registry.services.evaluation import evaluation_month_run
from expert_registry.services.exclusion import expert_exclude
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.models import Integrator, User
from portal.accounts.roles import Role
from portal.accounts.services import api_token_create, integrator_create
from tests.expert_registry.test_e2_applications import INSIDE, announcement, data
from tests.expert_registry.test_e10_evaluation import case, make_expert, may_work
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/experts/{}/"


def token_client(scopes, kind="committee", name=None):
    integrator = integrator_create(name=name or f"{kind} system {len(scopes)}", kind=kind)
    _token, key = api_token_create(integrator=integrator, name="registry", scopes=scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client, integrator


@pytest.fixture
def committee_api():
    client, _integrator = token_client(["experts:read"])
    return client


def test_item11_applications_with_status_and_refusal_grounds_and_the_read_logged(committee_api):
    # given: two applications, one refused on two grounds
    a = announcement()
    refused = application_submit(announcement=a, person=PersonFactory(), data=data(), actor=None, now=INSIDE)
    application_documents_refuse(application=refused, grounds=["incomplete_or_expired", "missing_proof"], actor=None)
    live = application_submit(announcement=a, person=PersonFactory(), data=data(), actor=None, now=INSIDE)
    # when
    answer = committee_api.get(URL.format("applications"), {"status": "documents_refused"})
    # then
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(refused.public_id)
    assert row["status"] == "documents_refused"
    assert row["candidate_iin"] == refused.person.iin
    assert row["refusal_grounds"] == [
        {"code": "incomplete_or_expired", "text": "incomplete documents or documents whose term has expired"},
        {
            "code": "missing_proof",
            "text": "no proof of the diploma, work experience, specialist certificate or MSE training",
        },
    ]
    assert "email" not in row
    assert "phone" not in row
    logged = PersonalDataAccess.objects.get(person=refused.person)
    assert (logged.subject, logged.purpose, logged.channel) == ("expert", "expert_registry", "api")
    assert logged.integrator is not None
    assert not PersonalDataAccess.objects.filter(person=live.person).exists()
    # the period: submitted on 5 January 2026 (Almaty)
    assert committee_api.get(URL.format("applications"), {"submitted_from": "2026-01-05"}).json()["count"] == 2
    assert committee_api.get(URL.format("applications"), {"submitted_from": "2026-01-06"}).json()["count"] == 0
    assert committee_api.get(URL.format("applications"), {"submitted_to": "2026-01-04"}).json()["count"] == 0


def test_item11_registry_lists_active_experts_with_competences_and_no_bank_details(committee_api):
    active = make_expert(planned=22, kato="750000000")
    Expert.objects.filter(pk=active.pk).update(
        bank_name="Halyk Bank", iban="KZ86125KZT5004100100", bic="HSBKKZKX", account_number="KZ86125KZT5004100100"
    )
    elsewhere = make_expert(planned=10, kato="710000000")
    gone = make_expert(planned=10, kato="750000000")
    expert_exclude(expert=gone, ground=1, evidence="appendix 6 of 2 May 2025", actor=None, on_date=dt.date(2025, 5, 2))
    answer = committee_api.get(URL.format("registry"), {"region": "750000000"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(active.public_id)
    assert row["nosology_groups"] == [2]
    assert row["region"] == "750000000"
    assert row["status"] == "active"
    text = answer.content.decode()
    for secret in ("KZ86125KZT5004100100", "HSBKKZKX", "Halyk"):
        assert secret not in text
    assert not {"iban", "bic", "bank_name", "account_number", "account_type"} & set(row)
    assert committee_api.get(URL.format("registry")).json()["count"] == 2
    assert {r["id"] for r in committee_api.get(URL.format("registry")).json()["results"]} == {
        str(active.public_id),
        str(elsewhere.public_id),
    }
    excluded = committee_api.get(URL.format("registry"), {"status": "excluded"}).json()
    assert [r["id"] for r in excluded["results"]] == [str(gone.public_id)]


def test_item11_evaluations_by_period_and_region_paginated(committee_api):
    first = make_expert(planned=22, kato="750000000")
    may_work(first)
    second = make_expert(planned=5, kato="710000000")
    case(
        second,
        "x",
        dt.datetime.fromisoformat("2025-05-05T12:00+05:00"),
        dt.datetime.fromisoformat("2025-05-09T18:00+05:00"),
    )
    evaluation_month_run(today=dt.date(2025, 6, 1))
    evaluation_month_run(today=dt.date(2025, 5, 1))  # April: the "april" case of the first expert
    may = committee_api.get(URL.format("evaluations"), {"period_from": "2025-05-01", "period_to": "2025-05-31"}).json()
    assert may["count"] == 2
    page = committee_api.get(URL.format("evaluations"), {"period_from": "2025-05-01", "limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["results"])) == (2, 1, 1, 1)
    astana = committee_api.get(URL.format("evaluations"), {"region": "750000000", "period_to": "2025-05-31"}).json()
    assert astana["count"] == 2  # April and May of the first expert
    row = next(r for r in astana["results"] if r["period_start"] == "2025-05-01")
    assert (row["decided"], row["decided_on_time"], row["reviewed"], row["upheld"], row["planned"]) == (11, 9, 5, 4, 22)
    assert (row["score"], row["formula_version"], row["period"]) == ("74.73", 1, "month")


def test_item11_exclusions_with_ground_and_evidence_by_period(committee_api):
    one = make_expert(planned=10, kato="750000000")
    expert_exclude(expert=one, ground=1, evidence="appendix 6 of 2 May 2025", actor=None, on_date=dt.date(2025, 5, 2))
    two = make_expert(planned=10, kato="710000000")
    expert_exclude(expert=two, ground=1, evidence="appendix 6 of 3 June 2025", actor=None, on_date=dt.date(2025, 6, 3))
    may = committee_api.get(URL.format("exclusions"), {"excluded_from": "2025-05-01", "excluded_to": "2025-05-31"})
    assert may.status_code == 200, may.content
    rows = may.json()["results"]
    assert [(r["expert"], r["excluded_on"], r["ground"], r["evidence"]) for r in rows] == [
        (str(one.public_id), "2025-05-02", 1, "appendix 6 of 2 May 2025")
    ]
    assert committee_api.get(URL.format("exclusions"), {"ground": 4}).json()["count"] == 0
    assert committee_api.get(URL.format("exclusions"), {"region": "710000000"}).json()["count"] == 1


def test_item11_period_ending_before_it_starts_is_refused_with_the_field(committee_api):
    answer = committee_api.get(URL.format("evaluations"), {"period_from": "2025-06-01", "period_to": "2025-05-01"})
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert (error["field"], error["message"]) == ("period_to", "The period ends before it starts.")
    bad = committee_api.get(URL.format("registry"), {"region": "75", "status": "sleeping", "limit": 501})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"region", "status", "limit"}


@pytest.mark.parametrize("operation", ["applications", "evaluations", "exclusions", "registry"])
def test_item11_only_the_scope_the_committee_and_operators_read(client, operation):
    without, _i = token_client(["acts:read"])
    answer = without.get(URL.format(operation))
    assert answer.status_code == 403
    assert "experts:read" in answer.json()["errors"][0]["message"]
    assert APIClient().get(URL.format(operation)).status_code == 401
    citizen = User.objects.create(username="c", person=PersonFactory())
    citizen.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(citizen)
    refused = client.get(URL.format(operation))
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "committee_only"
    committee = User.objects.create(username="k", is_staff=True)
    committee.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))
    client.force_login(committee)
    assert client.get(URL.format(operation)).status_code == 200


@pytest.mark.parametrize("kind", ["mis", "goscorp", "gateway", "other"])
def test_x8_experts_read_on_a_token_of_no_committee_system_reads_nothing(kind):
    # given: an active expert with a result, and a system that is not the Committee's holding the scope
    expert = make_expert(planned=10)
    may_work(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    # (issued while it was a Committee system; its kind changed since: issuance refuses the scope to
    # any other kind, so the use-time refusal is the second line)
    foreign, integrator = token_client(["experts:read"], kind="committee", name="formerly the Committee's")
    Integrator.objects.filter(pk=integrator.pk).update(kind=kind)
    committee, _c = token_client(["experts:read"], kind="committee")
    for operation in ("applications", "evaluations", "exclusions", "registry"):
        # when
        answer = foreign.get(URL.format(operation))
        # then: refused, saying why, and no read of anyone's data is logged
        assert answer.status_code == 403
        [error] = answer.json()["errors"]
        assert error["code"] == "committee_system_only"
        assert (
            error["message"] == "Only the Committee's information systems read the registry of doctor-experts by API."
        )
        assert not PersonalDataAccess.objects.exists()
    # while the Committee's own system, with the same scope, reads the expert
    assert committee.get(URL.format("registry")).json()["count"] == 1
    assert committee.get(URL.format("evaluations")).json()["count"] == 1


def test_item11_every_model_that_changes_state_is_audited():
    models = apps.get_app_config("expert_registry").get_models()
    missing = [m.__name__ for m in models if m.__name__ not in AUDIT_EXEMPT and not auditlog.contains(m)]
    assert missing == []
    assert set(AUDIT_EXEMPT) <= {m.__name__ for m in apps.get_app_config("expert_registry").get_models()}


def test_item11_modem_return_is_audited_with_the_change():
    expert = make_expert(planned=10)
    loan = ModemLoan.objects.create(
        expert=expert, serial_number="MDM-1", issued_on=dt.date(2025, 5, 1), due_back_on=dt.date(2025, 6, 1)
    )
    loan.returned_on = dt.date(2025, 5, 20)
    loan.save()
    entry = LogEntry.objects.get_for_object(loan).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["returned_on"] == ["None", "2025-05-20"]
