"""sec5 on PostgreSQL: clicks of "Send code" racing each other send one SMS, and parallel wrong
guesses at one code never get more than its attempts (real concurrent connections)."""

import threading

import pytest
from django.db import connection

from portal import messaging
from portal.accounts.models import SignInCode
from portal.accounts.services import sign_in_code_request, sign_in_code_verify
from portal.errors import ApplicationError
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has one writer at a time (IMMEDIATE transactions), so there is no race",
    ),
]


@pytest.fixture
def sent(monkeypatch):
    calls: list[dict] = []
    lock = threading.Lock()

    def record(**kwargs):
        with lock:
            calls.append(kwargs)

    monkeypatch.setattr(messaging, "_sender", record)
    return calls


def _race(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except ApplicationError as exc:
            results[i] = ("error", exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_sec5_racing_clicks_on_send_code_send_one_sms(sent):
    person = PersonFactory()
    results = _race(5, lambda i: sign_in_code_request(iin=person.iin, address="198.51.100.7").pk)
    assert all(r is not None and r[0] == "ok" for r in results), results
    assert len({r[1] for r in results}) == 1
    assert len(sent) == 1
    assert SignInCode.objects.count() == 1


def test_sec5_racing_wrong_guesses_get_no_more_than_the_codes_attempts(sent):
    person = PersonFactory()
    sign_in_code_request(iin=person.iin, address="198.51.100.7")
    bad = f"{(int(sent[-1]['context']['code']) + 1) % 10**6:06d}"
    results = _race(8, lambda i: sign_in_code_verify(iin=person.iin, code=bad, address=f"192.0.2.{i}"))
    codes = sorted(r[1] for r in results)
    assert codes.count("code_wrong") == 4
    assert codes.count("code_used_up") == 1
    assert codes.count("code_expired") == 3
    assert SignInCode.objects.get().attempts == 5
