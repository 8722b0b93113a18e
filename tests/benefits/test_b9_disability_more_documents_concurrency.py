"""B-9: two staff members asking for more documents at once extend the term once (PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from benefits.models import Application, DisabilityOffer
from benefits.services_disability import disability_more_documents_request, disability_offer_consent
from tests.benefits.helpers import at, run_at_once
from tests.benefits.mse import act_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time"),
]


def test_b9_concurrent_more_documents_requests_extend_the_term_once(django_capture_on_commit_callbacks):
    act = act_for(
        django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2), cause="since_childhood", group="1"
    )
    now = at(2026, 3, 18)
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=True, now=now
    )

    def call():
        disability_more_documents_request(application=Application.objects.get(pk=application.pk))

    refused, errors = run_at_once(*[call] * 4)
    assert errors == []
    assert refused == ["documents_already_requested"] * 3
    application.refresh_from_db()
    # registered Wed 18 Mar 2026: 7 working days over Nauryz -> 31 Mar, plus 5 once -> Tue 7 Apr 2026
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 4, 7)
