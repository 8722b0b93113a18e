"""B-6..B-12: the disability benefits from consent to the draft decision (start date, terms, state
data through the port, amount from the rate tables, refusal with its ground, the one application)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from benefits.models import Application, DisabilityOffer, RateCoefficient
from benefits.programmes.disability import start_date, term_working_days
from benefits.refusals import refusal_notice
from benefits.services_disability import (
    disability_decision_form,
    disability_more_documents_request,
    disability_offer_consent,
)
from benefits.statesystems import DISABILITY_DB
from notifications.models import Message
from portal.errors import ApplicationError
from portal.statedata.models import DemoRecord
from tests.benefits.helpers import at
from tests.benefits.mse import act_for
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db


# --- B-6: from the day disability was established, not earlier than 3 months before applying -------


@pytest.mark.parametrize(
    ("established", "applied", "start"),
    [
        (dt.date(2026, 1, 15), dt.date(2026, 4, 15), dt.date(2026, 1, 15)),  # exactly 3 months: the day itself
        (dt.date(2026, 1, 14), dt.date(2026, 4, 15), dt.date(2026, 1, 15)),  # one day more: cut to 3 months
        (dt.date(2026, 3, 1), dt.date(2026, 3, 20), dt.date(2026, 3, 1)),  # within 3 months
        (dt.date(2025, 12, 1), dt.date(2026, 5, 31), dt.date(2026, 2, 28)),  # 31 May -> 28 Feb
        (dt.date(2023, 12, 1), dt.date(2024, 5, 31), dt.date(2024, 2, 29)),  # leap year: 31 May -> 29 Feb
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 9, 30)),  # 31 Dec -> 30 Sep
        (dt.date(2025, 1, 1), dt.date(2026, 1, 31), dt.date(2025, 10, 31)),  # 31 Jan -> 31 Oct
    ],
)
def test_b6_start_date_at_the_three_month_edges(established, applied, start):
    assert start_date(established_on=established, applied_on=applied) == start


def test_b6_consent_assigns_from_three_months_before_it(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    # consent given on 30 Jun 2026: 3 months back is 30 Mar 2026, later than 2 Mar
    [application] = disability_offer_consent(
        offer=offer, chosen=["social"], consent_personal_data=True, now=at(2026, 6, 30)
    )
    assert application.assignment.start_date == dt.date(2026, 3, 30)
    assert application.assignment.right_from == dt.date(2026, 3, 2)


# --- B-7, B-8: the automatic path through the port, with the amount from the rate tables ------------


def test_b8_general_illness_consent_registers_and_decides_automatically(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2), group="2")
    offer = DisabilityOffer.objects.get(act=act)
    [application] = disability_offer_consent(
        offer=offer, chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    application.refresh_from_db()
    assert application.number.startswith("D-2026-")
    assert application.journal_entry is not None
    assert application.stage == "decision_draft"
    decision = application.decision
    assert decision.kind == "assigned"
    assert decision.amount == Decimal("89498.00")  # 1.76 x 50,851 = 89,497.76 -> up to 89,498
    assert decision.computation["rows"][0]["case"] == "disability.general.2"
    codes = {c.code: c.passed for c in application.checks.all()}
    assert codes == {"b7_identity_and_registration": True, "b7_disability_established": True}
    assert Message.objects.filter(template__key="benefit_application_accepted", recipient=offer.person).exists()


def test_b8_decision_due_in_1_working_day_across_nauryz(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    # Fri 20 Mar 2026 17:00 (after the 16:00 cut-off); Nauryz 21-23 Mar falls on Sat-Mon, its Saturday and
    # Sunday move to Tue 24 and Wed 25: the next working day is Thu 26 Mar
    [application] = disability_offer_consent(
        offer=offer, chosen=["social"], consent_personal_data=True, now=at(2026, 3, 20, 17)
    )
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 3, 26)


def test_b7_disability_database_disagrees_with_the_act_refuses_on_ground_1(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2), with_state_data=False)
    from tests.benefits.mse import state_data

    state_data(act.person, group="3", established_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    [application] = disability_offer_consent(
        offer=offer, chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    assert application.decision.kind == "refused"
    assert application.decision.ground_code == "b10_1_unreliable"


def test_item2_disability_missing_rate_row_makes_the_decision_wait(django_capture_on_commit_callbacks):
    RateCoefficient.objects.filter(programme="disability", code="general.2").delete()
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    [application] = disability_offer_consent(
        offer=offer, chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    assert application.decision.kind == "waiting"
    assert application.decision.ground_code == "rate_missing"
    assert application.decision.computation["missing"]["what"] == "coefficient disability.general.2"


# --- B-9: 7 working days otherwise, 5 more where documents are requested ----------------------------


def test_b9_other_cause_7_working_days_plus_5_for_more_documents_across_holidays(django_capture_on_commit_callbacks):
    act = act_for(
        django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2), cause="since_childhood", group="1"
    )
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.offered == ["social", "group1_care"]
    # Wed 18 Mar 2026: 18, 19, 20, [Nauryz 21-25 with its moved days], 26, 27, 30, 31 -> 7th: Tue 31 Mar
    applications = disability_offer_consent(
        offer=offer, chosen=["social", "group1_care"], consent_personal_data=True, now=at(2026, 3, 18)
    )
    social = applications[0]
    assert timezone.localtime(social.decision_due_at).date() == dt.date(2026, 3, 31)
    assert not hasattr(social, "decision")  # not automatic: staff form it
    disability_more_documents_request(application=social, now=at(2026, 3, 20))
    # 5 more: 1, 2, 3, 6, 7 Apr -> Tue 7 Apr
    assert timezone.localtime(social.decision_due_at).date() == dt.date(2026, 4, 7)
    decision = disability_decision_form(application=social)
    assert decision.kind == "assigned"
    assert decision.amount == Decimal("111873.00")  # childhood group I: 2.20 x 50,851 = 111,872.2 -> 111,873


def test_b9_terms_in_working_days():
    assert term_working_days(automatic=True) == 1
    assert term_working_days(automatic=False) == 7
    assert term_working_days(automatic=False, more_documents=True) == 12


def test_b9_the_automatic_path_asks_for_no_documents(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    with pytest.raises(ApplicationError) as exc:
        disability_more_documents_request(application=application)
    assert exc.value.code == "automatic_path"


# --- B-10, B-11: the refusal names its ground in the person's language, how to apply again, where to complain


def test_b10_no_consent_refuses_on_ground_3_with_an_sms_in_kazakh(django_capture_on_commit_callbacks):
    person = PersonFactory(preferred_language="kk")
    act = act_for(django_capture_on_commit_callbacks, person=person, examined_on=dt.date(2026, 3, 2))
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=False, now=at(2026, 3, 10)
    )
    assert application.decision.kind == "refused"
    assert application.decision.ground_code == "b10_3_no_consent"
    sms = Message.objects.get(template__key="benefit_assignment_refused")
    assert sms.language == "kk"
    assert "қолжетімділігі шектеулі дербес деректерге қол жеткізуге келісімнің болмауы" in sms.text
    assert "қайта жүгінуге болады" in sms.text
    assert "мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті органға" in sms.text


def test_b10_no_record_in_the_disability_database_refuses_on_ground_2(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    DemoRecord.objects.filter(system=DISABILITY_DB).delete()
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    assert application.decision.ground_code == "b10_2_noncompliant"


@pytest.mark.parametrize(
    ("language", "ground", "again", "complaint"),
    [
        (
            "ru",
            "недостоверность представленных документов",
            "обратиться за назначением пособия повторно",
            "уполномоченном органе по оценке и контролю за качеством оказания государственных услуг",
        ),
        (
            "en",
            "established to be unreliable",
            "you may apply for the benefit again",
            "authority for assessing and controlling the quality of public services",
        ),
        (
            "kk",
            "дұрыс еместігі белгіленді",
            "қайта жүгінуге болады",
            "мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті органға",
        ),
    ],
)
def test_b11_refusal_notice_says_how_to_apply_again_and_where_to_complain(language, ground, again, complaint):
    text = refusal_notice("b10_1_unreliable", language)
    assert ground in text
    assert again in text
    assert complaint in text


# --- B-12: one application, each benefit that applies, by the person's choice --------------------------


def test_b12_pensioner_with_group_i_since_childhood_gets_three_options(django_capture_on_commit_callbacks):
    person = PersonFactory(birth_date=dt.date(1960, 1, 10), iin="600110300013")
    act = act_for(
        django_capture_on_commit_callbacks,
        person=person,
        cause="since_childhood",
        group="1",
        pension=True,
        examined_on=dt.date(2026, 3, 2),
        without_term=True,
        term_until=None,
    )
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.offered == ["social", "special", "group1_care"]
    applications = disability_offer_consent(
        offer=offer, chosen=["special"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    assert [a.assignment.benefit for a in applications] == ["special"]
    special = applications[0]
    decision = disability_decision_form(application=special)
    assert decision.amount == Decimal("7396.00")  # 1.71 x 4,325 MRP = 7,395.75 -> 7,396


def test_b12_a_benefit_not_offered_is_refused_and_nothing_is_filed(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    with pytest.raises(ApplicationError) as exc:
        disability_offer_consent(offer=offer, chosen=["social", "group1_care"], consent_personal_data=True)
    assert (exc.value.code, exc.value.field) == ("benefit_not_offered", "benefits")
    assert not Application.objects.exists()
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_b12_an_answered_offer_files_nothing_more(django_capture_on_commit_callbacks):
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    disability_offer_consent(offer=offer, chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10))
    with pytest.raises(ApplicationError) as exc:
        disability_offer_consent(offer=offer, chosen=["social"], consent_personal_data=True)
    assert exc.value.code == "offer_answered"
    assert Application.objects.count() == 1
