"""Benchmark: SMS dispatched per second through the outbox and Celery to a local SMSC-like gateway.

Needs PostgreSQL and Redis (the production shape)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_notif REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/bench_notifications.py --messages 1000 --concurrency 4

The fake gateway (``tests/notifications/fake_smsc.py``) and a Celery worker run as subprocesses.
Measured in the same run:

- ``baseline_http_loop_per_s``: the raw http backend client sending in a loop (no database, no
  Celery, no outbox);
- ``baseline_http_threads_per_s``: the same client from ``--concurrency`` threads (the worker's
  parallelism without the pipeline);
- ``pipeline_drain_per_s``: a backlog of outbox rows (as a broker outage leaves them) re-dispatched
  by ``messages_dispatch_due`` (the beat's service: drain tasks that claim batches with SKIP LOCKED,
  send from threads over kept-alive connections and record each batch in one statement) and sent by
  the worker: from the re-dispatch call until every row is ``sent``;
- ``pipeline_drain_one_task_per_message_per_s``: the same backlog published as one ``message_send``
  task per message, the way the beat drained before batches (and the way the on-commit dispatch
  still sends one message): the "before" of the batch drain, in the same run;
- ``pipeline_end_to_end_per_s``: ``notify`` in one transaction per message, dispatched after commit,
  sent by the worker: from the first commit until every row is ``sent``.

Benchmarks measure; they never assert. Prints one JSON object; read the ratios, not the absolutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import row  # noqa: E402
from tests.notifications.fake_smsc import LOGIN, PASSWORD  # noqa: E402

CONTEXT = {"full_name": "Сериков Ерлан Маратович", "link": "https://mse.example.kz/queue/"}


def _environment(gateway_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
            "SMS_BACKEND": "http",
            "SMS_GATEWAY_URL": gateway_url,
            "SMS_GATEWAY_LOGIN": LOGIN,
            "SMS_GATEWAY_PASSWORD": PASSWORD,
            "SMS_GATEWAY_SENDER": "MSE.KZ",
            "SMS_CALLBACK_SECRET": "bench-callback-secret",
            # Quiet hours off so the run does not depend on the time of day; the other guards stay on
            # (each message goes to its own phone, so the rate limit never holds one).
            "SMS_QUIET_HOURS_START": "00:00",
            "SMS_QUIET_HOURS_END": "00:00",
            "SMS_REDISPATCH_GRACE_SECONDS": "0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _progress(what: str) -> None:
    print(f"[bench] {what}", file=sys.stderr, flush=True)


def _phone(i: int) -> str:
    return f"+7701{i % 10_000_000:07d}"


def _gateway_stats(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/__stats", timeout=5) as response:
        return json.loads(response.read())


def _start_gateway() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.notifications.fake_smsc"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise SystemExit("the fake gateway did not start")
    return proc, url


def _start_worker(env: dict, concurrency: int, name: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal.celery",
            "worker",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for_worker(app, prefix: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if any(name.startswith(prefix) for reply in replies for name in reply):
            return
    raise SystemExit("the Celery worker did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def baseline_loop(n: int, offset: int) -> float:
    from notifications.backends.smsc import SmscBackend

    backend = SmscBackend()
    started = time.perf_counter()
    for i in range(n):
        backend.send(SimpleNamespace(pk=offset + i, phone=_phone(i), text="Тест МСЭ: базовая отправка"))
    return n / (time.perf_counter() - started)


def baseline_threads(n: int, threads: int, offset: int) -> float:
    from notifications.backends.smsc import SmscBackend

    backend = SmscBackend()

    def send(i):
        backend.send(SimpleNamespace(pk=offset + i, phone=_phone(i), text="Тест МСЭ: базовая отправка"))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(send, range(n)))
    return n / (time.perf_counter() - started)


def _wait_sent(prefix: str, n: int, timeout: float) -> int:
    from notifications.models import Message

    rows = Message.objects.filter(dedupe_key__startswith=prefix, status=Message.Status.SENT)
    deadline = time.monotonic() + timeout
    sent, reported = 0, time.monotonic()
    while time.monotonic() < deadline:
        sent = rows.count()
        if sent >= n:
            break
        if time.monotonic() - reported > 5:
            _progress(f"{sent}/{n} sent")
            reported = time.monotonic()
        time.sleep(0.05)
    return sent


def drain(n: int, run: str, timeout: float) -> dict:
    """A backlog as a broker outage leaves it, re-dispatched by the beat's service."""
    from django.db import transaction

    from notifications.services import messages_dispatch_due, notify

    prefix = f"bench:{run}:drain:"
    with transaction.atomic():
        for i in range(n):
            notify(recipient=_phone(i), template="queue_invited", context=CONTEXT, dedupe_key=f"{prefix}{i}")
        # The broker "was down" at commit: nothing was published; the rows wait in the outbox.
        transaction.get_connection().run_on_commit.clear()
    started = time.perf_counter()
    messages_dispatch_due(limit=n)  # the beat's service, as after a broker outage
    sent = _wait_sent(prefix, n, timeout)
    seconds = time.perf_counter() - started
    return {"sent": sent, "seconds": round(seconds, 3), "per_s": round(sent / seconds, 1)}


