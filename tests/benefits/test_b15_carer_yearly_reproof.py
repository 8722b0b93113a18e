"""B-15: a year after the carer last proved they stopped working, the beat asks the systems again:
still stopped renews the proof, working suspends the share from the day the proof ran out with a
notice, a system that does not answer changes nothing."""

import datetime as dt

import pytest

from benefits.beat import BEAT_SCHEDULE
from benefits.services_survivor import carer_reproof, carers_reproof_due
from benefits.statesystems import PENSION_CONTRIBUTIONS, SOCIAL_PAYMENTS
from notifications.models import Message
from portal.statedata.models import DemoRecord
from tests.benefits.helpers import CARER, carer_filed

pytestmark = pytest.mark.django_db


def _filed(on=dt.datetime(2026, 3, 10, 10)):
    born = dt.date(2022, 1, 1)  # under 8 until 1 Jan 2030, past every date below
    carer = carer_filed(youngest=born, on=on, right_arose_on=dt.date(2026, 1, 10))
    assert carer.stopped_working_proved_on == dt.date(2026, 3, 10)
    return carer


def test_b15_reproof_is_due_exactly_a_year_after_the_last_proof():
    carer = _filed()
    assert carers_reproof_due(today=dt.date(2027, 3, 9)) == []
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2027, 3, 9)) == "not_due"
    assert carers_reproof_due(today=dt.date(2027, 3, 10)) == [carer.pk]


def test_b15_reproof_still_stopped_renews_for_another_year():
    carer = _filed()
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2027, 3, 10)) == "renewed"
    carer.refresh_from_db()
    assert carer.status == "active"
    assert carer.stopped_working_proved_on == dt.date(2027, 3, 10)
    assert carers_reproof_due(today=dt.date(2028, 3, 9)) == []
    assert carers_reproof_due(today=dt.date(2028, 3, 10)) == [carer.pk]


@pytest.mark.parametrize("system", [PENSION_CONTRIBUTIONS, SOCIAL_PAYMENTS])
def test_b15_reproof_working_again_suspends_from_the_anniversary_with_a_notice(system):
    carer = _filed()
    DemoRecord.objects.create(system=system, key=CARER, valid_from=dt.date(2026, 9, 1), data={"since": "2026-09-01"})
    # the beat ran late (13 Mar 2027): the share stops from the day the proof ran out, 10 Mar 2027
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2027, 3, 13)) == "suspended"
    carer.refresh_from_db()
    assert carer.status == "suspended"
    assert carer.suspended_from == dt.date(2027, 3, 10)
    assert carer.suspension_reason == "carer_still_working"
    assert Message.objects.filter(template__key="benefit_suspended").count() == 1
    # a second run does nothing more
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2027, 3, 14)) == "not_due"
    assert Message.objects.filter(template__key="benefit_suspended").count() == 1


def test_b15_reproof_system_unavailable_changes_nothing(settings):
    carer = _filed()
    settings.STATEDATA_BACKENDS = {PENSION_CONTRIBUTIONS: "shep"}
    settings.STATEDATA_SHEP_URL = ""
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2027, 3, 10)) == "unavailable"
    carer.refresh_from_db()
    assert carer.status == "active"
    assert carer.stopped_working_proved_on == dt.date(2026, 3, 10)
    assert carers_reproof_due(today=dt.date(2027, 3, 11)) == [carer.pk]  # asked again the next day


def test_b15_reproof_is_scheduled_daily():
    task, crontab, _why = BEAT_SCHEDULE["benefits: carers' yearly re-proof"]
    assert task == "benefits.carers_reproof"
    assert "day_of_month" not in crontab
