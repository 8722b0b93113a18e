"""S-7: the registered MSE act offers the disability benefits' one application at once: a record of
the offer, an SMS in the person's language and the choice page of B-12."""

import datetime as dt

import pytest

from benefits.models import DisabilityOffer
from notifications.models import Message
from tests.benefits.mse import act_for
from tests.portal.factories import GuardianshipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_s7_registered_act_offers_the_application_with_an_sms(django_capture_on_commit_callbacks):
    person = PersonFactory(preferred_language="kk")
    act = act_for(django_capture_on_commit_callbacks, person=person)
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.person == person
    assert offer.status == "offered"
    assert offer.offered == ["social"]
    sms = Message.objects.get(template__key="benefit_disability_offered")
    assert sms.recipient == person
    assert sms.language == "kk"
    assert act.number in sms.text
    assert "мүгедектігі бойынша жәрдемақыларды" in sms.text


def test_s7_not_recognised_act_offers_nothing(django_capture_on_commit_callbacks):
    act_for(
        django_capture_on_commit_callbacks,
        recognised=False,
        group="",
        cause="",
        term_until=None,
        with_state_data=False,
    )
    assert not DisabilityOffer.objects.exists()
    assert not Message.objects.filter(template__key="benefit_disability_offered").exists()


def test_s7_a_wards_offer_goes_to_the_legal_representative(django_capture_on_commit_callbacks):
    child = PersonFactory(birth_date=dt.date(2015, 6, 1), iin="150601500016")
    parent = PersonFactory()
    GuardianshipFactory(ward=child, representative=parent)
    act = act_for(django_capture_on_commit_callbacks, person=child, category="child", cause="child")
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.person == parent
    assert offer.offered == ["social", "child_raising"]


def test_s7_choice_page_shows_the_offered_benefits_to_its_owner_only(django_capture_on_commit_callbacks, client):
    from portal.accounts.models import User

    person = PersonFactory()
    act_for(django_capture_on_commit_callbacks, person=person)
    offer = DisabilityOffer.objects.get()
    owner = User.objects.create(username=f"iin{person.iin}", person=person)
    from django.contrib.auth.models import Group

    owner.groups.add(Group.objects.get(name="citizen"))
    client.force_login(owner)
    page = client.get(f"/benefits/disability/{offer.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "state social disability benefit" in page.content.decode()
    assert "special state disability benefit" not in page.content.decode()

    stranger_person = PersonFactory()
    stranger = User.objects.create(username=f"iin{stranger_person.iin}", person=stranger_person)
    stranger.groups.add(Group.objects.get(name="citizen"))
    client.force_login(stranger)
    assert client.get(f"/benefits/disability/{offer.public_id}/").status_code == 404
