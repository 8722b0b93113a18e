"""Settings of the test suite: the portal's settings in development mode, turned on explicitly.

The portal defaults to production (``DJANGO_DEBUG`` unset means off, and then a secret key is
required). Tests run the development defaults: a dev-only secret key, the database SMS backend, the
development static-files storage and the dev inbox. Subprocesses the tests start inherit these.
"""

import os
import re

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("SMS_DEV_INBOX", "true")

REDIS_DATABASES = 16  # Redis' default number of databases


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis URL of one parallel test process (pytest-xdist's ``gw0``, ``gw1``...).

    Each process gets its own database, the next ones after the configured database: a test that
    empties the cache (FLUSHDB) or runs the broker must not touch another process's keys.
    """
    if not url.startswith(("redis://", "rediss://")) or not worker.startswith("gw"):
        return url
    index = int(worker[2:])
    if index + 1 >= REDIS_DATABASES:
        raise ValueError(f"at most {REDIS_DATABASES - 1} parallel test processes can have a Redis database each")
    match = re.fullmatch(r"(?P<server>rediss?://[^/?#]+)(?:/(?P<db>\d*))?(?P<rest>[?#].*)?", url)
    if match is None:
        return url
    base = int(match["db"] or 0)
    return f"{match['server']}/{(base + 1 + index) % REDIS_DATABASES}{match['rest'] or ''}"


# Set in the environment, so that the processes the tests start (a Celery worker, manage.py) use
# the same database as the test process that started them.
# Once: a process the tests start inherits both the rewritten URL and PYTEST_XDIST_WORKER, and
# rewriting again would move it onto the next test process's database (whose flushes then empty
# its broker and cache).
if (worker := os.environ.get("PYTEST_XDIST_WORKER", "")) and os.environ.get("PORTAL_TEST_REDIS_OF") != worker:
    for variable in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(variable):
            os.environ[variable] = redis_url_for_worker(os.environ[variable], worker)
    os.environ["PORTAL_TEST_REDIS_OF"] = worker

from portal.settings import *  # noqa: E402, F403
