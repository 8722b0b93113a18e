"""sec6: the sign-in answers the same for any IIN: registered, unknown, without a phone, or over its
SMS cap ("if this IIN has a registered phone, a code was sent"), and does the same work for each."""

import datetime as dt
import re

import pytest
from django.db.models import F
from django.urls import clear_url_caches

from portal import messaging
from portal.accounts import services
from portal.accounts.models import SignInCode
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UNKNOWN_IIN = "900101300017"
TEST_CLIENT_ADDRESS = "127.0.0.1"  # REMOTE_ADDR of Django's test client


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def sent(monkeypatch):
    outbox: list[dict] = []

    def capture(*, recipient, template, context, dedupe_key, **options):
        outbox.append({"recipient": recipient, "context": context})

    monkeypatch.setattr(messaging, "_sender", capture)
    return outbox


def _capped() -> str:
    """A registered IIN that has used up its SMS for the next 15 minutes (3, two minutes apart) from
    the test client's address (the caps count per IIN and client address)."""
    person = PersonFactory()
    for _ in range(3):
        services.sign_in_code_request(iin=person.iin, address=TEST_CLIENT_ADDRESS)
        SignInCode.objects.filter(iin=person.iin).update(created_at=F("created_at") - dt.timedelta(minutes=2))
    return person.iin


def _over_the_ceiling() -> str:
    """A registered IIN that has been sent its 30 codes of the day, from other addresses."""
    person = PersonFactory()
    for n in range(30):
        services.sign_in_code_request(iin=person.iin, address=f"192.0.2.{n}")
        SignInCode.objects.filter(iin=person.iin).update(created_at=F("created_at") - dt.timedelta(minutes=2))
    return person.iin


def _kinds() -> dict[str, str]:
    return {
        "registered": PersonFactory().iin,
        "unknown": UNKNOWN_IIN,
        "without a phone": PersonFactory(phone="").iin,
        "over its SMS cap": _capped(),
        "over its SMS ceiling for the day": _over_the_ceiling(),
    }


def _answer(client, iin: str) -> tuple[int, str, int, str]:
    """Status, next address, page status and page text (the masked IIN blanked) after step 1."""
    response = client.post("/en/accounts/sign-in/", {"iin": iin, "next": "/en/queue/"})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    text = page.text.replace(f"{iin[:4]}••••••{iin[-2:]}", "IIN")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return response.status_code, response.get("Location", ""), page.status_code, text


def test_sec6_one_answer_for_a_registered_unknown_phoneless_or_capped_iin(client, sent):
    kinds = _kinds()
    sent.clear()
    answers = {kind: _answer(client, iin) for kind, iin in kinds.items()}
    assert {answer[:3] for answer in answers.values()} == {(302, "/en/accounts/sign-in/code/", 200)}
    assert len({answer[3] for answer in answers.values()}) == 1
    assert "If a mobile phone is registered for IIN IIN, we sent a code to it." in answers["unknown"][3]
    # only the registered IIN with SMS left got one
    assert [m["recipient"].iin for m in sent] == [kinds["registered"]]


def test_sec6_a_wrong_code_answers_the_same_for_any_iin(client, sent):
    answers = set()
    for iin in _kinds().values():
        client.post("/en/accounts/sign-in/", {"iin": iin})
        SignInCode.objects.filter(iin=iin).update(code_hash="not-a-hash-of-any-code")
        response = client.post("/en/accounts/sign-in/code/", {"code": "123456"})
        answers.add((response.status_code, re.search(r'href="#id_code">([^<]+)<', response.text).group(1)))
    assert answers == {(200, "The code is wrong. Attempts left: 4.")}


def test_sec6_an_unknown_iin_gets_a_code_made_and_hashed_like_a_registered_one(sent, monkeypatch):
    from portal.codes import services as codes

    hashed: list[str] = []
    real_hash = codes.code_hash

    def counting_hash(code, *context):
        hashed.append(code)
        return real_hash(code, *context)

    monkeypatch.setattr(codes, "code_hash", counting_hash)
    for iin in (PersonFactory().iin, UNKNOWN_IIN, PersonFactory(phone="").iin):
        assert services.sign_in_code_request(iin=iin) is not None
    assert len(hashed) == 3
    assert SignInCode.objects.count() == 3
    assert len(sent) == 1
