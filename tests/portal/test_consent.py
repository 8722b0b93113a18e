"""Q-12: consent to personal data processing, from the subject or the legal representative."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.consent.models import Consent
from portal.consent.services import consent_give, consent_is_live, consent_require, consent_withdraw
from portal.errors import ApplicationError, ForbiddenError
from tests.factories import GuardianshipFactory, PersonFactory

pytestmark = pytest.mark.django_db

SCOPE = Consent.Scope.PERSONAL_DATA


def give(subject, given_by, scope=SCOPE, channel=Consent.Channel.PORTAL):
    return consent_give(subject=subject, given_by=given_by, scope=scope, purpose="MSE service", channel=channel)


def test_q12_consent_given_by_subject_recorded_with_time_scope_and_channel():
    person = PersonFactory()
    before = timezone.now()
    consent = give(person, person, channel=Consent.Channel.SMS)
    consent.refresh_from_db()
    assert consent.subject == person
    assert consent.given_by == person
    assert consent.scope == SCOPE
    assert consent.channel == Consent.Channel.SMS
    assert consent.purpose == "MSE service"
    assert before <= consent.given_at <= timezone.now()
    assert consent.withdrawn_at is None
    assert consent_is_live(subject=person, scope=SCOPE)


def test_q12_legal_representative_gives_consent_for_ward():
    guardianship = GuardianshipFactory()
    consent = give(guardianship.ward, guardianship.representative)
    assert consent.subject == guardianship.ward
    assert consent.given_by == guardianship.representative
    # the consent is the ward's, not the parent's
    assert consent_is_live(subject=guardianship.ward, scope=SCOPE)
    assert not consent_is_live(subject=guardianship.representative, scope=SCOPE)


def test_q12_stranger_cannot_give_consent():
    subject, stranger = PersonFactory(), PersonFactory()
    with pytest.raises(ForbiddenError) as exc:
        give(subject, stranger)
    assert exc.value.code == "not_representative"
    assert not Consent.objects.exists()


def test_q12_ward_cannot_give_consent_for_the_representative():
    guardianship = GuardianshipFactory()
    with pytest.raises(ForbiddenError):
        give(guardianship.representative, guardianship.ward)


def test_q12_ended_or_future_guardianship_gives_no_right_to_consent():
    today = timezone.localdate()
    ended = GuardianshipFactory(valid_from=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(days=1))
    future = GuardianshipFactory(valid_from=today + dt.timedelta(days=1))
    for g in (ended, future):
        with pytest.raises(ForbiddenError):
            give(g.ward, g.representative)
    assert not Consent.objects.exists()


def test_q12_one_live_consent_per_scope():
    person = PersonFactory()
    first = give(person, person)
    again = give(person, person, channel=Consent.Channel.IN_PERSON)
    assert again.pk == first.pk
    assert Consent.objects.filter(subject=person, scope=SCOPE).count() == 1
    # other scopes are separate consents
    give(person, person, scope=Consent.Scope.SMS)
    assert Consent.objects.filter(subject=person).count() == 2
    # and the database itself refuses a second live row
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            subject=person, given_by=person, scope=SCOPE, purpose="x", channel="portal", given_at=timezone.now()
        )


def test_q12_withdrawal_recorded_with_time_and_channel():
    person = PersonFactory()
    give(person, person)
    withdrawn = consent_withdraw(subject=person, withdrawn_by=person, scope=SCOPE, channel=Consent.Channel.IN_PERSON)
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_channel == Consent.Channel.IN_PERSON
    assert not consent_is_live(subject=person, scope=SCOPE)
    with pytest.raises(ApplicationError) as exc:
        consent_require(subject=person)
    assert exc.value.code == "consent_required"
    # given again after withdrawal: a new record, the withdrawn one is kept as history
    renewed = give(person, person)
    assert renewed.pk != withdrawn.pk
    assert Consent.objects.filter(subject=person, scope=SCOPE).count() == 2
    consent_require(subject=person)


def test_q12_withdraw_with_nothing_live_changes_nothing():
    person = PersonFactory()
    assert consent_withdraw(subject=person, withdrawn_by=person, scope=SCOPE, channel="portal") is None


def test_q12_representative_withdraws_for_ward_but_stranger_cannot():
    guardianship = GuardianshipFactory()
    give(guardianship.ward, guardianship.representative)
    with pytest.raises(ForbiddenError):
        consent_withdraw(subject=guardianship.ward, withdrawn_by=PersonFactory(), scope=SCOPE, channel="portal")
    assert consent_is_live(subject=guardianship.ward, scope=SCOPE)
    consent_withdraw(subject=guardianship.ward, withdrawn_by=guardianship.representative, scope=SCOPE, channel="portal")
    assert not consent_is_live(subject=guardianship.ward, scope=SCOPE)


def test_q12_processing_refused_without_consent():
    with pytest.raises(ApplicationError) as exc:
        consent_require(subject=PersonFactory())
    assert exc.value.code == "consent_required"
    assert exc.value.field == "consent"
