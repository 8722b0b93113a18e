"""Tests run in parallel (pytest-xdist): each test process has its own Redis database.

A test that empties the cache (FLUSHDB) or runs a Celery worker on the broker must not touch the
keys of a test running at the same time in another process.
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.settings import redis_url_for_worker

ROOT = Path(__file__).resolve().parents[2]


def test_item22_each_test_process_takes_the_next_redis_database():
    assert redis_url_for_worker("redis://127.0.0.1:6379/5", "gw0") == "redis://127.0.0.1:6379/6"
    assert redis_url_for_worker("redis://127.0.0.1:6379/5", "gw1") == "redis://127.0.0.1:6379/7"
    assert redis_url_for_worker("redis://127.0.0.1:6379", "gw0") == "redis://127.0.0.1:6379/1"


def test_item22_the_redis_database_wraps_around_and_keeps_the_rest_of_the_url():
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", "gw0") == "redis://127.0.0.1:6379/0"
    assert redis_url_for_worker("rediss://:secret@cache:6380/2?ssl_cert_reqs=none", "gw3") == (
        "rediss://:secret@cache:6380/6?ssl_cert_reqs=none"
    )


def test_item22_other_urls_and_a_single_process_are_left_alone():
    assert redis_url_for_worker("redis://127.0.0.1:6379/5", "") == "redis://127.0.0.1:6379/5"
    assert redis_url_for_worker("filesystem://", "gw1") == "filesystem://"


def test_item22_the_cache_broker_and_started_processes_use_the_test_process_database():
    code = (
        "import os, django; django.setup(); from django.conf import settings;"
        "print(settings.CACHES['default']['LOCATION'], settings.CACHES['throttle']['LOCATION'],"
        " settings.CELERY_BROKER_URL, os.environ['REDIS_URL'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "PORTAL_TEST_REDIS_OF")}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", REDIS_URL="redis://127.0.0.1:6379/3", PYTEST_XDIST_WORKER="gw1")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["redis://127.0.0.1:6379/5"] * 4
