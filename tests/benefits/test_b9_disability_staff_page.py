"""B-9: the staff's page of the disability applications waiting for a decision: more documents extend
the term by 5 working days (once), the decision is formed from the state data; scoped to staff with
the permission to handle benefit applications."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, Assignment, DisabilityOffer
from benefits.services_disability import disability_offer_consent
from tests.benefits.helpers import at, national_handler
from tests.benefits.mse import act_for
from tests.portal.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(client):
    user = national_handler()
    client.force_login(user)
    return user


def _waiting(capture):
    act = act_for(capture, examined_on=dt.date(2026, 3, 2), cause="since_childhood", group="1")
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=True, now=at(2026, 3, 18)
    )
    return application


def _post(client, application, action):
    url = reverse("benefits:staff-disability-act", kwargs={"public_id": application.public_id})
    return client.post(url, {"action": action}, follow=True)


def test_b9_staff_request_more_documents_extends_the_term_across_nauryz(
    client, handler, django_capture_on_commit_callbacks
):
    application = _waiting(django_capture_on_commit_callbacks)
    # registered Wed 18 Mar 2026: 7 working days over Nauryz (21-25 Mar and its moved days) -> Tue 31 Mar
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 3, 31)
    page = client.get(reverse("benefits:staff-disability"))
    assert page.status_code == 200
    assert application.number in page.content.decode()
    assert application.applicant.iin not in page.content.decode()  # numbers and dates only
    response = _post(client, application, "more_documents")
    assert response.status_code == 200
    application.refresh_from_db()
    # 5 working days more: 1, 2, 3, 6, 7 Apr -> Tue 7 Apr 2026
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 4, 7)
    assert Assignment.objects.get(application=application).more_documents_requested_at is not None


def test_b9_staff_more_documents_only_once(client, handler, django_capture_on_commit_callbacks):
    application = _waiting(django_capture_on_commit_callbacks)
    _post(client, application, "more_documents")
    response = _post(client, application, "more_documents")
    assert "only once" in response.content.decode()
    application.refresh_from_db()
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 4, 7)  # not 14 Apr


def test_b9_staff_form_the_decision_from_the_page(client, handler, django_capture_on_commit_callbacks):
    application = _waiting(django_capture_on_commit_callbacks)
    _post(client, application, "form_decision")
    application.refresh_from_db()
    assert application.decision.kind == "assigned"
    assert application.stage == "decision_draft"
    # once formed it no longer waits: the page does not reach it
    response = _post(client, application, "more_documents")
    assert response.status_code == 404


def test_b9_the_automatic_path_is_refused_on_the_page(client, handler, django_capture_on_commit_callbacks, settings):
    # general illness through the portal, but the disability database did not answer: it waits, not automatic documents
    settings.STATEDATA_BACKENDS = {"disability.established": "shep"}
    settings.STATEDATA_SHEP_URL = ""
    act = act_for(django_capture_on_commit_callbacks, examined_on=dt.date(2026, 3, 2))
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=True, now=at(2026, 3, 10)
    )
    assert not hasattr(application, "decision")
    response = _post(client, application, "more_documents")
    assert "decided automatically" in response.content.decode()
    response = _post(client, application, "form_decision")
    assert "did not answer" in response.content.decode()
    application.refresh_from_db()
    assert not hasattr(application, "decision")  # waits; never a refusal


def test_b9_staff_page_needs_the_permission(client, django_capture_on_commit_callbacks):
    application = _waiting(django_capture_on_commit_callbacks)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("benefits:staff-disability")).status_code == 403
    assert _post(client, application, "more_documents").status_code == 403
    client.force_login(UserFactory(person=PersonFactory()))  # a citizen
    assert client.get(reverse("benefits:staff-disability")).status_code in (302, 403)
    application.refresh_from_db()
    assert timezone.localtime(application.decision_due_at).date() == dt.date(2026, 3, 31)
    assert Application.objects.get(pk=application.pk).assignment.more_documents_requested_at is None
