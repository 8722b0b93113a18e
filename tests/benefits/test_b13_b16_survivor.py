"""B-13..B-16: the survivor benefit: documents, dependants and the coefficient by their number, the
12-month lookback, students 18-23 and carers of children under 8, the school's notice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from benefits.models import Application, Dependant
from benefits.programmes.survivor import amount_case, start_date, student_counts
from benefits.services_survivor import DependantInput, survivor_application_file
from benefits.statesystems import ENTREPRENEUR, PENSION_CONTRIBUTIONS
from notifications.models import Message
from portal.accounts.services import api_token_create, integrator_create
from portal.errors import ApplicationError
from portal.statedata.models import DemoRecord
from portal.validators import iin_build
from tests.benefits.helpers import at
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db
DECEASED = "850315400005"
SCHOOL_BIN = "040340000007"


def child(n, born=dt.date(2015, 5, 5), **kw):
    return DependantInput(
        iin=iin_build(born, female=False, serial=500 + n * 20),
        birth_date=born,
        relation="child",
        kinship_document=f"birth certificate I-{n}",
        **kw,
    )


def file(dependants, *, right=dt.date(2026, 1, 10), now=None, **kw):
    return survivor_application_file(
        applicant=PersonFactory(),
        deceased_iin=DECEASED,
        right_arose_on=right,
        death_document="death I-1",
        dependants=dependants,
        now=now or at(2026, 3, 10),
        **kw,
    )


# --- B-13: the documents -------------------------------------------------------------------------------


def test_b13_without_the_death_document_nothing_is_filed():
    with pytest.raises(ApplicationError) as exc:
        survivor_application_file(
            applicant=PersonFactory(),
            deceased_iin=DECEASED,
            right_arose_on=dt.date(2026, 1, 10),
            death_document=" ",
            dependants=[child(1)],
            now=at(2026, 3, 10),
        )
    assert (exc.value.code, exc.value.field) == ("death_document_missing", "death_document")
    assert not Application.objects.exists()


def test_b13_without_proof_of_kinship_the_dependant_is_named():
    bare = DependantInput(iin=child(2).iin, birth_date=dt.date(2015, 5, 5), relation="child")
    with pytest.raises(ApplicationError) as exc:
        file([child(1), bare])
    assert (exc.value.code, exc.value.field) == ("kinship_document_missing", "dependants[1].kinship_document")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("born", "certificate_until", "counts"),
    [
        (dt.date(2008, 3, 11), None, True),  # 17 on 10 Mar 2026
        (dt.date(2008, 3, 10), None, False),  # 18 that day, no certificate
        (dt.date(2008, 3, 10), dt.date(2026, 6, 30), True),  # 18 with this year's certificate
        (dt.date(2003, 3, 11), dt.date(2026, 6, 30), True),  # 22, the last day before 23
        (dt.date(2003, 3, 10), dt.date(2026, 6, 30), False),  # 23 that day
        (dt.date(2005, 1, 1), dt.date(2026, 3, 9), False),  # last year's certificate expired
    ],
)
def test_b13_students_aged_18_to_23_count_with_a_yearly_certificate(born, certificate_until, counts):
    assert student_counts(birth_date=born, on=dt.date(2026, 3, 10), full_time_until=certificate_until) is counts


def test_b13_dependant_over_18_without_certificate_is_refused_with_the_field():
    with pytest.raises(ApplicationError) as exc:
        file([child(1), child(2, born=dt.date(2006, 1, 1))])
    assert (exc.value.code, exc.value.field) == ("dependant_not_eligible", "dependants[1].full_time_until")
    assert not Dependant.objects.exists()


# --- B-14: 12 months back at most; the coefficient by the number of dependants ---------------------------


@pytest.mark.parametrize(
    ("right", "complete", "start"),
    [
        (dt.date(2025, 3, 10), dt.date(2026, 3, 10), dt.date(2025, 3, 10)),  # exactly 12 months
        (dt.date(2025, 3, 9), dt.date(2026, 3, 10), dt.date(2025, 3, 10)),  # one day more: cut
        (dt.date(2024, 1, 1), dt.date(2025, 2, 28), dt.date(2024, 2, 28)),  # 28 Feb -> 28 Feb (leap year before)
        (dt.date(2023, 1, 1), dt.date(2024, 2, 29), dt.date(2023, 2, 28)),  # 29 Feb -> 28 Feb
        (dt.date(2025, 1, 1), dt.date(2026, 1, 31), dt.date(2025, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 3, 10), dt.date(2026, 2, 1)),  # within 12 months
    ],
)
def test_b14_start_date_at_the_twelve_month_edges(right, complete, start):
    assert start_date(right_arose_on=right, documents_complete_on=complete) == start


def test_b14_application_assigned_from_12_months_before_with_the_coefficient_of_three():
    application = file([child(1), child(2), child(3)], right=dt.date(2024, 11, 2), now=at(2026, 3, 10))
    assert application.assignment.start_date == dt.date(2025, 3, 10)
    # Tue 10 Mar 2026: 10, 11, 12, 13, 16, 17, 18 -> the 7th working day is Wed 18 Mar
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 3, 18)
    assert application.decision.kind == "assigned"
    assert application.decision.amount == Decimal("114415.00")  # 2.25 x 50,851 = 114,414.75 -> 114,415
    assert application.dependants.count() == 3


def test_b14_six_or_more_dependants_share_three_subsistence_minimums_equally():
    assert amount_case(5) == "dependants.5"
    assert amount_case(7) == "dependants.6plus"
    application = file([child(n) for n in range(1, 7)])
    assert application.decision.amount == Decimal("152553.00")  # 3.00 x 50,851
    assert set(application.dependants.values_list("share", flat=True)) == {Decimal("25425.50")}


def test_b14_right_arising_in_the_future_is_refused():
    with pytest.raises(ApplicationError) as exc:
        file([child(1)], right=dt.date(2026, 3, 11), now=at(2026, 3, 10))
    assert exc.value.field == "right_arose_on"


# --- B-15: carers of children under 8 ---------------------------------------------------------------


def carer(**kw):
    return DependantInput(
        iin="900101300017", birth_date=dt.date(1990, 1, 1), relation="carer", kinship_document="marriage I-9", **kw
    )


def test_b15_carer_with_a_work_book_record_counts():
    application = file(
        [
            child(1, born=dt.date(2020, 1, 1)),
            carer(youngest_cared_birth_date=dt.date(2020, 1, 1), work_book_record="order 12 of 01.02.2026"),
        ]
    )
    assert application.dependants.get(relation="carer").stopped_working_proof == "work_book"


def test_b15_carer_checked_automatically_through_the_port():
    application = file([child(1, born=dt.date(2020, 1, 1)), carer(youngest_cared_birth_date=dt.date(2020, 1, 1))])
    assert application.dependants.get(relation="carer").stopped_working_proof == "automatic"


@pytest.mark.parametrize("system", [ENTREPRENEUR, PENSION_CONTRIBUTIONS])
def test_b15_carer_still_working_is_refused(system):
    DemoRecord.objects.create(system=system, key="900101300017", data={"since": "2025-01-01"})
    with pytest.raises(ApplicationError) as exc:
        file([child(1, born=dt.date(2020, 1, 1)), carer(youngest_cared_birth_date=dt.date(2020, 1, 1))])
    assert exc.value.code == "carer_still_working"
    assert not Application.objects.exists()


def test_b15_carer_of_a_child_aged_8_has_no_right():
    with pytest.raises(ApplicationError) as exc:
        # born 10 Mar 2018: 8 on 10 Mar 2026
        file([child(1, born=dt.date(2018, 3, 10)), carer(youngest_cared_birth_date=dt.date(2018, 3, 10))])
    assert exc.value.code == "carer_not_eligible"


# --- B-16: the school's notice suspends the share from the date of its order ----------------------------


@pytest.fixture
def school_client(db):
    from rest_framework.test import APIClient

    school = integrator_create(name="College No. 5", kind="other")
    school.bin = SCHOOL_BIN
    school.save()
    _token, key = api_token_create(integrator=school, name="school", scopes=["benefits:school_notice"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def student():
    return child(
        9,
        born=dt.date(2006, 1, 1),
        study_certificate_number="C-77",
        school_bin=SCHOOL_BIN,
        full_time_until=dt.date(2026, 6, 30),
    )


def test_b16_school_notice_suspends_the_share_from_the_order_date(school_client):
    application = file([child(1), student()])
    iin = student().iin
    body = {"student_iin": iin, "kind": "expelled", "effective_date": "2026-03-20", "order_number": "112-к"}
    answer = school_client.post("/api/v1/benefits/school-notices/", body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "suspended"
    assert answer.json()["suspended_from"] == "2026-03-20"
    row = application.dependants.get(iin=iin)
    assert (row.status, row.suspended_from, row.suspension_reason) == ("suspended", dt.date(2026, 3, 20), "expelled")
    assert application.dependants.get(iin=child(1).iin).status == "active"
    assert Message.objects.filter(template__key="benefit_suspended").count() == 1
    # a repeated notice changes nothing and sends nothing
    again = dict(body, effective_date="2026-03-25")
    assert school_client.post("/api/v1/benefits/school-notices/", again, format="json").status_code == 200
    row.refresh_from_db()
    assert row.suspended_from == dt.date(2026, 3, 20)
    assert Message.objects.filter(template__key="benefit_suspended").count() == 1


def test_b16_another_schools_student_is_not_found(school_client):
    file(
        [
            child(
                1,
                born=dt.date(2006, 1, 1),
                study_certificate_number="C-1",
                school_bin="990340000002",
                full_time_until=dt.date(2026, 6, 30),
            )
        ]
    )
    body = {"student_iin": child(1).iin, "kind": "extramural", "effective_date": "2026-03-20", "order_number": "1"}
    answer = school_client.post("/api/v1/benefits/school-notices/", body, format="json")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "recipient_not_found"
    assert Dependant.objects.get().status == "active"


def test_b16_bad_input_names_the_field(school_client):
    body = {"student_iin": "123", "kind": "graduated", "effective_date": "2099-01-01", "order_number": "1"}
    answer = school_client.post("/api/v1/benefits/school-notices/", body, format="json")
    assert answer.status_code == 400
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"student_iin", "kind"} <= fields


def test_b16_without_the_scope_the_notice_is_forbidden(api_client):
    body = {"student_iin": "050101500011", "kind": "expelled", "effective_date": "2026-03-20", "order_number": "1"}
    assert api_client.post("/api/v1/benefits/school-notices/", body, format="json").status_code in (403, 404)


# --- B-3's pattern for the survivor benefit: the acceptance SMS in the person's language --------------


def test_b3_survivor_acceptance_sms_in_kazakh_with_the_number_like_the_funeral_payment():
    applicant = PersonFactory(preferred_language="kk", phone="+77011234567")
    application = survivor_application_file(
        applicant=applicant,
        deceased_iin=DECEASED,
        right_arose_on=dt.date(2026, 1, 10),
        death_document="death I-1",
        dependants=[child(1)],
        now=at(2026, 3, 10),
    )
    sms = Message.objects.get(template__key="benefit_application_accepted")
    assert (sms.recipient, sms.language) == (applicant, "kk")
    assert application.number in sms.text
    assert "асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы" in sms.text
    assert "өтінішіңіз қабылданды" in sms.text


def test_b3_survivor_without_a_phone_gets_no_sms_and_nothing_else_changes():
    application = survivor_application_file(
        applicant=PersonFactory(phone=""),
        deceased_iin=DECEASED,
        right_arose_on=dt.date(2026, 1, 10),
        death_document="death I-1",
        dependants=[child(1)],
        now=at(2026, 3, 10),
    )
    assert application.number
    assert not Message.objects.filter(template__key="benefit_application_accepted").exists()
