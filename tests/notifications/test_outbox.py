"""The transactional outbox: written with the business change, sent after commit, never twice."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Message
from notifications.services import message_send, notify
from notifications.tasks import dispatch_due_task, message_send_task
from portal.celery import app as celery_app
from tests.factories import PersonFactory
from tests.notifications.conftest import needs_postgres

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def test_q4_invitation_is_sent_after_the_business_transaction_commits(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:1:invited")
        assert Message.objects.get(pk=message.pk).status == Message.Status.CREATED
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED  # the database backend delivers at once
    assert [e.status for e in message.events.all()] == ["created", "sending", "sent", "delivered"]
    assert message.sent_at
    assert message.delivered_at
    assert message.attempts == 1


def test_rolled_back_change_leaves_no_message_and_sends_nothing(person, django_capture_on_commit_callbacks):
    def booking_that_fails():
        with transaction.atomic():
            notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:2:invited")
            raise RuntimeError("the booking failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        booking_that_fails()
    assert callbacks == []
    assert not Message.objects.filter(dedupe_key="ref:2:invited").exists()


def test_second_call_with_the_same_dedupe_key_is_a_no_op(person, http_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:3:invited")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:3:invited")
    assert second.pk == first.pk
    assert callbacks == []
    assert Message.objects.filter(dedupe_key="ref:3:invited").count() == 1
    assert len(http_backend.sent) == 1


def test_task_run_twice_sends_once(person, http_backend, django_capture_on_commit_callbacks):
    # given a message whose task was published twice (acks_late redelivery after a worker restart)
    with django_capture_on_commit_callbacks(execute=False):
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:4:invited")
    # when both deliveries run
    message_send_task.apply(args=[message.pk])
    message_send_task.apply(args=[message.pk])
    # then the gateway got one SMS
    assert http_backend.ids() == [str(message.pk)]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1


def test_invalid_phone_is_stored_as_failed_and_the_business_change_commits(django_capture_on_commit_callbacks):
    person = PersonFactory(phone="+7701")  # as the mobile-citizens base sometimes has it
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:5")
    assert callbacks == []  # nothing to dispatch
    message.refresh_from_db()
    assert message.status == Message.Status.PERMANENT_FAILURE
    assert message.reason == "invalid phone number"
    assert message.error_code == "phone_invalid"
    assert message.next_attempt_at is None
    assert message.failed_at
    assert [e.status for e in message.events.all()] == ["created", "permanent_failure"]


def test_phone_is_normalised_to_e164():
    message = notify(recipient="8 (701) 123-45-67", template="queue_invited", context=INVITE, dedupe_key="n")
    assert message.phone == "+77011234567"
    assert message.status == Message.Status.CREATED


@pytest.fixture
def broker_down(settings):
    """A real broker outage: Celery publishes to a port where nothing listens."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    _reset_broker_connections()
    yield
    _reset_broker_connections()


def _reset_broker_connections():
    # Drop the cached pools so the next publish connects to the broker the settings now name.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_message_survives_a_broker_outage_and_goes_out_once_when_it_returns(
    settings, person, http_backend, broker_down, django_capture_on_commit_callbacks
):
    # given the broker is down when the booking commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ref:6")
    assert len(callbacks) == 1  # the on-commit publish ran, failed, and did not break the commit
    message.refresh_from_db()
    assert message.status == Message.Status.CREATED
    assert message.next_attempt_at is not None
    assert http_backend.sent == []
    # when the broker is back and the beat re-dispatch runs (twice, to be sure)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    dispatch_due_task.apply()
    dispatch_due_task.apply()
    # then the message went out once
    assert http_backend.ids() == [str(message.pk)]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_gateway_down_messages_wait_then_go_out_in_order_none_twice(
    settings, person, http_backend, django_capture_on_commit_callbacks
):
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    settings.SMS_TASK_MAX_RETRIES = 0
    other = PersonFactory(phone="+77029998877")
    http_backend.stop()
    keys = ["a", "b", "c"]
    with django_capture_on_commit_callbacks(execute=True):
        for key in keys:
            with transaction.atomic():
                notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key=f"down:{key}")
        with transaction.atomic():
            notify(recipient=other, template="queue_invited", context=INVITE, dedupe_key="down:other")
    first = Message.objects.get(dedupe_key="down:a")
    assert first.status == Message.Status.TECHNICAL_FAILURE
    assert first.reason == "gateway unreachable"
    # the later messages to the same phone did not overtake the first: they wait behind it
    assert Message.objects.get(dedupe_key="down:b").attempts == 0
    http_backend.start()
    dispatch_due_task.apply()
    dispatch_due_task.apply()
    sent = http_backend.sent
    order = [Message.objects.get(pk=int(s["id"])).dedupe_key for s in sent if s["phone"] == "77011234567"]
    assert order == ["down:a", "down:b", "down:c"]
    assert len(sent) == 4
    assert len({s["id"] for s in sent}) == 4
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_lost_gateway_answer_is_looked_up_before_sending_again(
    settings, person, http_backend, django_capture_on_commit_callbacks
):
    # given the gateway takes the message but its answer comes after our timeout
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 0.3
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    settings.SMS_TASK_MAX_RETRIES = 0
    http_backend.fail_next("lost_answer", 1.0)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="lost")
    message.refresh_from_db()
    assert message.status == Message.Status.TECHNICAL_FAILURE
    assert message.error_code == "timeout"
    # when the beat re-dispatches it
    dispatch_due_task.apply()
    # then the gateway is asked first, knows it, and no second SMS goes out
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert http_backend.ids() == [str(message.pk)]


