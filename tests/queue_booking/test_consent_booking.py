"""Q-12 in the electronic queue: a booking needs the examined person's live consent to the processing
of personal data; the booking page and the API record it (with time, scope, channel and who gave it).

The service tests run at NOW with the shared fixtures; the page and API tests run on the real clock,
like test_pages.py and test_api.py, around a pilot and schedules built for today.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches
from django.utils import dateformat, timezone, translation
from django.utils.html import escape
from rest_framework.test import APIClient

from notifications.models import Message
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.consent.models import Consent
from portal.consent.services import MSG_NO_CONSENT, consent_withdraw
from portal.errors import ApplicationError
from queue_booking import selectors, services, views
from queue_booking.forms import MSG_CONSENT_REQUIRED
from queue_booking.models import Booking, Slot
from tests.portal.factories import (
    GuardianshipFactory,
    PersonFactory,
    ReferralFactory,
)
from tests.queue_booking.conftest import NOW, consenting, department_open_today, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)
PERSONAL_DATA = Consent.Scope.PERSONAL_DATA


def live_consents(person):
    return Consent.objects.filter(subject=person, scope=PERSONAL_DATA, withdrawn_at__isnull=True)


def refused_without_consent(**kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        services.booking_create(**kwargs)
    assert exc.value.code == "consent_required"
    assert exc.value.field == "consent"
    assert exc.value.status == 400
    return exc.value


@pytest.fixture
def newcomer(atu):
    """A person registered in the department's area who has never consented."""
    return PersonFactory(registration_atu=atu)


@pytest.fixture
def newcomer_referral(newcomer):
    return ReferralFactory(person=newcomer, signed_at=NOW - dt.timedelta(days=1))


# --- the service --------------------------------------------------------------------------------


def test_q12_booking_without_consent_refused_and_nothing_written(schedule, department, newcomer_referral, sent):
    # given
    slot = slot_at(department, TUE, 10)
    outbox = Message.objects.count()
    # when / then
    err = refused_without_consent(referral=newcomer_referral, slot_id=slot.pk, actor=newcomer_referral.person, now=NOW)
    assert str(err.message) == str(MSG_NO_CONSENT)
    assert not Booking.objects.exists()
    assert slot_at(department, TUE, 10).booked == 0
    assert Message.objects.count() == outbox
    assert sent == []
    assert not Consent.objects.filter(subject=newcomer_referral.person).exists()


def test_q12_booking_with_consent_channel_records_the_consent_and_books(schedule, department, newcomer_referral, sent):
    # given
    person = newcomer_referral.person
    outbox = Message.objects.count()
    before = timezone.now()
    # when
    booking = services.booking_create(
        referral=newcomer_referral,
        slot_id=slot_at(department, TUE, 10).pk,
        actor=person,
        now=NOW,
        consent_channel=Consent.Channel.PORTAL,
    )
    # then: the consent, with who, what, how and when
    consent = live_consents(person).get()
    assert consent.subject == person
    assert consent.given_by == person
    assert consent.scope == PERSONAL_DATA
    assert consent.channel == Consent.Channel.PORTAL
    assert consent.purpose
    assert before <= consent.given_at <= timezone.now()
    # and the booking, as usual
    assert booking.status == Booking.Status.BOOKED
    assert booking.person == person
    assert slot_at(department, TUE, 10).booked == 1
    assert Message.objects.count() == outbox + 1
    assert sent.templates == ["queue_booked"]


def test_q12_legal_representative_consents_for_the_ward(schedule, department, atu, sent):
    # given: a parent and a ward who has not consented
    parent = PersonFactory(registration_atu=None)
    ward = PersonFactory(registration_atu=atu)
    GuardianshipFactory(representative=parent, ward=ward)
    referral = ReferralFactory(person=ward, signed_at=NOW)
    refused_without_consent(referral=referral, slot_id=slot_at(department, TUE, 11).pk, actor=parent, now=NOW)
    # when: the parent books and consents for the ward
    booking = services.booking_create(
        referral=referral,
        slot_id=slot_at(department, TUE, 11).pk,
        actor=parent,
        now=NOW,
        consent_channel=Consent.Channel.PORTAL,
    )
    # then: the ward's consent, given by the representative
    consent = live_consents(ward).get()
    assert consent.given_by == parent
    assert not live_consents(parent).exists()
    assert (booking.person, booking.booked_by) == (ward, parent)


