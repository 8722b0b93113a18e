"""B-3: the checks (1)-(5) of an application, against the state data, and what passing or failing yields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from benefits.models import Application, Decision, JournalEntry, Stage
from benefits.services import funeral_application_file
from portal.errors import ApplicationError
from tests.benefits.conftest import DECEASED, assigned_elsewhere, died
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())


def file(now: dt.datetime, **kwargs):
    kwargs.setdefault("applicant", PersonFactory())
    return funeral_application_file(deceased_iin=DECEASED, channel="portal", confirmed_by="sms_code", now=now, **kwargs)


def test_b3_passing_application_is_registered_with_case_file_and_draft_decision(sent):
    died(DECEASED, dt.date(2025, 6, 1))
    application = file(at(dt.date(2026, 3, 10)))
    assert application.stage == Stage.DECISION_DRAFT
    assert application.number == f"F-2026-{application.pk:06d}"
    assert JournalEntry.objects.filter(application=application).exists()
    assert application.case_file.data["death"]["date"] == "2025-06-01"
    assert [c.passed for c in application.checks.all()] == [True] * 6
    decision = Decision.objects.get(application=application)
    assert decision.amount == Decimal("137620.00")  # the year of death: 35 x 3,932 (2025), not 2026's MRP
    assert [s["template"] for s in sent] == ["benefit_application_accepted"]
    assert sent[0]["context"]["number"] == application.number


def test_b3_1_b5_no_death_record_and_no_certificate_is_incomplete_data(sent):
    application = file(at(dt.date(2026, 3, 10)))
    assert application.stage == Stage.NOT_ACCEPTED
    assert application.refusal_code == "death_certificate_missing"
    assert application.number is None
    assert not JournalEntry.objects.exists()
    assert [s["template"] for s in sent] == ["benefit_application_refused"]
    assert "civil registry" in str(sent[0]["context"]["reason"])


def test_b3_1_death_date_in_the_future_is_refused():
    died(DECEASED, dt.date(2026, 3, 11))
    application = file(at(dt.date(2026, 3, 10)))
    assert application.refusal_code == "death_date_in_future"


def test_b3_1_presented_death_date_in_the_future_names_the_field():
    with pytest.raises(ApplicationError) as error:
        file(at(dt.date(2026, 3, 10)), presented_death_date=dt.date(2026, 3, 11), presented_certificate="I-1")
    assert error.value.field == "death_date"
    assert not Application.objects.exists()


def test_b3_2_payment_already_assigned_by_the_payment_system():
    died(DECEASED, dt.date(2025, 6, 1))
    assigned_elsewhere(DECEASED)
    assert file(at(dt.date(2026, 3, 10))).refusal_code == "payment_already_assigned"


def test_b3_3_second_application_for_one_deceased_is_not_accepted():
    died(DECEASED, dt.date(2025, 6, 1))
    first = file(at(dt.date(2026, 3, 10)))
    second = file(at(dt.date(2026, 3, 11)))
    assert first.stage == Stage.DECISION_DRAFT
    assert second.stage == Stage.NOT_ACCEPTED
    assert second.refusal_code == "application_already_filed"


def test_b3_3_a_not_accepted_application_does_not_block_a_new_one():
    # B-10: once the cause is removed (the death is registered), the person applies again
    assert file(at(dt.date(2026, 3, 10))).stage == Stage.NOT_ACCEPTED
    died(DECEASED, dt.date(2025, 6, 1))
    assert file(at(dt.date(2026, 3, 11))).stage == Stage.DECISION_DRAFT


def test_b3_3_database_refuses_a_second_accepted_application():
    from django.db import IntegrityError, transaction

    died(DECEASED, dt.date(2025, 6, 1))
    first = file(at(dt.date(2026, 3, 10)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            programme="funeral",
            channel="portal",
            stage=Stage.ACCEPTED,
            applicant_iin=first.applicant_iin,
            subject_iin=DECEASED,
            submitted_at=first.submitted_at,
        )


def test_b3_4_not_a_recipient_on_the_date_of_death():
    died(DECEASED, dt.date(2025, 6, 1), kinds=())
    assert file(at(dt.date(2026, 3, 10))).refusal_code == "not_a_recipient"


def test_b3_4_special_state_benefit_counts():
    died(DECEASED, dt.date(2025, 6, 1), kinds=("special_benefit",))
    assert file(at(dt.date(2026, 3, 10))).stage == Stage.DECISION_DRAFT


@pytest.mark.parametrize(
    ("death", "applied", "accepted"),
    [
        (dt.date(2023, 9, 15), dt.date(2026, 9, 15), True),  # exactly 3 years
        (dt.date(2023, 9, 15), dt.date(2026, 9, 16), False),  # a day later
        (dt.date(2024, 2, 29), dt.date(2027, 2, 28), True),  # leap day: 28 Feb of the third year
        (dt.date(2024, 2, 29), dt.date(2027, 3, 1), False),
    ],
)
def test_b3_5_three_year_window_at_its_edges(death, applied, accepted):
    died(DECEASED, death)
    for year in (2023, 2024):  # the year-of-death bases the seed does not have
        from benefits.models import RateBase

        RateBase.objects.get_or_create(base="mrp", year=year, defaults={"amount": 3450, "legal_source": "test"})
    application = file(at(applied))
    if accepted:
        assert application.stage == Stage.DECISION_DRAFT
    else:
        assert application.refusal_code == "later_than_three_years"


def test_b3_state_system_unavailable_saves_nothing(settings):
    settings.STATEDATA_BACKEND = "shep"
    settings.STATEDATA_SHEP_URL = ""
    with pytest.raises(ApplicationError) as error:
        file(at(dt.date(2026, 3, 10)))
    assert error.value.code == "state_system_unavailable"
    assert not Application.objects.exists()


def test_item2_missing_rate_row_makes_the_decision_wait_with_the_reason():
    from benefits.models import RateBase
    from benefits.services import decision_retry_waiting

    died(DECEASED, dt.date(2024, 6, 1))  # no 2024 MRP row is seeded
    application = file(at(dt.date(2026, 3, 10)))
    decision = Decision.objects.get(application=application)
    assert application.stage == Stage.ACCEPTED
    assert decision.kind == "waiting"
    assert decision.amount is None
    assert decision.ground_code == "rate_missing"
    RateBase.objects.create(base="mrp", year=2024, amount=Decimal("3692"), legal_source="budget law 2024")
    decision = decision_retry_waiting(application=application)
    assert decision.amount == Decimal("129220.00")  # 35 x 3,692


def test_b3_veteran_gets_36_6_mrp():
    died(DECEASED, dt.date(2026, 1, 5), veteran=True)
    application = file(at(dt.date(2026, 3, 10)))
    assert application.decision.amount == Decimal("158295.00")
