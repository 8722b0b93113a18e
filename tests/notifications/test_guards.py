"""Guards: quiet hours [A], the per-phone rate limit, masking in logs."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from notifications.guards import quiet_hours_end
from notifications.models import Message
from notifications.rendering import ALMATY
from notifications.services import message_send, notify

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def _at(hour, minute=0, day=5):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=ALMATY)


@pytest.fixture
def quiet_22_08(settings):
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = "22:00", "08:00"


def test_quiet_hours_are_22_to_08_almaty_time(quiet_22_08):
    assert quiet_hours_end(_at(21, 59)) is None
    assert quiet_hours_end(_at(22, 0)) == _at(8, 0, day=6)
    assert quiet_hours_end(_at(23, 30)) == _at(8, 0, day=6)
    assert quiet_hours_end(_at(3, 0)) == _at(8, 0)
    assert quiet_hours_end(_at(7, 59)) == _at(8, 0)
    assert quiet_hours_end(_at(8, 0)) is None
    assert quiet_hours_end(dt.datetime(2026, 3, 5, 17, 0, tzinfo=dt.UTC)) == _at(8, 0, day=6)  # 22:00 Almaty


@pytest.fixture
def quiet_now(settings):
    """Quiet hours around the present moment, so the test runs the same at any time of day."""
    local = timezone.localtime(timezone.now(), ALMATY)
    settings.SMS_QUIET_HOURS_START = (local - dt.timedelta(hours=1)).strftime("%H:%M")
    settings.SMS_QUIET_HOURS_END = (local + dt.timedelta(hours=1)).strftime("%H:%M")
    return local


def test_q8_reminder_in_quiet_hours_waits_until_morning(quiet_now, person):
    context = {
        "full_name": "Сериков Ерлан",
        "department_number": 1,
        "date": dt.date(2026, 3, 5),
        "time": dt.time(9, 0),
        "address": "Кокшетау",
        "ticket": "1",
        "link": "https://x.kz",
    }
    message = notify(recipient=person, template="queue_reminder", context=context, dedupe_key="rem")
    outcome = message_send(message_id=message.pk)
    message.refresh_from_db()
    assert outcome.attempted is False
    assert message.status == Message.Status.CREATED  # held, not lost
    end = (quiet_now + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    assert abs(message.next_attempt_at - end) < dt.timedelta(minutes=1)


def test_urgent_sign_in_code_goes_out_in_quiet_hours(quiet_now, person):
    message = notify(
        recipient=person, template="sign_in_code", context={"code": "123456", "minutes": 5}, dedupe_key="c"
    )
    assert message.urgent  # the template is urgent
    assert message_send(message_id=message.pk).status == Message.Status.DELIVERED


def test_per_phone_rate_limit_holds_the_excess(settings, person):
    settings.SMS_RATE_LIMIT_PER_HOUR = 2
    ids = [notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key=f"r{i}").pk for i in range(3)]
    outcomes = [message_send(message_id=i) for i in ids]
    assert [o.status for o in outcomes] == [Message.Status.DELIVERED, Message.Status.DELIVERED, ""]
    held = Message.objects.get(pk=ids[2])
    assert held.status == Message.Status.CREATED
    assert held.next_attempt_at > timezone.now() + dt.timedelta(minutes=59)
    # another phone is not held
    other = notify(recipient="+77020000001", template="queue_invited", context=INVITE, dedupe_key="other")
    assert message_send(message_id=other.pk).status == Message.Status.DELIVERED


def test_logs_mask_the_phone_and_the_code(settings, person, caplog):
    settings.SMS_BACKEND = "console"
    caplog.set_level(logging.INFO)
    message = notify(
        recipient=person, template="sign_in_code", context={"code": "482913", "minutes": 5}, dedupe_key="l"
    )
    message_send(message_id=message.pk)
    assert "+7 701 *** ** 67" in caplog.text
    assert "482913" not in caplog.text
    assert "+77011234567" not in caplog.text
    assert "7011234567" not in caplog.text
