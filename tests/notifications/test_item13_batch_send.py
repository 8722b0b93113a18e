"""Issue 13, target 3: the beat drains the outbox in batches, and still never sends a message twice.

A batch is claimed with SKIP LOCKED, sent from several threads over pooled keep-alive connections,
and its outcomes are written in one statement. The guards, the ask-first rule and the order per
phone hold as for one message.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.backends import backend_get
from notifications.models import Message
from notifications.services import message_send, messages_drain, messages_send_due, notify
from notifications.tasks import dispatch_due_task
from tests.factories import GuardianshipFactory, PersonFactory
from tests.notifications.conftest import needs_postgres

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def _phone(i: int) -> str:
    return f"+7701{i:07d}"


def _backlog(n: int, prefix: str = "b", phone=_phone) -> list[Message]:
    """``n`` due messages as a broker outage leaves them: written, never published."""
    with transaction.atomic():
        messages = [
            notify(recipient=phone(i), template="queue_invited", context=INVITE, dedupe_key=f"{prefix}:{i}")
            for i in range(n)
        ]
        transaction.get_connection().run_on_commit.clear()
    return messages


def _message_updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "notifications_message"')]


def test_item13_drain_sends_a_backlog_in_batches_each_message_once(settings, http_backend):
    settings.SMS_SEND_BATCH = 10
    messages = _backlog(25)
    assert messages_drain() == 25
    assert sorted(http_backend.ids()) == sorted(str(m.pk) for m in messages)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    one = messages[0]
    assert [e.status for e in one.events.order_by("id")] == ["created", "sending", "sent"]


def test_item13_a_batch_is_claimed_in_one_update_and_recorded_in_one_update(settings, http_backend):
    settings.SMS_SEND_BATCH = 10
    _backlog(10)
    with CaptureQueriesContext(connection) as ctx:
        outcome = messages_send_due()
    assert (outcome.attempted, outcome.sent) == (10, 10)
    # step 1 (mark sending) and step 3 (the outcomes): one statement each for the ten messages
    assert len(_message_updates(ctx.captured_queries)) == 2
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "notifications_messageevent"')]
    assert len(inserts) == 2  # the ten "sending" events, then the ten "sent" events


def test_item13_gateway_connection_is_kept_alive_across_sends(http_backend):
    messages = _backlog(5)
    backend = backend_get()
    for message in messages:
        backend.send(message)
    assert http_backend.requests == 5
    assert http_backend.connections == 1


def test_item13_batch_records_each_message_own_failure(settings, http_backend):
    settings.SMS_SEND_THREADS = 1  # the scripted failure hits the first request, the first message
    messages = _backlog(3)
    http_backend.fail_next("error", 7)
    messages_send_due()
    first, *rest = (Message.objects.get(pk=m.pk) for m in messages)
    assert first.status == Message.Status.PERMANENT_FAILURE
    assert first.reason == "invalid phone number"
    assert first.next_attempt_at is None
    assert [m.status for m in rest] == [Message.Status.SENT, Message.Status.SENT]


def test_item13_technical_failure_in_a_batch_waits_for_its_backoff(settings, http_backend):
    settings.SMS_RETRY_BACKOFF_SECONDS = 30
    (message,) = _backlog(1)
    http_backend.fail_next("http", 500)
    assert messages_drain() == 1  # tried once; not again in the same drain
    message.refresh_from_db()
    assert message.status == Message.Status.TECHNICAL_FAILURE
    assert message.next_attempt_at >= message.failed_at + dt.timedelta(seconds=30)
    assert http_backend.requests == 1


def test_item13_batch_keeps_the_order_per_phone(settings, http_backend):
    settings.SMS_SEND_BATCH = 10
    messages = _backlog(3, prefix="same", phone=lambda i: "+77011234567")
    _backlog(2, prefix="other")
    messages_drain()
    order = [s["id"] for s in http_backend.sent if s["phone"] == "77011234567"]
    assert order == [str(m.pk) for m in messages]
    assert len(http_backend.sent) == 5


def test_item13_batch_asks_the_gateway_first_after_an_unknown_outcome(settings, http_backend):
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 0.3
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    (message,) = _backlog(1)
    http_backend.fail_next("lost_answer", 1.0)  # the gateway takes it, the answer comes too late
    messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.TECHNICAL_FAILURE, "timeout")
    messages_send_due()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert http_backend.ids() == [str(message.pk)]  # asked, found: not sent again
    assert [c["path"] for c in http_backend.calls] == ["/sys/send.php", "/sys/status.php"]


def test_item13_batch_does_not_resend_while_the_gateway_cannot_say(settings, http_backend):
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 0.3
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    (message,) = _backlog(1)
    http_backend.fail_next("lost_answer", 1.0)
    messages_send_due()
    http_backend.fail_next("status_http", 500)
    messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.TECHNICAL_FAILURE, "uncertain")
    assert http_backend.ids() == [str(message.pk)]


def test_item13_batch_holds_non_urgent_messages_in_quiet_hours(settings, http_backend):
    # 22:00-08:00 Asia/Almaty; make "now" inside by choosing the window around it
    now = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=5)))
    settings.SMS_QUIET_HOURS_START = (now - dt.timedelta(hours=1)).strftime("%H:%M")
    settings.SMS_QUIET_HOURS_END = (now + dt.timedelta(hours=1)).strftime("%H:%M")
    (message,) = _backlog(1)
    outcome = messages_send_due()
    assert (outcome.attempted, outcome.held) == (0, 1)
    message.refresh_from_db()
    assert message.status == Message.Status.CREATED
    assert message.next_attempt_at > timezone.now() + dt.timedelta(minutes=50)
    assert http_backend.sent == []


def test_item13_batch_keeps_the_per_phone_rate_limit(settings, http_backend):
    settings.SMS_RATE_LIMIT_PER_HOUR = 1
    (first,) = _backlog(1, prefix="r1", phone=lambda i: "+77011234567")
    messages_send_due()
    (second,) = _backlog(1, prefix="r2", phone=lambda i: "+77011234567")
    outcome = messages_send_due()
    assert outcome.held == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == Message.Status.CREATED
    assert second.next_attempt_at == first.sent_at + dt.timedelta(hours=1)
    assert http_backend.ids() == [str(first.pk)]


def test_item13_batch_does_not_send_to_a_former_representative(http_backend):
    ward = PersonFactory(phone="+77019990011")
    representative = PersonFactory(phone="+77019990022")
    guardianship = GuardianshipFactory(representative=representative, ward=ward)
    with transaction.atomic():
        message = notify(
            recipient=representative, subject=ward, template="queue_invited", context=INVITE, dedupe_key="ward"
        )
        transaction.get_connection().run_on_commit.clear()
    guardianship.valid_until = timezone.localdate() - dt.timedelta(days=1)
    guardianship.save()
    messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.PERMANENT_FAILURE, "guardianship_ended")
    assert http_backend.sent == []


def test_item13_beat_dispatch_drains_in_batches(settings, http_backend):
    settings.SMS_SEND_BATCH = 4
    messages = _backlog(10)
    assert dispatch_due_task.apply().get() == 10
    assert sorted(http_backend.ids()) == sorted(str(m.pk) for m in messages)


# --- real concurrency (PostgreSQL) -----------------------------------------------------------------


def _in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(target(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item13_two_concurrent_drainers_never_send_one_message_twice(settings, seeded_templates, http_backend):
    needs_postgres()
    settings.SMS_SEND_BATCH = 7
    messages = _backlog(60)
    attempted = _in_threads(2, lambda i: messages_drain())
    assert sum(attempted) == 60
    ids = http_backend.ids()
    assert len(ids) == len(set(ids)) == 60
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    assert {m.pk for m in messages} == {int(i) for i in ids}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item13_drainers_and_single_sends_at_once_send_each_message_once(settings, seeded_templates, http_backend):
    needs_postgres()
    settings.SMS_SEND_BATCH = 5
    messages = _backlog(30)

    def work(i):
        if i < 2:
            return messages_drain()
        # the on-commit tasks of the same rows, arriving while the drainers run
        return sum(message_send(message_id=m.pk).attempted for m in messages[i % 2 :: 2])

    attempted = _in_threads(4, work)
    assert sum(attempted) == 30
    ids = http_backend.ids()
    assert len(ids) == len(set(ids)) == 30
