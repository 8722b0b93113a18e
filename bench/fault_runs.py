"""Fault runs: what a fault costs in bookings and SMS (lost, duplicated). Prints one JSON document.

Needs PostgreSQL and Redis (the production shape), on 127.0.0.1 only::

    BENCH_PG=postgres://postgres@127.0.0.1:5432 BENCH_FAULTS_DB=portal_bench_faults \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/fault_runs.py --messages 20

The benchmark's database is dropped and created afresh. The SMS gateway is the local fake
(``tests/notifications/fake_smsc.py``), running in this process on a random 127.0.0.1 port.

- ``redis_down_booking``: citizens book through the API while the cache, the request budgets and
  the broker point at a closed port (Redis down). Counted: bookings committed, 5xx answers, what
  ``/healthz`` said, SMS left in the outbox; then Redis is back, the beat's re-dispatch runs, and the
  gateway's count gives SMS lost and duplicated.
- ``worker_killed_mid_send``: a real Celery worker (prefork) sends SMS to a gateway that takes each
  message and answers two seconds later; the worker's whole process group is killed with SIGKILL
  while messages are in flight; a new worker starts and the beat's re-dispatch runs (stale
  ``sending`` rows become "outcome unknown", and the gateway is asked before any resend).
- ``gateway_5xx_after_accept``: the gateway takes every message and answers 502, 503 or 504; the
  client's immediate repeats are on (the production default); the retry path runs.

Bounded in time (``--timeout`` per run). Benchmarks measure; they never assert.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import fresh_database  # noqa: E402
from tests.notifications.fake_smsc import LOGIN, PASSWORD, FakeSmsc  # noqa: E402

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: Redis "down"
CONTEXT = {"full_name": "Сериков Ерлан Маратович", "link": "https://mse.example.kz/queue/"}


def _progress(what: str) -> None:
    print(f"[faults] {what}", file=sys.stderr, flush=True)


def _environment(gateway_url: str, db_name: str) -> dict[str, str]:
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=f"{base}/{db_name}",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="CRITICAL",
        SMS_BACKEND="http",
        SMS_GATEWAY_URL=gateway_url,
        SMS_GATEWAY_LOGIN=LOGIN,
        SMS_GATEWAY_PASSWORD=PASSWORD,
        SMS_GATEWAY_SENDER="MSE.KZ",
        SMS_CALLBACK_SECRET="bench-callback-secret",  # noqa: S106 (a local fake's secret)
        SMS_QUIET_HOURS_START="00:00",
        SMS_QUIET_HOURS_END="00:00",
        SMS_REDISPATCH_GRACE_SECONDS="0",
        SMS_RETRY_BACKOFF_SECONDS="1",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    return env


def _reset_broker_connections() -> None:
    from portal.celery import app

    app._pool = None
    app.amqp._producer_pool = None


def _gateway_count(gateway: FakeSmsc, ids: set[int]) -> dict:
    ours = [i for i in gateway.ids() if i.isdigit() and int(i) in ids]
    return {"accepted": len(ours), "distinct": len(set(ours))}


def _losses(gateway: FakeSmsc, message_ids: list[int]) -> dict:
    count = _gateway_count(gateway, set(message_ids))
    return {
        "messages": len(message_ids),
        "at_gateway": count["accepted"],
        "lost": len(message_ids) - count["distinct"],
        "duplicated": count["accepted"] - count["distinct"],
    }


def _statuses(message_ids: list[int]) -> dict[str, int]:
    from django.db.models import Count

    from notifications.models import Message

    rows = Message.objects.filter(pk__in=message_ids).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def _drain(message_ids: list[int], timeout: float) -> float:
    """The beat's re-dispatch, every half second, until no message is pending; returns seconds."""
    from notifications.models import SENDABLE_STATUSES, Message
    from notifications.services import messages_dispatch_due

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        messages_dispatch_due()
        pending = [*SENDABLE_STATUSES, Message.Status.SENDING]
        if not Message.objects.filter(pk__in=message_ids, status__in=pending).exists():
            break
        time.sleep(0.5)
    return round(time.monotonic() - started, 2)


