"""Citizen sign-in by one-time SMS code: attempts, expiry, the latest code (limits: test_sec5_*)."""

import datetime as dt

import pytest
from django.utils import timezone

from portal import messaging
from portal.accounts.models import SignInCode, User
from portal.accounts.roles import Role
from portal.accounts.services import sign_in_code_request, sign_in_code_verify
from portal.errors import ApplicationError
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Every message the core sends through portal.messaging.

    The core's tests stop at the messaging seam: delivery is the notifications app's to test.
    """
    calls: list[dict] = []

    def record(**kwargs):
        calls.append(kwargs)

    monkeypatch.setattr(messaging, "_sender", record)
    return calls


@pytest.fixture
def person():
    return PersonFactory(phone="+77015550101")


def last_code(sent) -> str:
    return sent[-1]["context"]["code"]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        call(**kwargs)
    assert str(exc.value.message)
    return exc.value


def test_sign_in_code_sent_to_the_registered_phone_through_messaging(sent, person):
    row = sign_in_code_request(iin=person.iin)
    assert len(sent) == 1
    call = sent[0]
    assert call["recipient"] == person
    assert call["template"] == "sign_in_code"
    assert call["urgent"] is True
    assert call["dedupe_key"] == f"sign-in:{row.pk}"
    code = call["context"]["code"]
    assert len(code) == 6
    assert code.isdigit()
    # only a hash of the code is stored
    assert code not in row.code_hash
    assert row.expires_at > timezone.now()


def test_sign_in_success_creates_the_citizen_user_once(sent, person):
    sign_in_code_request(iin=person.iin)
    user = sign_in_code_verify(iin=person.iin, code=last_code(sent))
    assert user.person == person
    assert user.groups.filter(name=Role.CITIZEN).exists()
    assert user.is_citizen
    assert not user.has_usable_password()
    assert not user.is_staff
    # the code is used up; a second sign-in reuses the same user
    assert SignInCode.objects.get().used_at is not None
    sign_in_code_request(iin=person.iin)
    assert sign_in_code_verify(iin=person.iin, code=last_code(sent)) == user
    assert User.objects.filter(person=person).count() == 1


def test_sign_in_used_code_cannot_be_replayed(sent, person):
    sign_in_code_request(iin=person.iin)
    code = last_code(sent)
    sign_in_code_verify(iin=person.iin, code=code)
    assert refused(sign_in_code_verify, iin=person.iin, code=code).code == "code_expired"


def test_sign_in_wrong_codes_count_down(sent, person, settings):
    settings.SIGN_IN_MAX_ATTEMPTS = 5
    sign_in_code_request(iin=person.iin)
    bad = wrong(last_code(sent))
    for left in (4, 3, 2):
        err = refused(sign_in_code_verify, iin=person.iin, code=bad)
        assert err.code == "code_wrong"
        assert err.field == "code"
        assert f"Attempts left: {left}." in str(err.message)
    assert SignInCode.objects.get().attempts == 3


def test_sign_in_code_dead_after_max_attempts_even_for_the_right_code(sent, person, settings):
    settings.SIGN_IN_MAX_ATTEMPTS = 3
    sign_in_code_request(iin=person.iin)
    good = last_code(sent)
    refused(sign_in_code_verify, iin=person.iin, code=wrong(good))
    refused(sign_in_code_verify, iin=person.iin, code=wrong(good))
    err = refused(sign_in_code_verify, iin=person.iin, code=wrong(good))
    assert err.code == "code_used_up"
    assert str(err.message) == "The code is wrong and can no longer be used. Request a new code."
    assert refused(sign_in_code_verify, iin=person.iin, code=good).code == "code_expired"
    assert not User.objects.filter(person=person).exists()


def test_sign_in_expired_code_refused(sent, person):
    sign_in_code_request(iin=person.iin)
    code = last_code(sent)
    SignInCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert refused(sign_in_code_verify, iin=person.iin, code=code).code == "code_expired"


def test_sign_in_code_lives_for_the_configured_ttl(sent, person, settings):
    settings.SIGN_IN_CODE_TTL_SECONDS = 120
    row = sign_in_code_request(iin=person.iin)
    assert row.expires_at - row.created_at == dt.timedelta(seconds=120)
    assert sent[-1]["context"]["minutes"] == 2


def test_sign_in_only_the_latest_code_counts(sent, person):
    sign_in_code_request(iin=person.iin)
    first = last_code(sent)
    SignInCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))  # not a double click
    sign_in_code_request(iin=person.iin)
    second = last_code(sent)
    if first != second:
        assert refused(sign_in_code_verify, iin=person.iin, code=first).code == "code_wrong"
    assert sign_in_code_verify(iin=person.iin, code=second).person == person


def test_sign_in_without_a_requested_code_refused(person):
    assert refused(sign_in_code_verify, iin=person.iin, code="123456").code == "code_expired"


def test_sign_in_unknown_iin_sends_nothing(sent):
    assert sign_in_code_request(iin="900101300017") is not None
    assert sent == []


def test_sign_in_person_without_phone_sends_nothing_and_no_code_signs_in(sent):
    person = PersonFactory(phone="")
    sign_in_code_request(iin=person.iin)
    assert sent == []
    assert refused(sign_in_code_verify, iin=person.iin, code="123456").code in {"code_wrong", "code_used_up"}
    assert not User.objects.filter(person=person).exists()


@pytest.mark.parametrize(("iin", "code"), [("900101300018", "iin_checksum"), ("12345", "iin_format")])
def test_sign_in_invalid_iin_refused_with_its_code(sent, iin, code):
    err = refused(sign_in_code_request, iin=iin)
    assert err.code == code
    assert err.field == "iin"
    assert sent == []
