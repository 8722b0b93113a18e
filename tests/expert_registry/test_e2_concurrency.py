"""E-2/E-3: two simultaneous applications by one IIN to one announcement -> exactly one (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from expert_registry.models import Application, Expert
from expert_registry.services.applications import application_submit
from portal.errors import ConflictError
from tests.expert_registry.test_e2_applications import INSIDE, announcement, data
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time"),
]


def test_e2_two_simultaneous_applications_by_one_iin_to_one_announcement_exactly_one():
    a, person = announcement(), PersonFactory()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def worker():
        try:
            barrier.wait()
            results.append(application_submit(announcement=a, person=person, data=data(), actor=None, now=INSIDE))
        except BaseException as exc:  # collected and asserted below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert [r.code for r in refused] == ["application_duplicate"]
    assert sum(isinstance(r, Application) for r in results) == 1
    assert Application.objects.filter(announcement=a, person=person).count() == 1
    assert Expert.objects.filter(person=person).count() == 1
