"""P-8: acts registered at once in one department never share a number (PostgreSQL: real concurrent
connections racing for the sequence row of ``portal/acts/locks.py``)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from portal.acts.models import MseAct
from portal.acts.services import act_register
from tests.portal.acts.conftest import decision, sign_act

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has one writer at a time (IMMEDIATE transactions), so there is no race",
    ),
]


def test_p8_concurrent_registrations_get_distinct_consecutive_numbers(staff_user, person, department):
    n = 6
    # signed once, before the race: the race is the numbering's, not the test PKI's
    signature = sign_act(person=person, department=department, referral=None)
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def submit(i):
        try:
            barrier.wait()
            act = act_register(
                actor_user=staff_user, person=person, department=department, signature=signature, **decision()
            )
            results[i] = act.number
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == n
    assert sorted(MseAct.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