def test_worker_lost_during_sending_is_recovered_by_the_beat(settings, person, http_backend):
    settings.SMS_SENDING_STALE_SECONDS = 0
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="stale")
    # a worker claimed it and died before calling the gateway
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, sending_at=timezone.now(), next_attempt_at=None, backend="http", attempts=1
    )
    dispatch_due_task.apply()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 2
    assert http_backend.ids() == [str(message.pk)]
    assert "technical_failure" in [e.status for e in message.events.all()]


def test_message_not_sent_within_its_lifetime_is_given_up(settings, person):
    settings.SMS_MESSAGE_TTL_HOURS = 0
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ttl")
    outcome = message_send(message_id=message.pk)
    message.refresh_from_db()
    assert outcome.attempted is False
    assert message.status == Message.Status.TECHNICAL_FAILURE  # never reached the gateway
    assert message.next_attempt_at is None
    assert message.reason.startswith("expired")
    assert message.is_final


# --- real concurrency (PostgreSQL) -----------------------------------------------------------------


def _in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_with_one_dedupe_key_write_one_message_and_send_once(seeded_templates, http_backend):
    needs_postgres()
    person = PersonFactory(phone="+77011234567")

    def call():
        with transaction.atomic():
            message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="race:1")
            return message.pk

    ids = _in_threads(8, call)
    assert len(set(ids)) == 1
    assert Message.objects.filter(dedupe_key="race:1").count() == 1
    assert http_backend.ids() == [str(ids[0])]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_of_one_send_task_send_once(seeded_templates, http_backend):
    needs_postgres()
    person = PersonFactory(phone="+77011234567")
    with transaction.atomic():
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="race:2")
        # keep the on-commit dispatch from running: the threads below are the dispatches
        transaction.get_connection().run_on_commit.clear()
    outcomes = _in_threads(8, lambda: message_send(message_id=message.pk))
    assert sum(o.attempted for o in outcomes) == 1
    assert http_backend.ids() == [str(message.pk)]


def test_no_resend_while_the_gateway_cannot_say_whether_it_has_the_message(
    settings, person, http_backend, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 0.3
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    settings.SMS_TASK_MAX_RETRIES = 0
    http_backend.fail_next("lost_answer", 1.0)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="unsure")
    # the status lookup fails: the message is not sent again blindly
    http_backend.fail_next("status_http", 500)
    dispatch_due_task.apply()
    message.refresh_from_db()
    assert message.status == Message.Status.TECHNICAL_FAILURE
    assert message.error_code == "uncertain"
    # the next lookup works: the gateway has it, so it is recorded as sent, not sent twice
    dispatch_due_task.apply()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert http_backend.ids() == [str(message.pk)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_claiming_a_message_does_not_lock_its_template(seeded_templates):
    """Workers sending messages of one template must not queue behind each other's locks."""
    needs_postgres()
    from django.db import DatabaseError

    from notifications import locks
    from notifications.models import Template

    person = PersonFactory(phone="+77011234568")
    with transaction.atomic():
        message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="lock:1")
        transaction.get_connection().run_on_commit.clear()
    template_id = message.template_id
    locked, release = threading.Event(), threading.Event()

    def hold_the_message():
        with transaction.atomic():
            assert locks.message_for_update(message.pk) is not None
            locked.set()
            release.wait(timeout=10)
        connection.close()

    holder = threading.Thread(target=hold_the_message)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        # another worker (this connection) can still lock the template row at once
        with transaction.atomic():
            try:
                Template.objects.select_for_update(nowait=True).get(pk=template_id)
            except DatabaseError:
                pytest.fail("the template row was locked by a message claim")
            # while the message itself stays locked
            with pytest.raises(DatabaseError), transaction.atomic():
                Message.objects.select_for_update(nowait=True).get(pk=message.pk)
    finally:
        release.set()
        holder.join(timeout=10)