def drain_one_task_per_message(n: int, run: str, timeout: float) -> dict:
    """The same backlog, one ``message_send`` task per message (the beat's drain before batches)."""
    from django.db import transaction

    from notifications.services import notify
    from notifications.services.outbox import message_enqueue

    prefix = f"bench:{run}:single:"
    with transaction.atomic():
        ids = [
            notify(recipient=_phone(i), template="queue_invited", context=CONTEXT, dedupe_key=f"{prefix}{i}").pk
            for i in range(n)
        ]
        transaction.get_connection().run_on_commit.clear()
    started = time.perf_counter()
    for message_id in ids:
        message_enqueue(message_id)
    sent = _wait_sent(prefix, n, timeout)
    seconds = time.perf_counter() - started
    return {"sent": sent, "seconds": round(seconds, 3), "per_s": round(sent / seconds, 1)}


def end_to_end(n: int, run: str, timeout: float) -> dict:
    from django.db import transaction

    from notifications.services import notify

    prefix = f"bench:{run}:e2e:"
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():  # one business transaction per message, as in production
            notify(recipient=_phone(i), template="queue_invited", context=CONTEXT, dedupe_key=f"{prefix}{i}")
    committed = time.perf_counter() - started
    sent = _wait_sent(prefix, n, timeout)
    seconds = time.perf_counter() - started
    return {
        "sent": sent,
        "seconds": round(seconds, 3),
        "commit_seconds": round(committed, 3),
        "per_s": round(sent / seconds, 1),
    }


def _seed_referral_intake(n: int, run: str) -> tuple[str, list[dict]]:
    """A pilot region, a MIS with a token, ``n`` people living there and their signed forms 031/u."""
    import datetime as dt

    from django.utils import timezone

    from portal.accounts.scopes import Scope
    from portal.accounts.services import api_token_create, integrator_create
    from portal.people.models import Person
    from portal.referrals.models import MedicalOrganisation, MisVendor
    from portal.territory.models import Atu, MseDepartment, Region
    from portal.validators import bin_build, iin_build
    from queue_booking.models import Pilot
    from tests.signing import signed

    today = timezone.localdate()
    serial = int(run[:4], 16) % 9000
    region = Region.objects.create(kato=f"9{serial:04d}0000", name_ru=f"bench {run}", name_kk=f"bench {run}")
    pilot = Pilot.objects.create(
        name=f"bench {run}", starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=400)
    )
    pilot.regions.add(region)
    atu = Atu.objects.create(
        region=region, kind=Atu.Kind.DISTRICT, kato=f"9{serial:04d}0001", name_ru="Район", name_kk="Аудан"
    )
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
    integrator = integrator_create(name=f"bench MIS {run}", kind="mis")
    org = MedicalOrganisation.objects.create(
        name_ru=f"bench clinic {run}",
        bin=bin_build(dt.date(2005, 1, 1), serial=serial),
        region=region,
        mis_vendor=MisVendor.DAMU,
        integrator=integrator,
    )
    _token, key = api_token_create(integrator=integrator, name="bench", scopes=[Scope.REFERRALS_WRITE])
    signed_at = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=0).isoformat()
    payloads = []
    for i in range(n):
        birth = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        person = Person.objects.create(
            iin=iin_build(birth, female=bool(i % 2), serial=(serial * 7 + i) % 9000 + 100),
            last_name="Бенч",
            first_name=str(i),
            birth_date=birth,
            phone=f"+7705{serial:03d}{i:04d}"[:12],
            registration_atu=atu,
        )
        payloads.append(
            signed(
                {
                    "person_iin": person.iin,
                    "organisation_bin": org.bin,
                    "external_id": f"bench-{run}-{i}",
                    "icd10": "S48.0",
                    "diagnosis_text": "Травматическая ампутация плеча",
                    "signed_at": signed_at,
                    "vkk_chair_name": "Ахметова Г. С.",
                }
            )
        )
    return key, payloads


