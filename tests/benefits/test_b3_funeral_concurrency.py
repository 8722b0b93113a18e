"""B-3 (3): one application for one deceased under real concurrency (PostgreSQL)."""

import datetime as dt
import functools

import pytest
from django.db import connection

from benefits.models import Application, Stage
from benefits.services import funeral_application_file
from tests.benefits.conftest import DECEASED, died
from tests.benefits.helpers import at, run_at_once
from tests.portal.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time"),
]


def test_b3_concurrent_applications_for_one_deceased_one_accepted():
    died(DECEASED, dt.date(2026, 1, 5))
    people = [PersonFactory() for _ in range(6)]
    now = at(2026, 3, 10)

    def file(person):
        funeral_application_file(
            deceased_iin=DECEASED, channel="portal", applicant=person, confirmed_by="sms_code", now=now
        )

    refused, errors = run_at_once(*[functools.partial(file, p) for p in people])
    assert (refused, errors) == ([], [])
    rows = Application.objects.filter(subject_iin=DECEASED)
    assert rows.exclude(stage=Stage.NOT_ACCEPTED).count() == 1
    assert sorted(set(rows.filter(stage=Stage.NOT_ACCEPTED).values_list("refusal_code", flat=True))) == [
        "application_already_filed"
    ]
    assert rows.count() == 6
