"""X-1: a department's name and address and a medical organisation's name in the reader's language:
on pages (the page's), in the API (the caller's) and in SMS (the recipient's)."""

import pytest
from django.urls import clear_url_caches
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Message
from queue_booking import selectors, services
from tests.factories import MedicalOrganisationFactory, PersonFactory, ReferralFactory
from tests.queue_booking.conftest import consenting, department_open_today

pytestmark = pytest.mark.django_db

DEPARTMENT = {
    "number": 3,
    "name_kk": "Бурабай аудандық МӘС бөлімі",
    "name_ru": "Отдел МСЭ Бурабайского района",
    "name_en": "Burabay MSE department",
    "city_kk": "Көкшетау",
    "city_ru": "Кокшетау",
    "city_en": "Kokshetau",
    "street_kk": "Әуезов көшесі",
    "street_ru": "ул. Ауэзова",
    "street_en": "Auezov Street",
    "house": "189А",
    "room_kk": "104-кабинет",
    "room_ru": "каб. 104",
    "room_en": "room 104",
}
ADDRESS = {
    "kk": "Көкшетау, Әуезов көшесі, 189А, 104-кабинет",
    "ru": "Кокшетау, ул. Ауэзова, 189А, каб. 104",
    "en": "Kokshetau, Auezov Street, 189А, room 104",
}
ORGANISATION = {
    "name_kk": "Көкшетау қаласының № 1 қалалық емханасы",
    "name_ru": "Городская поликлиника № 1 г. Кокшетау",
    "name_en": "Kokshetau City Polyclinic No. 1",
}


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def department():
    return department_open_today(**DEPARTMENT)


def _person(department, language: str):
    return consenting(PersonFactory(registration_atu=department.atus.first(), preferred_language=language))


def _book(person, department):
    referral = ReferralFactory(person=person, medical_organisation=MedicalOrganisationFactory(**ORGANISATION))
    day = selectors.available_dates(department=department)[1]
    slot = selectors.available_slots(department=department, day=day)[0]
    return services.booking_create(referral=referral, slot_id=slot.pk, actor=person)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_item17_sms_give_the_address_in_the_recipients_language(department, language):
    booking = _book(_person(department, language), department)
    sms = Message.objects.get(template__key="queue_booked", recipient=booking.person)
    assert sms.language == language
    assert ADDRESS[language] in sms.text


@pytest.mark.parametrize(("prefix", "language"), [("/kk", "kk"), ("", "ru"), ("/en", "en")])
def test_item17_pages_show_the_department_and_organisation_in_the_pages_language(client, department, prefix, language):
    from portal.accounts.models import User

    person = _person(department, "ru")
    client.force_login(User.objects.create(username=f"iin{person.iin}", person=person))
    booking = _book(person, department)
    html = client.get(f"{prefix}/queue/bookings/{booking.public_id}/").text
    assert ADDRESS[language] in html
    assert DEPARTMENT[f"name_{language}"] in html
    html = client.get(f"{prefix}/queue/book/{booking.referral.public_id}/").text
    assert ORGANISATION[f"name_{language}"] in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_item17_api_gives_the_department_in_the_callers_language(department, language):
    from portal.accounts.models import User

    person = _person(department, "ru")
    referral = ReferralFactory(person=person, signed_at=timezone.now())
    api = APIClient()
    api.force_authenticate(User.objects.create(username=f"iin{person.iin}", person=person))
    url = f"/api/v1/queue/referrals/{referral.public_id}/availability/"
    body = api.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
    assert body["department"]["name"] == DEPARTMENT[f"name_{language}"]
    assert body["department"]["address"] == ADDRESS[language]