def referral_to_sms(gateway_url: str, env: dict, n: int, rate: float, timeout: float, run: str) -> dict:
    """Target 4: referrals through the intake API at ``rate``/s (gunicorn, the worker running); for
    each, from the moment its request leaves until its invitation SMS (N-Q1) reaches the gateway."""
    import threading

    from bench.harness import Client, Gunicorn, percentile
    from notifications.models import Message
    from portal.referrals.models import Referral

    key, payloads = _seed_referral_intake(n, run)
    started_at: dict[str, float] = {}
    statuses: dict[int, int] = {}
    request_ms: list[float] = []
    lock = threading.Lock()
    server_env = {
        **env,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "API_RATE_INTEGRATOR": "1000000/min",
    }
    with Gunicorn(server_env, workers=2, app="portal.wsgi:application") as server:
        t0 = time.monotonic()

        def client_loop(worker: int, workers: int) -> None:
            client = Client(server.base, headers={"Authorization": f"Token {key}"})
            for i in range(worker, n, workers):
                delay = t0 + i / rate - time.monotonic()  # the open schedule: i-th request at i/rate s
                if delay > 0:
                    time.sleep(delay)
                external_id = payloads[i]["external_id"]
                with lock:
                    started_at[external_id] = time.time()
                status, _body, ms = client.request("POST", "/api/v1/referrals/", payloads[i])
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    request_ms.append(ms)

        # enough clients that the schedule stays open: 8 kept 20/s only while a request took under
        # 400 ms, so a slower server was sent less than the rate asked instead of showing its queue
        workers = 32
        threads = [threading.Thread(target=client_loop, args=(w, workers)) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sent_seconds = time.monotonic() - t0
        referrals = dict(Referral.objects.filter(external_id__in=list(started_at)).values_list("pk", "external_id"))
        keys = {f"referral:{pk}:invited": ext for pk, ext in referrals.items()}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = Message.objects.filter(dedupe_key__in=list(keys), status=Message.Status.SENT).count()
            if done >= len(keys):
                break
            time.sleep(0.2)
    with urllib.request.urlopen(f"{gateway_url}/__arrivals", timeout=10) as response:
        arrivals = json.loads(response.read())
    latencies = []
    for message_id, dedupe_key in Message.objects.filter(dedupe_key__in=list(keys)).values_list("pk", "dedupe_key"):
        at = arrivals.get(str(message_id))
        if at is not None:
            latencies.append(at - started_at[keys[dedupe_key]])
    latencies.sort()
    return {
        "referrals": n,
        "rate_per_s_asked": rate,
        "rate_per_s_sent": round(n / sent_seconds, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "intake_request_p95_ms": round(percentile(sorted(request_ms), 95), 1) if request_ms else None,
        "invitations_at_gateway": len(latencies),
        "p50_s": round(percentile(latencies, 50), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 95), 3) if latencies else None,
        "max_s": round(latencies[-1], 3) if latencies else None,
    }


def _ensure_database(url: str) -> None:
    """Create the benchmark's database when it does not exist yet (never drops anything)."""
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--referrals", type=int, default=200, help="referrals for the intake-to-SMS figure")
    parser.add_argument("--referral-rate", type=float, default=20.0, help="referrals per second")
    args = parser.parse_args()
    # The production shape: PostgreSQL and Redis; the machine's local ones unless told otherwise.
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_notif")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("DATABASE_URL must be PostgreSQL: the benchmark measures the production shape")
    _ensure_database(os.environ["DATABASE_URL"])

    gateway, url = _start_gateway()
    run = uuid.uuid4().hex[:8]
    # P-5: the intake checks each form's signature; the test PKI the benchmark signs with is trusted
    from portal.signatures.testpki import TestPki

    pki = TestPki(Path(tempfile.mkdtemp(prefix="bench-pki-"))).ensure()
    os.environ["SIGNATURE_TRUSTED_ROOTS"] = str(pki.root_path)
    os.environ["SIGNATURE_CRLS"] = ",".join(str(p) for p in pki.crl_paths)
    log = tempfile.NamedTemporaryFile(prefix="bench-worker-", suffix=".log", delete=False)  # noqa: SIM115
    worker = None
    try:
        env = _environment(url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        from portal.celery import app

        call_command("migrate", verbosity=0)
        from notifications.models import Message

        # Rows of an earlier, interrupted run would be re-dispatched with ours: clear them.
        Message.objects.filter(dedupe_key__startswith="bench:").delete()
        _progress("baselines")
        loop = baseline_loop(args.messages, offset=10_000_000)
        threads = baseline_threads(args.messages, args.concurrency, offset=20_000_000)
        app.control.purge()
        worker = _start_worker(env, args.concurrency, f"bench-{run}", log)
        _wait_for_worker(app, f"bench-{run}@", timeout=60)
        before = _gateway_stats(url)
        _progress("pipeline: drain of a backlog, one task per message (before)")
        single = drain_one_task_per_message(args.messages, run, args.timeout)
        _progress("pipeline: drain of a backlog in batches")
        drained = drain(args.messages, run, args.timeout)
        _progress("pipeline: end to end")
        e2e = end_to_end(args.messages, run, args.timeout)
        _progress("referral intake to invitation SMS")
        referral = referral_to_sms(url, env, args.referrals, args.referral_rate, args.timeout, run)
        after = _gateway_stats(url)
        accepted = after["accepted"] - before["accepted"]
        distinct = after["distinct"] - before["distinct"]
        duplicates = accepted - distinct
        table = [
            row(
                "SMS drain, batches (msg/s)",
                drained["per_s"],
                round(threads, 1),
                ">= 300/s, 0 duplicates",
                drained["per_s"] >= 300 and duplicates == 0,
            ),
            row("SMS drain, batches vs one task per message", drained["per_s"], single["per_s"], "-", None),
            row(
                f"referral -> invitation SMS p95 (s) at {args.referral_rate:g}/s",
                referral["p95_s"],
                None,
                "< 5 s",
                referral["p95_s"] is not None
                and referral["p95_s"] < 5
                and referral["invitations_at_gateway"] == args.referrals
                # met only when the intake kept up with the asked rate (else the load was lighter)
                and referral["rate_per_s_sent"] >= 0.9 * args.referral_rate,
            ),
        ]
        print(
            json.dumps(
                {
                    "messages": args.messages,
                    "worker_concurrency": args.concurrency,
                    "cpus": os.cpu_count(),
                    "database": "postgresql",
                    "broker": "redis",
                    "baseline_http_loop_per_s": round(loop, 1),
                    "baseline_http_threads_per_s": round(threads, 1),
                    "pipeline_drain_per_s": drained["per_s"],
                    "pipeline_drain_one_task_per_message_per_s": single["per_s"],
                    "drain_batches_vs_one_task_per_message": round(drained["per_s"] / single["per_s"], 2)
                    if single["per_s"]
                    else None,
                    "pipeline_end_to_end_per_s": e2e["per_s"],
                    "drain_vs_threads": round(drained["per_s"] / threads, 3),
                    "end_to_end_vs_threads": round(e2e["per_s"] / threads, 3),
                    "drain": drained,
                    "drain_one_task_per_message": single,
                    "batch": {
                        "size": int(os.environ.get("SMS_SEND_BATCH", "100")),
                        "threads": int(os.environ.get("SMS_SEND_THREADS", "8")),
                    },
                    "end_to_end": e2e,
                    "referral_to_invitation_sms": referral,
                    "gateway_accepted_from_pipeline": accepted,
                    "duplicates_at_gateway": duplicates,
                    "table": table,
                },
                indent=2,
            )
        )
    finally:
        if worker is not None:
            _stop(worker)
        _stop(gateway)
        log.close()
        Path(log.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
