"""B-1: channels, applicant by IIN or BIN, decision due in 3 working days (State Corporation) or 1
(portal, proactive), counted on the working calendar."""

import datetime as dt

import pytest
from django.utils import timezone

from benefits.models import ProactiveOffer, Stage
from benefits.services import funeral_application_file, proactive_offer_answer, proactive_offer_create
from portal.errors import ApplicationError
from tests.benefits.conftest import DECEASED, died, identified, registered
from tests.benefits.helpers import at
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _filed_by_the_state_corporation(*, now):
    """The funeral payment filed by staff for a known person; the death of 1 Dec 2025 on record."""
    died(DECEASED, dt.date(2025, 12, 1))
    identified("900101300017")
    return funeral_application_file(
        deceased_iin=DECEASED, channel="goscorp", applicant_iin="900101300017", confirmed_by="staff", now=now
    )


def test_b1_state_corporation_decision_due_in_3_working_days_across_a_holiday():
    # Fri 19 Dec 2025 -> Fri, Mon 22, Tue 23 (3rd working day)
    application = _filed_by_the_state_corporation(now=at(2025, 12, 19))
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2025, 12, 23)


def test_b1_state_corporation_term_skips_independence_day():
    # Tue 16 Dec 2025 is Independence Day (a day off): Mon 15, Wed 17, Thu 18
    application = _filed_by_the_state_corporation(now=at(2025, 12, 15))
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2025, 12, 18)


def test_b1_portal_decision_due_in_1_working_day_after_a_weekend():
    died(DECEASED, dt.date(2026, 1, 5))
    # filed on Saturday 14 Mar 2026: the first working day is Monday 16 Mar
    application = funeral_application_file(
        deceased_iin=DECEASED,
        channel="portal",
        applicant=PersonFactory(),
        confirmed_by="sms_code",
        now=at(2026, 3, 14),
    )
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 3, 16)


def test_b1_legal_entity_applies_by_bin():
    died(DECEASED, dt.date(2026, 1, 5))
    bin_ = "040340000007"
    from portal.validators import validate_bin

    validate_bin(bin_)
    registered(bin_)
    application = funeral_application_file(
        deceased_iin=DECEASED,
        channel="goscorp",
        applicant_bin=bin_,
        applicant_name='ТОО "Ритуал"',
        confirmed_by="staff",
        now=at(2026, 3, 10),
    )
    assert application.applicant_bin == bin_
    assert application.applicant_iin == ""
    assert application.stage == Stage.DECISION_DRAFT


def test_b1_an_iin_is_not_a_bin():
    died(DECEASED, dt.date(2026, 1, 5))
    with pytest.raises(ApplicationError) as error:
        funeral_application_file(
            deceased_iin=DECEASED,
            channel="goscorp",
            applicant_bin="900101300017",
            confirmed_by="staff",
            now=at(2026, 3, 10),
        )
    assert error.value.field == "applicant_bin"


def test_b1_no_applicant_names_the_field():
    with pytest.raises(ApplicationError) as error:
        funeral_application_file(deceased_iin=DECEASED, channel="goscorp", confirmed_by="staff", now=at(2026, 3, 10))
    assert error.value.code == "applicant_missing"


def test_b1_proactive_offer_answered_yes_files_the_application(sent):
    died(DECEASED, dt.date(2026, 1, 5))
    person = PersonFactory()
    offer = proactive_offer_create(person=person, deceased_iin=DECEASED)
    offer = proactive_offer_answer(offer=offer, consent=True, now=at(2026, 3, 10))
    assert offer.status == ProactiveOffer.Status.ACCEPTED
    assert offer.application is not None
    assert offer.application.channel == "proactive"
    assert offer.application.stage == Stage.DECISION_DRAFT
    assert timezone.localtime(offer.application.decision_due_at).date() == dt.date(2026, 3, 10)
    # answered twice: nothing new
    again = proactive_offer_answer(offer=offer, consent=True, now=at(2026, 3, 11))
    assert again.application == offer.application


def test_b1_proactive_offer_declined_files_nothing():
    person = PersonFactory()
    offer = proactive_offer_answer(
        offer=proactive_offer_create(person=person, deceased_iin=DECEASED), consent=False, now=at(2026, 3, 10)
    )
    assert offer.status == ProactiveOffer.Status.DECLINED
    assert offer.application is None
