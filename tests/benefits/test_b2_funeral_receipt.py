"""B-2: the printable electronic receipt of an accepted application; a non-accepted one shows the reason."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from benefits.errors import DEATH_CERTIFICATE_MISSING
from benefits.services import funeral_application_file
from tests.benefits.conftest import DECEASED, died
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_b2_receipt_of_an_accepted_application(citizen_client, citizen):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=10))
    application = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=citizen.person, confirmed_by="sms_code"
    )
    response = citizen_client.get(reverse("benefits:receipt", kwargs={"public_id": application.public_id}))
    body = response.content.decode()
    assert response.status_code == 200
    assert application.number in body
    assert "data-print" in body
    assert "decision_due_at" not in body
    assert response.context["application"].decision_due_at is not None


def test_b2_not_accepted_application_shows_the_reason(citizen_client, citizen):
    # no death record in the civil registry: B-3 (1)
    application = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=citizen.person, confirmed_by="sms_code"
    )
    response = citizen_client.get(reverse("benefits:receipt", kwargs={"public_id": application.public_id}))
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = str(DEATH_CERTIFICATE_MISSING.message)
    assert response.context["reason"] == expected
    assert expected in response.content.decode()
    assert not application.number


def test_b2_receipt_of_another_person_is_not_found(citizen_client):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=10))
    application = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=PersonFactory(), confirmed_by="sms_code"
    )
    response = citizen_client.get(reverse("benefits:receipt", kwargs={"public_id": application.public_id}))
    assert response.status_code == 404