# --- (a) Redis down during bookings --------------------------------------------------------------
def _seed_citizens(n: int):
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.accounts.roles import Role
    from portal.accounts.services import integrator_create
    from portal.consent.models import Consent
    from portal.people.models import Person
    from portal.referrals.models import MedicalOrganisation, MisVendor, Referral, referral_valid_until
    from portal.territory.models import Atu, MseDepartment, Region
    from portal.validators import bin_build, iin_build
    from queue_booking.models import Pilot, ReceptionSchedule
    from queue_booking.services import reception_schedule_publish

    now = timezone.now()
    today = timezone.localdate(now)
    region = Region.objects.create(kato="110000000", name_ru="Акмолинская область", name_kk="Ақмола облысы")
    pilot = Pilot.objects.create(
        name="faults", starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=400)
    )
    pilot.regions.add(region)
    org = MedicalOrganisation.objects.create(
        name_ru="faults clinic",
        bin=bin_build(dt.date(2005, 1, 1), serial=1),
        region=region,
        mis_vendor=MisVendor.DAMU,
        integrator=integrator_create(name="faults MIS", kind="mis"),
    )
    atu = Atu.objects.create(region=region, kind=Atu.Kind.DISTRICT, kato="110000001", name_ru="Район", name_kk="Аудан")
    department = MseDepartment.objects.create(
        region=region,
        number=1,
        name_ru="Отдел 1",
        name_kk="1",
        city_ru="Кокшетау",
        street_ru="ул. Абая",
        house="1",
        room_ru="1",
    )
    department.atus.add(atu)
    for year in (today.year, today.year + 1):
        schedule = ReceptionSchedule.objects.create(department=department, year=year, capacity_per_slot=n)
        reception_schedule_publish(schedule=schedule, now=now)
    citizen = Group.objects.get(name=Role.CITIZEN)
    people = []
    for i in range(n):
        birth = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        person = Person.objects.create(
            iin=iin_build(birth, female=False, serial=100 + i),
            last_name="Faults",
            first_name=str(i),
            birth_date=birth,
            phone=f"+7702{i:07d}",
            registration_atu=atu,
        )
        Consent.objects.create(
            subject=person,
            given_by=person,
            scope=Consent.Scope.PERSONAL_DATA,
            purpose="faults",
            channel=Consent.Channel.PORTAL,
            given_at=now,
        )
        referral = Referral(
            person=person,
            medical_organisation=org,
            external_id=f"faults-{i}",
            icd10="I63.5",
            signed_at=now - dt.timedelta(days=1),
            vkk_chair_name="faults",
            status=Referral.Status.ROUTED,
            route=Referral.Route.IN_PERSON,
        )
        referral.valid_until = referral_valid_until(referral.signed_at)
        referral.save()
        user = User.objects.create(username=f"iin{person.iin}", person=person)
        user.groups.add(citizen)
        people.append((user, referral))
    return department, people


