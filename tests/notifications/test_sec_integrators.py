"""sec16: an integrator reads only its own messages' statuses; a ward's SMS stop going to a former
representative."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Message
from notifications.scopes import NotificationScope
from notifications.services import message_send, notify
from portal.accounts.services import api_token_create, integrator_create
from portal.people.selectors import sms_recipient_for
from tests.factories import GuardianshipFactory, MedicalOrganisationFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}
MESSAGE_UNKNOWN = {"errors": [{"field": None, "code": "message_unknown", "message": "No such message."}]}


def token_client(integrator) -> APIClient:
    _token, key = api_token_create(integrator=integrator, name="t", scopes=[NotificationScope.NOTIFICATIONS_READ])
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


@pytest.fixture
def mis(db):
    integrator = integrator_create(name="MIS A", kind="mis")
    patient = PersonFactory(phone="+77011230001")
    ReferralFactory(person=patient, medical_organisation=MedicalOrganisationFactory(integrator=integrator))
    return {"integrator": integrator, "patient": patient, "client": token_client(integrator)}


def url(message) -> str:
    return f"/api/v1/notifications/messages/{message.public_id}/"


def test_sec16_integrator_cannot_read_a_message_of_someone_else(mis):
    stranger = PersonFactory(phone="+77011230002")
    message = notify(recipient=stranger, template="queue_invited", context=INVITE, dedupe_key="stranger")
    r = mis["client"].get(url(message))
    assert (r.status_code, r.json()) == (404, MESSAGE_UNKNOWN)


def test_sec16_integrator_reads_a_message_about_its_own_patient(mis):
    message = notify(recipient=mis["patient"], template="queue_invited", context=INVITE, dedupe_key="own")
    r = mis["client"].get(url(message))
    assert r.status_code == 200
    assert r.json()["template"] == "queue_invited"


def test_sec16_integrator_never_reads_a_sign_in_code_even_of_its_patient(mis):
    message = notify(
        recipient=mis["patient"], template="sign_in_code", context={"code": "123456", "minutes": 5}, dedupe_key="s"
    )
    r = mis["client"].get(url(message))
    assert (r.status_code, r.json()) == (404, MESSAGE_UNKNOWN)


def test_sec16_integrator_reads_the_consent_code_it_asked_for_not_another_ones(mis):
    context = {"code": "482913", "minutes": 10, "integrator": "MIS A"}
    mine = notify(
        recipient=mis["patient"],
        template="consent_code",
        context=context,
        dedupe_key="c1",
        integrator=mis["integrator"],
    )
    other = integrator_create(name="MIS B", kind="mis")
    theirs = notify(
        recipient=mis["patient"], template="consent_code", context=context, dedupe_key="c2", integrator=other
    )
    assert mis["client"].get(url(mine)).status_code == 200
    assert mis["client"].get(url(theirs)).json() == MESSAGE_UNKNOWN


# --- a ward's SMS after the guardianship ended -----------------------------------------------------------


def test_sec16_ward_sms_goes_to_the_ward_once_the_guardianship_ended():
    ward, parent = PersonFactory(), PersonFactory()
    today = timezone.localdate()
    GuardianshipFactory(representative=parent, ward=ward, valid_until=today - dt.timedelta(days=1))
    assert sms_recipient_for(subject=ward, chosen=parent, day=today) == ward
    assert sms_recipient_for(subject=ward, chosen=parent, day=today - dt.timedelta(days=1)) == parent


def test_sec16_message_to_a_former_representative_is_not_sent():
    # given: an SMS about the ward written for the parent while the guardianship lasted
    ward, parent = PersonFactory(), PersonFactory(phone="+77011230009")
    guardianship = GuardianshipFactory(representative=parent, ward=ward)
    message = notify(recipient=parent, subject=ward, template="queue_invited", context=INVITE, dedupe_key="w")
    # when: the guardianship ends before it is sent
    guardianship.valid_until = timezone.localdate() - dt.timedelta(days=1)
    guardianship.save()
    message_send(message_id=message.pk)
    # then: not sent, final, with the reason
    message.refresh_from_db()
    assert message.status == Message.Status.PERMANENT_FAILURE
    assert message.error_code == "guardianship_ended"
    assert message.sent_at is None
    assert message.next_attempt_at is None


def test_sec16_message_to_a_current_representative_is_sent():
    ward, parent = PersonFactory(), PersonFactory(phone="+77011230008")
    GuardianshipFactory(representative=parent, ward=ward)
    message = notify(recipient=parent, subject=ward, template="queue_invited", context=INVITE, dedupe_key="w2")
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


def test_sec16_staff_read_only_the_messages_of_their_department(client):
    from django.contrib.auth.models import Group

    from portal.accounts.models import User
    from portal.accounts.roles import Role
    from tests.factories import DepartmentFactory

    ours, theirs = DepartmentFactory(number=41), DepartmentFactory(number=42)
    person = PersonFactory(phone="+77011230009")
    own = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="ours", department=ours)
    other = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="theirs", department=theirs)
    staff = User.objects.create(username="desk-41", department=ours, is_staff=True)
    staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    client.force_login(staff)
    assert client.get(url(own)).status_code == 200
    r = client.get(url(other))
    assert (r.status_code, r.json()) == (404, MESSAGE_UNKNOWN)
