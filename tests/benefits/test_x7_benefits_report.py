"""X-7: the benefits' monthly report, checked against the applications and decisions the test writes.

October 2026 (Asia/Almaty); applicants registered in Akmola unless said otherwise:
1. funeral, portal, submitted 5 Oct, due 10 Oct 18:00, assigned 100 000.00 approved 8 Oct (within);
2. disability, State Corporation, submitted 6 Oct, due 12 Oct 18:00, assigned 45 000.50 a month
   approved 14 Oct (after the term);
3. survivor, portal, submitted 7 Oct, due 15 Oct 18:00, refused for non-compliance approved 9 Oct;
4. funeral, proactive, submitted 8 Oct, not accepted: unreliable documents;
5. funeral, portal, submitted 9 Oct, not accepted: unreliable documents;
6. disability, portal, submitted 20 Oct, due 30 Oct 18:00, not decided yet;
7. disability, portal, submitted in September, assigned 30 000.00 approved 2 Oct: in October's
   amounts, not in its applications;
8. funeral filed by an organisation (BIN), submitted 10 Oct, not accepted for non-compliance: only
   in the country's report;
9. disability, portal, a person registered in Karaganda, submitted 11 Oct: only in the country's.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from benefits.models import Application, Decision
from portal.accounts.models import User
from portal.reports.registry import ReportScope, report_definition
from portal.reports.services import report_build
from portal.signatures.models import SignatureVerification
from tests.factories import AtuFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
MONTH = dt.date(2026, 10, 1)


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=ALMATY)


def application(*, programme, channel, submitted, stage, person=None, due=None, refusal="", bin=""):
    person = person if person is not None or bin else PersonFactory()
    return Application.objects.create(
        programme=programme,
        channel=channel,
        stage=stage,
        applicant=person,
        applicant_iin=person.iin if person else "",
        applicant_bin=bin,
        subject_iin=person.iin if person else "800101300123",
        submitted_at=submitted,
        decision_due_at=due,
        refusal_code=refusal,
    )


def decide(app, *, kind, approved, amount=None, ground="", periodic=False):
    approver, _created = User.objects.get_or_create(username="approver", defaults={"is_staff": True})
    signature = SignatureVerification.objects.create(purpose="test", outcome="valid", reason="ok", backend="local")
    return Decision.objects.create(
        application=app,
        kind=kind,
        amount=amount,
        ground_code=ground,
        periodic=periodic,
        approved_at=approved,
        approved_by=approver,
        approval_signature=signature,
    )


@pytest.fixture
def akmola(db):
    return RegionFactory(kato="110000000")


@pytest.fixture
def october(akmola):
    a = application(programme="funeral", channel="portal", submitted=at(5, 10), stage="approved", due=at(10, 18))
    decide(a, kind="assigned", amount=Decimal("100000.00"), approved=at(8, 12))
    a = application(programme="disability", channel="goscorp", submitted=at(6, 10), stage="approved", due=at(12, 18))
    decide(a, kind="assigned", amount=Decimal("45000.50"), periodic=True, approved=at(14, 10))
    a = application(programme="survivor", channel="portal", submitted=at(7, 10), stage="approved", due=at(15, 18))
    decide(a, kind="refused", ground="b10_2_noncompliant", approved=at(9, 12))
    application(
        programme="funeral",
        channel="proactive",
        submitted=at(8, 10),
        stage="not_accepted",
        refusal="b10_1_unreliable",
    )
    application(
        programme="funeral", channel="portal", submitted=at(9, 10), stage="not_accepted", refusal="b10_1_unreliable"
    )
    application(programme="disability", channel="portal", submitted=at(20, 10), stage="accepted", due=at(30, 18))
    a = application(
        programme="disability", channel="portal", submitted=at(25, 10, month=9), stage="approved", due=at(5, 18)
    )
    decide(a, kind="assigned", amount=Decimal("30000.00"), periodic=True, approved=at(2, 12))
    application(
        programme="funeral",
        channel="portal",
        submitted=at(10, 10),
        stage="not_accepted",
        refusal="b10_2_noncompliant",
        bin="050140000016",
    )
    karaganda = RegionFactory(kato="350000000", name_ru="Карагандинская область")
    in_karaganda = PersonFactory(registration_atu=AtuFactory(region=karaganda, kato="351000001"))
    application(programme="disability", channel="portal", submitted=at(11, 10), stage="accepted", person=in_karaganda)


def figures(scope: ReportScope) -> dict[str, dict[str, list]]:
    report = report_build(key="benefits", scope=scope)
    assert report.status == "ready"
    return {s["key"]: {str(r[0]): r[1:] for r in s["rows"]} for s in report.figures["sections"]}


def test_x7_benefits_report_is_registered_by_the_benefits_app():
    assert report_definition("benefits") is not None


def test_x7_benefits_report_applications_by_channel_and_programme(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["channels"] == {"goscorp": [1], "portal": [4], "proactive": [1]}
    assert f["programmes"] == {"disability": [2], "funeral": [3], "survivor": [1]}


def test_x7_b10_benefits_report_acceptance_and_refusal_by_ground(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["acceptance"] == {"submitted": [6], "accepted": [4], "not_accepted": [2]}
    assert f["not_accepted_by_ground"] == {"b10_1_unreliable": [2]}
    assert f["decisions"] == {"assigned": [2], "refused": [1], "waiting": [0]}
    assert f["refused_by_ground"] == {"b10_2_noncompliant": [1]}


def test_x7_benefits_report_decisions_within_their_terms(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["terms"] == {"with_term": [4], "within_term": [2], "after_term": [1], "not_approved": [1]}


def test_x7_benefits_report_amounts_assigned_in_the_month(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    # 45 000.50 + 30 000.00 (a September application approved 2 October); the funeral payment whole
    assert f["amounts"] == {"disability": [2, "75000.50"], "funeral": [1, "100000.00"]}


def test_x7_benefits_report_of_the_country_counts_organisations_and_every_region(october):
    f = figures(ReportScope(month=MONTH))
    assert f["acceptance"] == {"submitted": [8], "accepted": [5], "not_accepted": [3]}
    assert f["not_accepted_by_ground"] == {"b10_1_unreliable": [2], "b10_2_noncompliant": [1]}


def test_x7_benefits_report_of_an_empty_month_has_zeros_not_errors(akmola):
    f = figures(ReportScope(month=dt.date(2026, 1, 1), region_id=akmola.pk))
    assert f["acceptance"]["submitted"] == [0]
    assert f["amounts"] == {}


def test_x7_benefits_report_shows_grounds_in_words_and_money_as_decimals(october, akmola):
    from portal.reports.presentation import sections_of

    report = report_build(key="benefits", scope=ReportScope(month=MONTH, region_id=akmola.pk))
    shown = {s.key: s for s in sections_of(report, report_definition("benefits"))}
    assert shown["amounts"].rows[0][2] == Decimal("75000.50")
    ground = shown["not_accepted_by_ground"].rows[0][0]
    assert "unreliable" in ground or "недостоверность" in ground