def test_q12_withdrawn_consent_refuses_booking_again(schedule, department, referral):
    # given: the person had consented (the fixture) and withdraws
    person = referral.person
    assert live_consents(person).exists()
    consent_withdraw(subject=person, withdrawn_by=person, scope=PERSONAL_DATA, channel=Consent.Channel.PORTAL)
    # when / then
    refused_without_consent(referral=referral, slot_id=slot_at(department, TUE, 9).pk, actor=person, now=NOW)
    assert not Booking.objects.exists()
    assert slot_at(department, TUE, 9).booked == 0
    # consenting again lets the person book
    consenting(person)
    assert services.booking_create(referral=referral, slot_id=slot_at(department, TUE, 9).pk, actor=person, now=NOW)


def test_q12_refused_booking_records_no_consent(schedule, department, newcomer_referral):
    # given: the last place of the time is taken
    slot = slot_at(department, TUE, 12)
    Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)
    # when: the person consents on a booking that is refused
    with pytest.raises(ApplicationError) as exc:
        services.booking_create(
            referral=newcomer_referral,
            slot_id=slot.pk,
            actor=newcomer_referral.person,
            now=NOW,
            consent_channel=Consent.Channel.PORTAL,
        )
    # then: the consent was part of the booking's transaction
    assert exc.value.code == "slot_full"
    assert not Consent.objects.filter(subject=newcomer_referral.person).exists()


def test_q12_q5_and_q6_refusals_come_before_the_consent(schedule, department, newcomer_referral):
    slot_id = slot_at(department, TUE, 10).pk
    stranger = PersonFactory(registration_atu=newcomer_referral.person.registration_atu)
    with pytest.raises(ApplicationError) as exc:
        services.booking_create(
            referral=newcomer_referral, slot_id=slot_id, actor=stranger, now=NOW, consent_channel=Consent.Channel.PORTAL
        )
    assert exc.value.code == "not_representative"
    with pytest.raises(ApplicationError) as exc:
        services.booking_create(
            referral=newcomer_referral,
            slot_id=slot_id,
            actor=newcomer_referral.person,
            now=NOW + dt.timedelta(days=40),
        )
    assert exc.value.code == "referral_expired"
    assert not Consent.objects.filter(subject=newcomer_referral.person).exists()


# --- the booking page ---------------------------------------------------------------------------


@pytest.fixture
def pages(settings):
    # As in test_pages.py: Russian without a prefix, English under /en/; the URL caches rebuilt.
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def today_department(db):
    """A pilot in force today, a department with this year's and next year's schedule, its area."""
    return department_open_today(number=4)


@pytest.fixture
def signed_in(citizen, today_department):
    """The signed-in citizen, registered in the department's area, who has not consented yet."""
    person = citizen.person
    person.registration_atu = today_department.atus.first()
    person.save()
    return person


def first_free_slot(department) -> Slot:
    day = selectors.available_dates(department=department)[1]
    return next(s for s in selectors.available_slots(department=department, day=day) if s.free)


def time_page(referral, slot) -> str:
    return f"/en/queue/book/{referral.public_id}/{slot.day.isoformat()}/"


def test_q12_booking_page_asks_for_consent_only_when_needed(pages, citizen_client, signed_in, today_department):
    referral = ReferralFactory(person=signed_in)
    url = time_page(referral, first_free_slot(today_department))
    # without consent: a required, labelled box
    html = citizen_client.get(url).text
    assert '<input type="checkbox" name="consent"' in html
    assert 'id="id_consent"' in html
    assert '<label for="id_consent">' in html
    assert escape(signed_in.full_name) in html
    assert "consent to the processing of" in html
    assert "data-consent-given" not in html
    # with a live consent: no box, one line saying when it was given
    consenting(signed_in)
    given_at = live_consents(signed_in).get().given_at
    html = citizen_client.get(url).text
    assert 'name="consent"' not in html
    with translation.override("en"):
        given_on = dateformat.format(timezone.localtime(given_at), "j E Y")
    assert f"Consent to the processing of personal data was given on {given_on}." in html


def test_q12_booking_page_unticked_consent_is_a_field_error(pages, citizen_client, signed_in, today_department, sent):
    # given
    referral = ReferralFactory(person=signed_in)
    slot = first_free_slot(today_department)
    outbox = Message.objects.count()
    # when: confirmed without ticking the box
    response = citizen_client.post(time_page(referral, slot), {"slot": slot.pk})
    # then: the error is on the box, linked from the summary and tied to the box; nothing booked
    assert response.status_code == 200
    html = response.text
    assert f'href="#id_consent">{escape(str(MSG_CONSENT_REQUIRED))}' in html
    assert 'id="id_consent_error"' in html
    assert 'aria-describedby="id_consent_error"' in html
    assert 'aria-invalid="true"' in html
    assert not Booking.objects.exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert not Consent.objects.exists()
    assert Message.objects.count() == outbox
    assert sent == []


