"""With Redis down the portal keeps working: the API answers (request budgets fail open), bookings
commit, their SMS wait in the outbox, and /healthz names what is down without failing.

Redis "down" is a real outage: the cache, the request budgets and the broker point at a local port
where nothing listens, configured exactly as production configures them for a ``REDIS_URL``.
"""

import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.test import APIClient

from notifications.models import Message
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.celery import app as celery_app
from portal.settings import redis_broker_transport_options, redis_caches
from queue_booking import selectors
from queue_booking.models import Booking
from tests.factories import PersonFactory, ReferralFactory
from tests.queue_booking.conftest import consenting, department_open_today

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


def _reset_broker_connections():
    # Drop the cached pools so the next publish connects to the broker the settings now name.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_caches(DEAD_REDIS)
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = redis_broker_transport_options()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_broker_connections()
    yield
    _reset_broker_connections()


@pytest.fixture
def booker(db):
    department = department_open_today()
    atu = department.atus.first()
    person = consenting(PersonFactory(registration_atu=atu, phone="+77011234567"))
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client = APIClient()
    client.force_authenticate(user)
    return {"client": client, "department": department, "referral": ReferralFactory(person=person)}


def test_sec7_healthz_names_the_cache_and_the_broker_down_and_still_answers(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["components"] == {"database": "ok", "cache": "down", "broker": "down"}
    assert body["celery_heartbeat"] is None


def test_sec7_healthz_all_ok_when_nothing_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["components"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_sec7_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    # the embedded default keeps its cache in the database: a cache that cannot answer either
    monkeypatch.setattr("portal.health.cache_state", lambda: "down")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["components"]["database"] == "down"


def test_sec7_api_call_answers_with_redis_down_and_the_failure_is_logged(redis_down, booker, caplog):
    url = f"/api/v1/queue/referrals/{booker['referral'].public_id}/availability/"
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        response = booker["client"].get(url)
    assert response.status_code == 200
    assert response.json()["department"]["number"] == booker["department"].number
    # the request budget failed open, and said so: one warning line per failed cache call
    outage = [r for r in caplog.records if r.name == "portal.cache"]
    assert outage
    assert {r.levelname for r in outage} == {"WARNING"}
    assert all(r.exc_info is None for r in outage)
    assert "Connection refused" in outage[0].getMessage()


def test_sec7_booking_commits_with_redis_down_and_its_sms_waits_in_the_outbox(
    settings, redis_down, booker, django_capture_on_commit_callbacks
):
    # given Redis (cache, budgets, broker) is down
    dates = selectors.available_dates(department=booker["department"])
    slot = selectors.available_slots(department=booker["department"], day=dates[1])[0]
    # when the citizen books through the API
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = booker["client"].post(
            "/api/v1/queue/bookings/create/", {"referral_id": str(booker["referral"].public_id), "slot_id": slot.pk}
        )
    # then the booking is committed and answered
    assert response.status_code == 201, response.content
    assert Booking.objects.filter(referral=booker["referral"], status="booked").count() == 1
    # and its SMS waits, due, in the outbox (the on-commit publish failed without breaking anything)
    # one callback publishes the SMS; the availability cache's invalidation may add its own, which must
    # not break with Redis down either (execute=True ran them all)
    assert sum(1 for c in callbacks if "message_enqueue_on_commit" in c.__qualname__) == 1
    (message,) = Message.objects.filter(template__key="queue_booked")
    assert message.status == Message.Status.CREATED
    assert message.next_attempt_at is not None
    assert message.attempts == 0
    # and when the broker is back the beat re-dispatch sends it
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SMS_REDISPATCH_GRACE_SECONDS = 0
    from notifications.tasks import dispatch_due_task

    dispatch_due_task.apply()
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED  # the database backend delivers at once
    assert message.attempts == 1


def test_sec7_on_commit_publish_never_raises_into_the_request(monkeypatch, django_capture_on_commit_callbacks):
    """Whatever the publish raises (here a transport error kombu does not wrap), the change commits."""
    from django.db import transaction
    from redis.exceptions import ConnectionError as RedisConnectionError

    from notifications.services import notify
    from notifications.tasks import message_send_task

    def publish_breaks(*args, **kwargs):
        raise RedisConnectionError("Connection closed by server.")

    monkeypatch.setattr(message_send_task, "apply_async", publish_breaks)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = notify(
            recipient="+77011234567",
            template="queue_invited",
            context={"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"},
            dedupe_key="sec7:publish-breaks",
        )
    message.refresh_from_db()
    assert message.status == Message.Status.CREATED
    assert message.next_attempt_at is not None
