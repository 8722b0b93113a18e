"""The core's one-time code (``portal.codes``), shared by the sign-in code, the X-8 consent code and
the B-1 application code: only a hash is stored, bound to its row; an expired code is refused; a wrong
code uses an attempt; the last attempt kills it, even for the right code; a code is used once; parallel
guesses on PostgreSQL never get more than the code's attempts and use it at most once."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from benefits.models import ApplicationCode
from portal.accounts.models import SignInCode
from portal.codes.models import OneTimeCode
from portal.codes.services import code_check, code_for_update, code_hash, code_issue
from portal.consent.models import ConsentCode

NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 10, 0), timezone.get_default_timezone())
IIN = "900101300017"


def _issued(*, ttl=dt.timedelta(minutes=5)) -> tuple[SignInCode, str]:
    row = SignInCode(iin=IIN, created_at=NOW)
    code = code_issue(row, ttl=ttl, now=NOW)
    row.save()
    return row, code


def _check(row: SignInCode, entered: str, *, at: dt.datetime = NOW, max_attempts: int = 3, **kwargs):
    with transaction.atomic():
        locked = code_for_update(SignInCode.objects.filter(pk=row.pk))
        assert locked is not None
        return code_check(locked, entered, max_attempts=max_attempts, now=at, **kwargs)


def test_sec_codes_every_one_time_code_table_shares_the_core_model():
    for model in (SignInCode, ConsentCode, ApplicationCode):
        assert issubclass(model, OneTimeCode)
        assert {"code_hash", "expires_at", "attempts", "used_at"} <= {f.name for f in model._meta.fields}


@pytest.mark.django_db
def test_sec_codes_six_digits_stored_only_as_a_hash_with_the_expiry():
    row, code = _issued()
    assert len(code) == 6
    assert code.isdigit()
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert row.expires_at == timezone.make_aware(dt.datetime(2026, 3, 10, 10, 5), timezone.get_default_timezone())


def test_sec_codes_hash_is_bound_to_its_row():
    first, second = ConsentCode(), ConsentCode()
    code = code_issue(first, ttl=dt.timedelta(minutes=10), now=NOW)
    assert second.public_id != first.public_id
    assert code_hash(code, *second.hash_context()) != first.code_hash
    assert code_hash(code, *ApplicationCode(public_id=first.public_id).hash_context()) != first.code_hash


@pytest.mark.django_db
def test_sec_codes_right_code_is_accepted_once():
    row, code = _issued()
    assert _check(row, code).accepted
    row.refresh_from_db()
    assert row.used_at == NOW
    again = _check(row, code)
    assert again.expired
    assert not again.accepted


@pytest.mark.django_db
def test_sec_codes_expired_code_is_refused_without_counting():
    row, code = _issued()
    # issued at 10:00 for 5 minutes: at 10:05 it is expired, at 10:04:59 still alive
    late = _check(row, code, at=NOW + dt.timedelta(minutes=5))
    assert late.expired
    row.refresh_from_db()
    assert (row.attempts, row.used_at) == (0, None)
    assert _check(row, code, at=NOW + dt.timedelta(minutes=4, seconds=59)).accepted


@pytest.mark.django_db
def test_sec_codes_wrong_code_counts_an_attempt():
    row, code = _issued()
    wrong = "000000" if code != "000000" else "111111"
    first = _check(row, wrong)
    assert (first.outcome, first.left) == ("wrong", 2)
    row.refresh_from_db()
    assert (row.attempts, row.used_at) == (1, None)
    assert _check(row, code).accepted


@pytest.mark.django_db
def test_sec_codes_max_attempts_kills_the_code_even_for_the_right_one():
    row, code = _issued()
    wrong = "000000" if code != "000000" else "111111"
    assert _check(row, wrong).outcome == "wrong"
    assert _check(row, wrong).outcome == "wrong"
    last = _check(row, wrong)
    assert (last.outcome, last.left) == ("killed", 0)
    row.refresh_from_db()
    assert (row.attempts, row.used_at) == (3, NOW)
    assert _check(row, code).expired


@pytest.mark.django_db
def test_sec_codes_a_code_that_cannot_succeed_counts_as_wrong():
    row, code = _issued()
    checked = _check(row, code, can_succeed=False)
    assert (checked.outcome, checked.left) == ("wrong", 2)


@pytest.mark.django_db(transaction=True)
def test_sec_codes_check_refuses_to_run_outside_a_transaction():
    row, code = _issued()
    with pytest.raises(RuntimeError):
        code_check(row, code, max_attempts=3, now=NOW)
    row.refresh_from_db()
    assert row.used_at is None


def _race(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time")
def test_sec_codes_parallel_wrong_guesses_never_get_more_than_the_attempts():
    row, code = _issued()
    wrong = "000000" if code != "000000" else "111111"
    outcomes = _race(8, lambda i: _check(row, wrong).outcome)
    assert sorted(outcomes) == ["expired"] * 5 + ["killed"] + ["wrong"] * 2
    row.refresh_from_db()
    assert (row.attempts, row.used_at) == (3, NOW)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time")
def test_sec_codes_parallel_right_codes_use_it_once():
    row, code = _issued()
    outcomes = _race(6, lambda i: _check(row, code).outcome)
    assert sorted(outcomes) == ["accepted"] + ["expired"] * 5
