"""The embedded default runs a real Celery worker on a broker that needs no server.

These tests start real processes (a worker, a producer) against a temporary SQLite file and the
file-system broker, so they prove what `make run` relies on. With REDIS_URL set (CI's PostgreSQL
run) the same test goes through Redis.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(env, *args, timeout=60):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def isolated_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    if "REDIS_URL" not in env:
        env["CELERY_BROKER_URL"] = "filesystem://"
    result = _manage(env, "migrate", "--noinput", "-v0", timeout=180)
    assert result.returncode == 0, result.stderr
    return env


def test_embedded_worker_consumes_from_the_embedded_broker(isolated_env):
    """A task sent by one process is run by a real worker process (the heartbeat lands in the cache)."""
    # given a real worker
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT,
        env=isolated_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # when another process enqueues the heartbeat
        sent = _manage(isolated_env, "shell", "-c", "from portal.tasks import heartbeat; heartbeat.delay()")
        assert sent.returncode == 0, sent.stderr
        # then the worker runs it and /healthz's source shows it
        read = (
            "from django.core.cache import cache; from portal.tasks import HEARTBEAT_KEY;"
            "print('heartbeat=%s' % cache.get(HEARTBEAT_KEY))"
        )
        deadline = time.monotonic() + 180  # a liveness timeout, generous for a loaded machine
        value = "None"
        while time.monotonic() < deadline:
            out = _manage(isolated_env, "shell", "-c", read).stdout
            value = next((line.split("=", 1)[1] for line in out.splitlines() if line.startswith("heartbeat=")), "None")
            if value != "None":
                break
            time.sleep(1)
        assert value != "None", "the worker did not run the task within 180 s"
        assert value.startswith("20"), value  # an ISO timestamp
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_beat_schedules_are_stored_in_the_database(isolated_env):
    """django-celery-beat keeps the schedules in the database, editable in the admin."""
    code = (
        "from django_celery_beat.models import PeriodicTask;"
        "print(sorted(PeriodicTask.objects.values_list('task', flat=True)))"
    )
    out = _manage(isolated_env, "shell", "-c", code)
    assert out.returncode == 0, out.stderr
    assert "portal.heartbeat" in out.stdout
