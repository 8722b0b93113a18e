"""B-12: one application per offer and benefit under real concurrency (PostgreSQL): two answers to one
offer at once (two tabs, a retried reply) file its applications once."""

import contextlib
import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from benefits.models import Application, DisabilityOffer
from benefits.services_disability import disability_offer_consent
from portal.errors import ApplicationError
from tests.benefits.mse import act_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time"),
]


def test_b12_concurrent_consents_to_one_offer_file_once(settings):
    settings.STATEDATA_BACKEND = "demo"
    settings.STATEDATA_BACKENDS = {}
    act = act_for(lambda execute: contextlib.nullcontext(), examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 10), timezone.get_default_timezone())
    barrier = threading.Barrier(4)
    refused: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            disability_offer_consent(offer=offer, chosen=["social"], consent_personal_data=True, now=now)
        except ApplicationError as exc:
            refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert refused == ["offer_answered"] * 3
    assert Application.objects.filter(assignment__offer=offer).count() == 1
