"""Issue 8 point 1: calendar edits reach the apps through a service, never through a model signal."""

import datetime as dt
import json

import pytest
from django.core import serializers
from django.db import IntegrityError

from portal.territory.models import Region
from portal.workcal.models import CalendarException
from portal.workcal.services import calendar_exception_delete, calendar_exception_save, is_working_day
from portal.workcal.signals import calendar_changed

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 12, 18)
MONDAY = dt.date(2026, 12, 21)


@pytest.fixture
def heard():
    """Every ``calendar_changed`` a well-behaved receiver got, as its keyword arguments."""
    calls: list[dict] = []

    def listener(sender, **kwargs):
        calls.append(kwargs)
        return "the listener did its part"

    calendar_changed.connect(listener, dispatch_uid="tests.p1.listener")
    yield calls
    calendar_changed.disconnect(dispatch_uid="tests.p1.listener")


def _day_off(day):
    return CalendarException(date=day, kind=CalendarException.Kind.DAY_OFF, name_ru="перенос", legal_basis="decree")


def test_item1_save_sends_old_and_new_date_and_kind_as_arguments(heard):
    row = _day_off(FRIDAY)
    report = calendar_exception_save(exception=row)
    row.date, row.kind = MONDAY, CalendarException.Kind.WORKING_DAY
    calendar_exception_save(exception=row)
    calendar_exception_delete(exception=row)
    assert [(c["old_date"], c["old_kind"], c["new_date"], c["new_kind"], c["dates"]) for c in heard] == [
        (None, None, FRIDAY, "day_off", {FRIDAY}),
        (FRIDAY, "day_off", MONDAY, "working_day", {FRIDAY, MONDAY}),
        (MONDAY, "working_day", None, None, {MONDAY}),
    ]
    assert report.said == ["the listener did its part"]
    assert not hasattr(row, "_calendar_responses")


def test_item1_only_a_new_name_tells_the_apps_nothing(heard):
    row = _day_off(FRIDAY)
    calendar_exception_save(exception=row)
    row.name_ru = "другое имя"
    calendar_exception_save(exception=row)
    assert len(heard) == 1


def test_item1_a_failing_receiver_is_rolled_back_alone_and_named(heard, failing_calendar_receiver, caplog):
    # when
    report = calendar_exception_save(exception=_day_off(FRIDAY))
    # then: the edit stands, the other receiver ran, the failing one's row is gone, staff are told
    assert CalendarException.objects.filter(date=FRIDAY).count() == 1
    assert not is_working_day(FRIDAY)
    assert len(heard) == 1
    assert not Region.objects.filter(kato="999999999").exists()
    assert report.failed_apps == ["Benefits"]
    assert report.said == ["the listener did its part"]
    failure = [r for r in caplog.records if r.name == "portal.workcal.signals"]
    assert len(failure) == 1
    assert "benefits.signals" in failure[0].getMessage()
    assert failure[0].exc_info[0] is IntegrityError


def test_item1_a_raw_save_as_loaddata_does_tells_no_app(heard):
    # given: a fixture as loaddata reads it
    fixture = json.dumps(
        [
            {
                "model": "workcal.calendarexception",
                "pk": 77,
                "fields": {
                    "date": FRIDAY.isoformat(),
                    "kind": "day_off",
                    "name_kk": "",
                    "name_ru": "перенос",
                    "legal_basis": "decree",
                    "created_at": "2026-11-01T00:00:00Z",
                    "updated_at": "2026-11-01T00:00:00Z",
                },
            }
        ]
    )
    # when: loaddata saves each object raw
    for obj in serializers.deserialize("json", fixture):
        obj.save()
    # then: the row is there and no receiver heard of it
    assert CalendarException.objects.filter(pk=77, date=FRIDAY).exists()
    assert heard == []
