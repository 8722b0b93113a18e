"""X-10: before a disability's term ends the person is reminded to get a new form 031/u: 45 days
before by default, once per act (the database enforces it), in their language, never a person of
pension age (men 63, women 61), never an act already followed by a re-examination."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, transaction

from notifications.models import Message
from portal.acts.models import TermReminder
from portal.acts.services import term_reminders_send_due
from portal.beat import beat_schedule
from portal.validators import iin_build
from tests.portal.acts.conftest import register
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)
SERIALS = itertools.count(500, 20)


def person_born(atu, birth_date: dt.date, *, female: bool = False, language: str = "ru"):
    return PersonFactory(
        registration_atu=atu,
        birth_date=birth_date,
        iin=iin_build(birth_date, female=female, serial=next(SERIALS)),
        preferred_language=language,
    )


@pytest.fixture
def act_until(staff_user, department, atu):
    def make(term_until: dt.date, *, person=None):
        person = person or person_born(atu, dt.date(1985, 3, 15))
        return register(actor_user=staff_user, person=person, department=department, term_until=term_until)

    return make


def test_x10_reminded_45_days_before_the_term_ends_not_46(act_until):
    due = act_until(dt.date(2026, 12, 16))  # 1 Nov + 45 days
    act_until(dt.date(2026, 12, 17))  # 46 days ahead: not yet
    assert term_reminders_send_due(today=TODAY) == 1
    message = Message.objects.get()
    assert message.recipient == due.person
    assert due.number in message.text
    assert "16.12.2026" in message.text


def test_x10_the_lead_time_is_a_setting(act_until, settings):
    settings.ACT_TERM_REMINDER_DAYS = 60
    act_until(dt.date(2026, 12, 31))  # 60 days after 1 Nov
    assert term_reminders_send_due(today=TODAY) == 1


def test_x10_once_per_act(act_until):
    act_until(dt.date(2026, 12, 1))
    assert term_reminders_send_due(today=TODAY) == 1
    assert term_reminders_send_due(today=dt.date(2026, 11, 2)) == 0
    assert Message.objects.count() == 1


def test_x10_the_database_refuses_a_second_reminder_of_an_act(act_until):
    act = act_until(dt.date(2026, 12, 1))
    TermReminder.objects.create(act=act)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermReminder.objects.create(act=act)


def test_x10_in_the_persons_language(act_until, atu):
    act_until(dt.date(2026, 12, 1), person=person_born(atu, dt.date(1985, 3, 15), language="kk"))
    term_reminders_send_due(today=TODAY)
    message = Message.objects.get()
    assert message.language == "kk"
    assert "031/у нысанындағы" in message.text


@pytest.mark.parametrize(
    ("birth_date", "female", "reminded"),
    [
        (dt.date(1963, 12, 1), False, False),  # a man 63 on 16.12.2026: pension age
        (dt.date(1964, 1, 10), False, True),  # a man of 62
        (dt.date(1965, 12, 1), True, False),  # a woman 61 on 16.12.2026: pension age
        (dt.date(1966, 1, 10), True, True),  # a woman of 60
        (dt.date(1965, 12, 1), False, True),  # a man of 61
    ],
)
def test_x10_never_a_person_of_pension_age(act_until, atu, birth_date, female, reminded):
    act_until(dt.date(2026, 12, 16), person=person_born(atu, birth_date, female=female))
    assert term_reminders_send_due(today=TODAY) == (1 if reminded else 0)


def test_x10_not_after_a_re_examination(act_until, staff_user, department, atu):
    person = person_born(atu, dt.date(1985, 3, 15))
    act_until(dt.date(2026, 12, 1), person=person)
    register(
        actor_user=staff_user,
        person=person,
        department=department,
        examined_on=dt.date(2026, 10, 20),
        kind="repeat",
        term_until=dt.date(2027, 11, 1),
    )
    assert term_reminders_send_due(today=TODAY) == 0


def test_x10_without_term_and_not_recognised_are_never_reminded(staff_user, department, atu):
    register(
        actor_user=staff_user,
        person=person_born(atu, dt.date(1985, 3, 15)),
        department=department,
        term_until=None,
        without_term=True,
    )
    assert term_reminders_send_due(today=TODAY) == 0


def test_x10_the_beat_runs_the_reminders_daily():
    task, cron, _why = beat_schedule()["acts: term reminders"]
    assert task == "acts.send_term_reminders"
    assert cron == {"minute": "0", "hour": "10"}
