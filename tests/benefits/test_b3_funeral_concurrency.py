"""B-3 (3): one application for one deceased under real concurrency (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from benefits.models import Application, Stage
from benefits.services import funeral_application_file
from tests.benefits.conftest import DECEASED, died
from tests.portal.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time"),
]


def test_b3_concurrent_applications_for_one_deceased_one_accepted():
    died(DECEASED, dt.date(2026, 1, 5))
    people = [PersonFactory() for _ in range(6)]
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 10), timezone.get_default_timezone())
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def worker(person):
        try:
            barrier.wait()
            funeral_application_file(
                deceased_iin=DECEASED, channel="portal", applicant=person, confirmed_by="sms_code", now=now
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    rows = Application.objects.filter(subject_iin=DECEASED)
    assert rows.exclude(stage=Stage.NOT_ACCEPTED).count() == 1
    assert sorted(set(rows.filter(stage=Stage.NOT_ACCEPTED).values_list("refusal_code", flat=True))) == [
        "application_already_filed"
    ]
    assert rows.count() == 6