def test_q12_booking_page_ticked_consent_is_recorded_and_books(pages, citizen_client, signed_in, today_department):
    referral = ReferralFactory(person=signed_in)
    slot = first_free_slot(today_department)
    response = citizen_client.post(time_page(referral, slot), {"slot": slot.pk, "consent": "on"})
    booking = Booking.objects.get(referral=referral)
    assert response["Location"] == f"/en/queue/bookings/{booking.public_id}/"
    consent = live_consents(signed_in).get()
    assert (consent.given_by, consent.channel) == (signed_in, Consent.Channel.PORTAL)


def test_q12_booking_page_representative_consents_for_the_ward(pages, citizen_client, signed_in, today_department):
    # given: the citizen has consented for themselves, not for their ward
    consenting(signed_in)
    ward = PersonFactory(registration_atu=signed_in.registration_atu)
    GuardianshipFactory(representative=signed_in, ward=ward)
    referral = ReferralFactory(person=ward)
    slot = first_free_slot(today_department)
    # when / then: the box is asked for the ward, and ticking it records the ward's consent
    html = citizen_client.get(time_page(referral, slot)).text
    assert '<label for="id_consent">' in html
    assert escape(ward.full_name) in html
    citizen_client.post(time_page(referral, slot), {"slot": slot.pk, "consent": "on"})
    assert Booking.objects.get(referral=referral).person == ward
    consent = live_consents(ward).get()
    assert consent.given_by == signed_in


def test_q12_booking_page_consent_withdrawn_meanwhile_asks_for_it(
    pages, citizen_client, signed_in, today_department, monkeypatch
):
    # given: the page was shown without the box, then the consent was withdrawn
    consenting(signed_in)
    referral = ReferralFactory(person=signed_in)
    slot = first_free_slot(today_department)
    url = time_page(referral, slot)
    assert 'name="consent"' not in citizen_client.get(url).text
    consent_withdraw(subject=signed_in, withdrawn_by=signed_in, scope=PERSONAL_DATA, channel=Consent.Channel.PORTAL)
    # when: confirmed as shown
    response = citizen_client.post(url, {"slot": slot.pk})
    # then: the box is asked for, with its error; nothing booked
    assert response.status_code == 200
    assert f'href="#id_consent">{escape(str(MSG_CONSENT_REQUIRED))}' in response.text
    assert '<label for="id_consent">' in response.text
    # and when the withdrawal lands between the page's check and the booking, the service's refusal
    # is shown on the box the same way
    monkeypatch.setattr(views, "consent_live", lambda subject: Consent(given_at=timezone.now()))
    response = citizen_client.post(url, {"slot": slot.pk})
    assert response.status_code == 200
    assert f'href="#id_consent">{escape(str(MSG_NO_CONSENT))}' in response.text
    assert '<label for="id_consent">' in response.text
    assert not Booking.objects.exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0


# --- the API ------------------------------------------------------------------------------------


@pytest.fixture
def api_citizen(today_department):
    """A citizen with a referral, signed in to the API with a session, who has not consented yet."""
    person = PersonFactory(registration_atu=today_department.atus.first())
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client = APIClient()
    client.force_authenticate(user)
    return {"person": person, "client": client, "referral": ReferralFactory(person=person)}


def test_q12_api_booking_without_consent_is_400_on_field_consent(api_citizen, today_department):
    slot = first_free_slot(today_department)
    payload = {"referral_id": str(api_citizen["referral"].public_id), "slot_id": slot.pk}
    r = api_citizen["client"].post("/api/v1/queue/bookings/create/", payload, format="json")
    assert r.status_code == 400
    (err,) = r.json()["errors"]
    assert (err["field"], err["code"]) == ("consent", "consent_required")
    assert err["message"]
    assert not Booking.objects.exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert not Consent.objects.exists()


def test_q12_api_schema_documents_consent_required_and_the_code_flow(client):
    body = client.get("/api/schema/").content.decode()
    assert "consent_given" not in body
    assert "consent_required" in body
    assert "/api/v1/consents/codes/" in body
