"""X-1: every SMS in the recipient's language, as the recipient chose it on the portal."""

import datetime as dt
import re

import pytest
from django.urls import clear_url_caches

from notifications.models import Message
from portal.accounts.services import sign_in_code_request, sign_in_code_verify
from queue_booking import services
from queue_booking.models import Slot
from tests.factories import GuardianshipFactory, PersonFactory, ReferralFactory
from tests.queue_booking.conftest import NOW, at, consenting

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    # As in production: Russian is the default language and the one a new person starts with.
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


def _code_in(message: Message) -> str:
    return re.search(r"\b\d{6}\b", message.text).group(0)


def test_item18_a_person_who_signs_in_in_english_gets_english_sms(client):
    # given a person registered with the default (Russian) language
    person = PersonFactory(phone="+77015550111", preferred_language="ru")
    # when they ask for a code on the English page, the code comes in English
    response = client.post("/en/accounts/sign-in/", {"iin": person.iin})
    assert response.status_code == 302
    code_sms = Message.objects.get(template__key="sign_in_code", recipient=person)
    assert code_sms.language == "en"
    assert code_sms.text.startswith("Your MSE portal sign-in code")
    # and once signed in there, their later SMS are English too
    response = client.post("/en/accounts/sign-in/code/", {"code": _code_in(code_sms)})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "en"


def test_item18_asking_for_a_code_alone_does_not_change_the_persons_language(client):
    person = PersonFactory(phone="+77015550112", preferred_language="kk")
    client.post("/en/accounts/sign-in/", {"iin": person.iin})
    person.refresh_from_db()
    assert person.preferred_language == "kk"


def test_item18_a_representative_gets_the_wards_sms_in_the_representatives_language(schedule, department):
    # given a Kazakh-speaking ward and a representative who signed in on the English pages
    parent = consenting(PersonFactory(registration_atu=None, phone="+77015550113", preferred_language="ru"))
    ward = PersonFactory(registration_atu=department.atus.first(), preferred_language="kk")
    GuardianshipFactory(representative=parent, ward=ward)
    consenting(ward, given_by=parent)
    sign_in_code_request(iin=parent.iin, language="en")
    code = _code_in(Message.objects.get(template__key="sign_in_code", recipient=parent))
    sign_in_code_verify(iin=parent.iin, code=code, language="en")
    parent.refresh_from_db()
    # when the representative books the ward's referral
    referral = ReferralFactory(person=ward, signed_at=NOW)
    slot = Slot.objects.get(department=department, starts_at=at(TUE, 10))
    services.booking_create(referral=referral, slot_id=slot.pk, actor=parent, now=NOW)
    # then the booking's SMS goes to the representative, in English
    booked = Message.objects.get(template__key="queue_booked")
    assert booked.recipient == parent
    assert booked.language == "en"
    assert booked.text.startswith("Dear ")
