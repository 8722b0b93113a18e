"""B-12: one application per offer and benefit under real concurrency (PostgreSQL): two answers to one
offer at once (two tabs, a retried reply) file its applications once."""

import contextlib
import datetime as dt

import pytest
from django.db import connection

from benefits.models import Application, DisabilityOffer
from benefits.services_disability import disability_offer_consent
from tests.benefits.helpers import at, run_at_once
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
    now = at(2026, 3, 10)

    def call():
        disability_offer_consent(offer=offer, chosen=["social"], consent_personal_data=True, now=now)

    refused, errors = run_at_once(*[call] * 4)
    assert errors == []
    assert refused == ["offer_answered"] * 3
    assert Application.objects.filter(assignment__offer=offer).count() == 1
