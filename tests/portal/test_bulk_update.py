"""portal.bulk.bulk_update_fields: the SMS batches write their outcomes in one statement, and what is
stored is what ``bulk_update`` would store (a mechanism of the core, no SPEC rule of its own)."""

import datetime as dt

import pytest

from notifications.models import Message
from notifications.services import notify
from portal.bulk import bulk_update_fields
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан Маратович", "link": "https://mse.example.kz/queue/"}


def test_bulk_update_fields_writes_the_named_fields_exactly_and_no_other(django_assert_num_queries):
    first, second = (
        notify(recipient=PersonFactory(), template="queue_invited", context=INVITE, dedupe_key=f"bulk:{n}")
        for n in (1, 2)
    )
    sent = dt.datetime(2026, 12, 1, 10, 30, 5, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    first.status, first.sent_at, first.gateway_id, first.segments = "sent", sent, 'gw "7"', 2
    second.status, second.sent_at, second.gateway_id, second.reason = "technical_failure", None, "", "timeout"
    text_before = second.text
    second.text = "changed but not named"
    with django_assert_num_queries(1):
        assert bulk_update_fields([first, second], ["status", "sent_at", "gateway_id", "segments", "reason"]) == 2
    one, two = Message.objects.get(pk=first.pk), Message.objects.get(pk=second.pk)
    assert (one.status, one.sent_at, one.gateway_id, one.segments) == ("sent", sent, 'gw "7"', 2)
    assert (two.status, two.sent_at, two.reason) == ("technical_failure", None, "timeout")
    assert two.text == text_before  # a field not named is left as it was


def test_bulk_update_fields_with_nothing_to_write_runs_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_fields([], ["status"]) == 0