def redis_down_booking(gateway: FakeSmsc, n: int, timeout: float) -> dict:
    from django.test import override_settings
    from rest_framework.test import APIClient

    from notifications.models import Message
    from portal.settings import redis_broker_transport_options, redis_caches
    from queue_booking import selectors
    from queue_booking.models import Booking

    department, everyone = _seed_citizens(2 * n)
    baseline_people, people = everyone[:n], everyone[n:]
    day = selectors.available_dates(department=department)[1]
    slot = selectors.available_slots(department=department, day=day)[0]

    def book(pairs) -> tuple[dict[int, int], list[float]]:
        client, answers, latencies = APIClient(), {}, []
        for user, referral in pairs:
            client.force_authenticate(user)
            started = time.perf_counter()
            response = client.post(
                "/api/v1/queue/bookings/create/", {"referral_id": str(referral.public_id), "slot_id": slot.pk}
            )
            latencies.append((time.perf_counter() - started) * 1000)
            answers[response.status_code] = answers.get(response.status_code, 0) + 1
        return answers, sorted(latencies)

    # baseline: the same bookings with Redis up (their SMS are published and left to the queue)
    _baseline_answers, baseline_latencies = book(baseline_people)
    down = override_settings(
        CACHES=redis_caches(DEAD_REDIS),
        CELERY_BROKER_URL=DEAD_REDIS,
        CELERY_BROKER_TRANSPORT_OPTIONS=redis_broker_transport_options(),
    )
    with down:
        _reset_broker_connections()
        health = APIClient().get("/healthz")
        answers, latencies = book(people)
    _reset_broker_connections()
    committed = Booking.objects.filter(referral__in=[r for _u, r in people], status="booked").count()
    message_ids = list(
        Message.objects.filter(template__key="queue_booked", recipient__in=[u.person for u, _r in people]).values_list(
            "id", flat=True
        )
    )
    waiting = _statuses(message_ids)
    # Redis is back: the beat's re-dispatch publishes to the real broker, sent here inline.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        seconds = _drain(message_ids, timeout)
    return {
        "bookings_attempted": n,
        "bookings_committed": committed,
        "answers": {str(k): v for k, v in sorted(answers.items())},
        "answers_5xx": sum(v for k, v in answers.items() if k >= 500),
        "booking_ms_p50": round(latencies[len(latencies) // 2], 1),
        "booking_ms_max": round(latencies[-1], 1),
        "baseline_redis_up_booking_ms_p50": round(baseline_latencies[len(baseline_latencies) // 2], 1),
        "healthz_while_down": {"status_code": health.status_code, **health.json()},
        "sms_while_down": waiting,
        "drain_seconds_after_redis_back": seconds,
        **_losses(gateway, message_ids),
    }


# --- (b) a worker killed mid-send -----------------------------------------------------------------
def _start_worker(env: dict, name: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal.celery",
            "worker",
            "--concurrency=2",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed whole, children included
    )


def _wait_for_worker(name: str, timeout: float) -> None:
    from portal.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if any(key.startswith(f"{name}@") for reply in replies for key in reply):
            return
    raise SystemExit("the Celery worker did not start")


def _kill_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)


def worker_killed_mid_send(gateway: FakeSmsc, env: dict, n: int, timeout: float) -> dict:
    from django.db import transaction
    from django.test import override_settings

    from notifications.models import Message
    from notifications.services import notify
    from portal.celery import app

    app.control.purge()
    log = tempfile.NamedTemporaryFile(prefix="faults-worker-", suffix=".log", delete=False)  # noqa: SIM115
    first = _start_worker(env, "faults-a", log)
    second = None
    try:
        _wait_for_worker("faults-a", 60)
        # every send is taken by the gateway at once and answered two seconds later
        gateway.fail_next("lost_answer", 2.0, times=n)
        message_ids = []
        for i in range(n):
            with transaction.atomic():
                message = notify(
                    recipient=f"+77012{i:06d}", template="queue_invited", context=CONTEXT, dedupe_key=f"faults:kill:{i}"
                )
            message_ids.append(message.pk)
        deadline = time.monotonic() + timeout
        # kill when the second pair is in flight: taken by the gateway, its answer not yet back
        while time.monotonic() < deadline and _gateway_count(gateway, set(message_ids))["accepted"] < 4:
            time.sleep(0.05)
        _kill_group(first, signal.SIGKILL)
        at_kill = {"statuses": _statuses(message_ids), **_gateway_count(gateway, set(message_ids))}
        with gateway.lock:
            gateway._script.clear()  # the gateway answers at once from now on
        second = _start_worker(env, "faults-b", log)
        _wait_for_worker("faults-b", 60)
        # The beat's re-dispatch; "sending" older than a second counts as a lost worker here.
        with override_settings(SMS_SENDING_STALE_SECONDS=1):
            seconds = _drain(message_ids, timeout)
        interrupted = (
            Message.objects.filter(pk__in=message_ids, events__detail__contains="worker lost").distinct().count()
        )
        return {
            "at_kill": at_kill,
            "recovered_as_outcome_unknown": interrupted,
            "drain_seconds_after_restart": seconds,
            "statuses_after": _statuses(message_ids),
            **_losses(gateway, message_ids),
        }
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                _kill_group(proc, signal.SIGTERM)
        log.close()
        Path(log.name).unlink(missing_ok=True)


# --- (c) gateway 5xx after accepting --------------------------------------------------------------
def gateway_5xx_after_accept(gateway: FakeSmsc, n: int, timeout: float) -> dict:
    from django.db import transaction
    from django.test import override_settings

    from notifications.services import notify

    codes = [502, 503, 504]
    for i in range(n):
        gateway.fail_next("accept_then_http", codes[i % 3])
    message_ids = []
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=True, SMS_GATEWAY_RETRIES=2, SMS_RETRY_BACKOFF_SECONDS=0, SMS_TASK_MAX_RETRIES=0
    ):
        for i in range(n):
            with transaction.atomic():
                message = notify(
                    recipient=f"+77013{i:06d}", template="queue_invited", context=CONTEXT, dedupe_key=f"faults:5xx:{i}"
                )
            message_ids.append(message.pk)
        after_first_attempt = _statuses(message_ids)
        seconds = _drain(message_ids, timeout)
    return {
        "after_first_attempt": after_first_attempt,
        "drain_seconds": seconds,
        "statuses_after": _statuses(message_ids),
        **_losses(gateway, message_ids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20, help="bookings / messages per run")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds at most per run's wait")
    args = parser.parse_args()
    db_name = os.environ.get("BENCH_FAULTS_DB", "portal_bench_faults")
    _progress(f"fresh database {db_name}")
    fresh_database(db_name)
    gateway = FakeSmsc().start()
    try:
        env = _environment(gateway.url, db_name)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        results = {"messages_per_run": args.messages, "database": "postgresql", "broker": "redis"}
        _progress("(a) Redis down during bookings")
        results["redis_down_booking"] = redis_down_booking(gateway, args.messages, args.timeout)
        _progress("(c) gateway 5xx after accepting")
        results["gateway_5xx_after_accept"] = gateway_5xx_after_accept(gateway, args.messages, args.timeout)
        _progress("(b) worker killed mid-send")
        results["worker_killed_mid_send"] = worker_killed_mid_send(gateway, env, args.messages, args.timeout)
        print(json.dumps(results, indent=2, ensure_ascii=False))
    finally:
        gateway.stop()


if __name__ == "__main__":
    main()
