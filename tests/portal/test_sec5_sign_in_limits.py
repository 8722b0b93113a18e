"""sec5: sign-in limits that stop guessing and SMS flooding without letting a stranger lock anyone out.

Citizens: wrong guesses per code (then the code is dead), per client address and for the whole
portal; SMS per IIN and client address per 15 minutes and per day, and per IIN per day across
addresses; a double click sends one SMS. Staff and admin:
django-axes per user name and address, with a cool-off.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db.models import F
from django.urls import clear_url_caches
from django.utils import timezone, translation

from portal import messaging
from portal.accounts.models import SignInCode, SignInEvent, User
from portal.accounts.roles import Role
from portal.accounts.services import sign_in_code_request, sign_in_code_verify
from portal.errors import ApplicationError
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    # As in production: Russian without a prefix, /kk/ and /en/ prefixed (URL caches rebuilt around).
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def sent(monkeypatch):
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
    with pytest.raises(ApplicationError) as exc, translation.override("en"):
        call(**kwargs)
    return exc.value


def english(message) -> str:
    with translation.override("en"):
        return str(message)


def older(**delta) -> None:
    """Move every code and sign-in event back in time, as if that much time had passed."""
    SignInCode.objects.update(created_at=F("created_at") - dt.timedelta(**delta))
    SignInEvent.objects.update(at=F("at") - dt.timedelta(**delta))


# --- citizens: guesses ------------------------------------------------------------------------


def test_sec5_a_code_dies_after_5_wrong_guesses(sent, person):
    sign_in_code_request(iin=person.iin, address=STRANGER)
    good = last_code(sent)
    for left in (4, 3, 2, 1):
        err = refused(sign_in_code_verify, iin=person.iin, code=wrong(good), address=STRANGER)
        assert (err.code, english(err.message)) == ("code_wrong", f"The code is wrong. Attempts left: {left}.")
    err = refused(sign_in_code_verify, iin=person.iin, code=wrong(good), address=STRANGER)
    assert (err.code, err.field) == ("code_used_up", "code")
    # the right code no longer works: the code is dead
    assert refused(sign_in_code_verify, iin=person.iin, code=good, address=OWNER).code == "code_expired"
    assert SignInCode.objects.get().attempts == 5


def test_sec5_a_strangers_wrong_guesses_never_lock_the_owner_out(sent, person):
    # given: a stranger uses up the owner's code
    sign_in_code_request(iin=person.iin, address=STRANGER)
    for _ in range(5):
        refused(sign_in_code_verify, iin=person.iin, code=wrong(last_code(sent)), address=STRANGER)
    # when: the owner asks for a code at once
    sign_in_code_request(iin=person.iin, address=OWNER)
    # then: a fresh SMS goes out and signs the owner in
    assert len(sent) == 2
    assert sign_in_code_verify(iin=person.iin, code=last_code(sent), address=OWNER).person == person


def test_sec5_wrong_codes_per_address_limited_and_a_new_code_does_not_reset_them(sent, person, settings):
    settings.SIGN_IN_WRONG_CODES_PER_ADDRESS_PER_HOUR = 6
    sign_in_code_request(iin=person.iin, address=STRANGER)
    for _ in range(4):
        refused(sign_in_code_verify, iin=person.iin, code=wrong(last_code(sent)), address=STRANGER)
    older(minutes=2)
    sign_in_code_request(iin=person.iin, address=STRANGER)  # a new code: 5 fresh attempts for it
    for _ in range(2):
        assert refused(sign_in_code_verify, iin=person.iin, code=wrong(last_code(sent)), address=STRANGER).code == (
            "code_wrong"
        )
    # the address has used its 6 wrong codes: even the right one is not checked from there
    err = refused(sign_in_code_verify, iin=person.iin, code=last_code(sent), address=STRANGER)
    assert (err.code, err.field) == ("sign_in_address_limited", None)
    assert english(err.message) == "Too many sign-in attempts from your network. Try again in an hour."
    assert SignInCode.objects.order_by("-created_at").first().attempts == 2
    # another address is not held back; after an hour the first is free again
    assert sign_in_code_verify(iin=person.iin, code=last_code(sent), address=OWNER).person == person
    older(hours=1)
    sign_in_code_request(iin=person.iin, address=STRANGER)
    assert sign_in_code_verify(iin=person.iin, code=last_code(sent), address=STRANGER).person == person


def test_sec5_wrong_codes_for_the_whole_portal_have_a_budget_per_minute(sent, settings):
    settings.SIGN_IN_WRONG_CODES_PER_MINUTE = 3
    people = [PersonFactory() for _ in range(4)]
    for n, someone in enumerate(people[:3]):
        sign_in_code_request(iin=someone.iin, address=f"192.0.2.{n}")
        refused(sign_in_code_verify, iin=someone.iin, code=wrong(last_code(sent)), address=f"192.0.2.{n}")
    last = people[3]
    sign_in_code_request(iin=last.iin, address="192.0.2.99")
    err = refused(sign_in_code_verify, iin=last.iin, code=last_code(sent), address="192.0.2.99")
    assert err.code == "sign_in_busy"
    assert english(err.message) == "Too many sign-in attempts on the portal right now. Try again in a minute."
    assert SignInCode.objects.get(iin=last.iin).attempts == 0
    older(seconds=61)
    assert sign_in_code_verify(iin=last.iin, code=last_code(sent), address="192.0.2.99").person == last


def test_sec5_a_code_of_letters_is_refused_without_using_an_attempt(sent, person):
    sign_in_code_request(iin=person.iin, address=OWNER)
    for typed in ("abcdef", "12 34a", "１２３４５６"):
        err = refused(sign_in_code_verify, iin=person.iin, code=typed, address=OWNER)
        assert (err.code, err.field) == ("code_format", "code")
    assert SignInCode.objects.get().attempts == 0
    assert not SignInEvent.objects.filter(kind="wrong").exists()


def test_sec5_a_code_of_letters_is_a_form_error_on_the_page(client, sent, person):
    client.post("/en/accounts/sign-in/", {"iin": person.iin})
    response = client.post("/en/accounts/sign-in/code/", {"code": "abcdef"})
    assert response.status_code == 200
    assert 'href="#id_code">Enter the 6 digits of the code from the SMS.' in response.text
    assert SignInCode.objects.get().attempts == 0


# --- citizens: SMS ----------------------------------------------------------------------------


def test_sec5_sms_per_iin_and_address_capped_at_3_per_15_minutes_and_10_per_day(sent, person):
    for _ in range(3):
        assert sign_in_code_request(iin=person.iin, address=OWNER) is not None
        older(minutes=2)
    assert sign_in_code_request(iin=person.iin, address=OWNER) is None
    assert len(sent) == 3
    # 15 minutes on, three more; and so on until ten in a day
    for _ in range(3):
        older(minutes=15)
        for _ in range(3):
            sign_in_code_request(iin=person.iin, address=OWNER)
            older(minutes=2)
    assert len(sent) == 10
    older(minutes=15)
    assert sign_in_code_request(iin=person.iin, address=OWNER) is None
    assert len(sent) == 10
    assert SignInCode.objects.count() == 10
    older(days=1)
    sign_in_code_request(iin=person.iin, address=OWNER)
    assert len(sent) == 11


def _ten_codes_of_the_day(iin: str, address: str) -> None:
    """Ask for a code from ``address`` every 5 minutes (3 per 15 minutes) until it has had 10."""
    for _ in range(10):
        assert sign_in_code_request(iin=iin, address=address) is not None
        older(minutes=5)


def test_sec5_the_owners_address_still_gets_a_code_after_another_used_its_10_of_the_day(sent, person):
    # given: a stranger's address has used its 10 codes of the day for the owner's IIN
    _ten_codes_of_the_day(person.iin, STRANGER)
    assert sign_in_code_request(iin=person.iin, address=STRANGER) is None
    assert len(sent) == 10
    # when: the owner asks from their own address
    row = sign_in_code_request(iin=person.iin, address=OWNER)
    # then: an SMS goes out, and its code signs the owner in
    assert row is not None
    assert sign_in_code_request(iin=person.iin, address=OWNER) == row  # a second click: no new SMS
    assert len(sent) == 11
    assert sign_in_code_verify(iin=person.iin, code=last_code(sent), address=OWNER).person == person
    # and the owner's address has its own 3 per 15 minutes, whatever the stranger asked
    older(minutes=2)
    assert sign_in_code_request(iin=person.iin, address=OWNER) is not None
    older(minutes=2)
    assert sign_in_code_request(iin=person.iin, address=OWNER) is not None
    older(minutes=2)
    assert sign_in_code_request(iin=person.iin, address=OWNER) is None
    assert len(sent) == 13


def test_sec5_the_same_address_is_refused_at_3_per_15_minutes_and_10_per_day(sent, person):
    for _ in range(3):
        assert sign_in_code_request(iin=person.iin, address=STRANGER) is not None
        older(minutes=2)
    assert sign_in_code_request(iin=person.iin, address=STRANGER) is None
    older(minutes=15)
    SignInCode.objects.all().delete()
    _ten_codes_of_the_day(person.iin, STRANGER)
    assert sign_in_code_request(iin=person.iin, address=STRANGER) is None
    assert SignInCode.objects.filter(address=STRANGER).count() == 10


def test_sec5_sms_per_iin_capped_at_30_a_day_across_addresses(sent, person):
    # 30 addresses, one code each (a few minutes apart, past the double-click window)
    for n in range(30):
        assert sign_in_code_request(iin=person.iin, address=f"192.0.2.{n}") is not None
        older(minutes=2)
    assert len(sent) == 30
    # the 31st of the day is refused from a new address and from the owner's alike: this is what
    # one IIN can cost, and what an attacker with many addresses can still use up
    assert sign_in_code_request(iin=person.iin, address="192.0.2.200") is None
    assert sign_in_code_request(iin=person.iin, address=OWNER) is None
    assert len(sent) == 30
    assert SignInCode.objects.count() == 30
    # a day later the ceiling is free again
    older(days=1)
    assert sign_in_code_request(iin=person.iin, address=OWNER) is not None
    assert len(sent) == 31


def test_sec5_a_second_click_reuses_the_live_code_only_for_the_same_address(sent, person):
    owners = sign_in_code_request(iin=person.iin, address=OWNER)
    # another address, seconds later, gets its own code (within its own budget), not the owner's
    strangers = sign_in_code_request(iin=person.iin, address=STRANGER)
    assert strangers is not None
    assert strangers != owners
    assert (owners.address, strangers.address) == (OWNER, STRANGER)
    assert len(sent) == 2
    # the owner's second click is still their own code
    assert sign_in_code_request(iin=person.iin, address=OWNER) == owners
    assert len(sent) == 2


def test_sec5_a_strangers_new_code_does_not_displace_the_owners(sent, person):
    # given: the owner got a code, then a stranger asked for another for the same IIN
    sign_in_code_request(iin=person.iin, address=OWNER)
    owners_code = last_code(sent)
    sign_in_code_request(iin=person.iin, address=STRANGER)
    # a stranger's wrong guess from their address uses up their own code, not the owner's
    refused(sign_in_code_verify, iin=person.iin, code=wrong(owners_code), address=STRANGER)
    assert SignInCode.objects.get(address=OWNER).attempts == 0
    # then: the owner's code still signs the owner in from their address
    assert sign_in_code_verify(iin=person.iin, code=owners_code, address=OWNER).person == person


def test_sec5_the_owners_code_works_from_another_address_when_that_address_asked_for_none(sent, person):
    # the owner's phone moved from Wi-Fi to the mobile network between the two steps
    sign_in_code_request(iin=person.iin, address=OWNER)
    assert sign_in_code_verify(iin=person.iin, code=last_code(sent), address="192.0.2.50").person == person


def test_sec5_double_click_on_send_code_sends_one_sms(client, sent, person):
    first = client.post("/en/accounts/sign-in/", {"iin": person.iin})
    second = client.post("/en/accounts/sign-in/", {"iin": person.iin})
    assert first.status_code == second.status_code == 302
    assert len(sent) == 1
    assert SignInCode.objects.count() == 1
    # the code sent the first time signs in
    response = client.post("/en/accounts/sign-in/code/", {"code": last_code(sent)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_sec5_a_new_code_is_sent_once_the_reuse_window_has_passed(sent, person, settings):
    settings.SIGN_IN_CODE_REUSE_SECONDS = 60
    first = sign_in_code_request(iin=person.iin, address=OWNER)
    assert sign_in_code_request(iin=person.iin, address=OWNER) == first
    older(seconds=61)
    assert sign_in_code_request(iin=person.iin, address=OWNER) != first
    assert len(sent) == 2


def test_sec5_code_requests_per_address_limited_for_any_iin(client, sent, settings):
    settings.SIGN_IN_REQUESTS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(3):
        response = client.post("/en/accounts/sign-in/", {"iin": PersonFactory().iin}, REMOTE_ADDR=STRANGER)
        assert response.status_code == 302
    # the fourth, for a registered or an unknown IIN alike, is refused on the page
    for iin in (PersonFactory().iin, "900101300017"):
        response = client.post("/en/accounts/sign-in/", {"iin": iin}, REMOTE_ADDR=STRANGER)
        assert response.status_code == 200
        assert "Too many sign-in attempts from your network. Try again in an hour." in response.text
    assert len(sent) == 3
    # a forged X-Forwarded-For does not make a new address (no proxy is configured)
    response = client.post(
        "/en/accounts/sign-in/", {"iin": PersonFactory().iin}, REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert response.status_code == 200
    # another address is not held back
    response = client.post("/en/accounts/sign-in/", {"iin": PersonFactory().iin}, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    assert len(sent) == 4


def test_sec5_wrong_codes_on_the_page_count_against_the_client_address(client, sent, person, settings):
    settings.SIGN_IN_WRONG_CODES_PER_ADDRESS_PER_HOUR = 2
    client.post("/en/accounts/sign-in/", {"iin": person.iin}, REMOTE_ADDR=STRANGER)
    bad = wrong(last_code(sent))
    client.post("/en/accounts/sign-in/code/", {"code": bad}, REMOTE_ADDR=STRANGER)
    client.post("/en/accounts/sign-in/code/", {"code": bad}, REMOTE_ADDR=STRANGER)
    response = client.post("/en/accounts/sign-in/code/", {"code": last_code(sent)}, REMOTE_ADDR=STRANGER)
    assert "Too many sign-in attempts from your network. Try again in an hour." in response.text
    assert "_auth_user_id" not in client.session
    assert list(SignInEvent.objects.filter(kind="wrong").values_list("address", flat=True)) == [STRANGER, STRANGER]


# --- staff and admin: django-axes -------------------------------------------------------------


@pytest.fixture
def staff(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for tests only
    user = UserFactory(username="desk-1", department=DepartmentFactory(), is_staff=True)
    user.set_password("a-long-staff-password")
    user.save()
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    return user


def _wrong_passwords(client, url, username, times, address=STRANGER):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "not-the-password"}, REMOTE_ADDR=address)
        assert response.status_code == 200


@pytest.mark.parametrize("url", ["/en/accounts/staff/sign-in/", "/en/admin/login/"])
def test_sec5_staff_and_admin_sign_in_locked_after_5_wrong_passwords(client, staff, url):
    _wrong_passwords(client, url, staff.username, 4)
    # the fifth wrong password locks this user name from this address
    response = client.post(url, {"username": staff.username, "password": "nope"}, REMOTE_ADDR=STRANGER)
    assert response.status_code == 429
    # then even the right password is refused, with the page in the user's language
    response = client.post(url, {"username": staff.username, "password": "a-long-staff-password"}, REMOTE_ADDR=STRANGER)
    assert response.status_code == 429
    assert '<html lang="en">' in response.text
    assert "Too many wrong passwords for this user name from your address. Try again in 15 minutes." in response.text
    assert "_auth_user_id" not in client.session


def test_sec5_staff_lockout_page_in_kazakh_and_russian(client, staff):
    for prefix, lang in (("/kk", "kk"), ("", "ru")):
        AccessAttempt.objects.all().delete()
        url = f"{prefix}/accounts/staff/sign-in/"
        _wrong_passwords(client, url, staff.username, 4)
        response = client.post(url, {"username": staff.username, "password": "nope"}, REMOTE_ADDR=STRANGER)
        assert response.status_code == 429
        assert f'<html lang="{lang}">' in response.text


def test_sec5_staff_lockout_is_per_user_name_and_address_and_ends_after_the_cool_off(client, staff):
    url = "/en/accounts/staff/sign-in/"
    _wrong_passwords(client, url, staff.username, 4)
    assert client.post(url, {"username": staff.username, "password": "x"}, REMOTE_ADDR=STRANGER).status_code == 429
    # the owner, from another address, still signs in: a stranger cannot lock a staff member out
    right = {"username": staff.username, "password": "a-long-staff-password"}
    response = client.post(url, right, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    client.post("/en/accounts/sign-out/")
    # after the cool-off (15 minutes) the pair may try again
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert client.post(url, right, REMOTE_ADDR=STRANGER).status_code == 302


def test_sec5_staff_lockout_uses_the_database_handler(client, staff):
    _wrong_passwords(client, "/en/admin/login/", staff.username, 2)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (staff.username, STRANGER, 2)


def test_sec5_citizen_users_cannot_sign_in_with_a_password(client, sent, person):
    # a citizen's user (made by the SMS sign-in) has no usable password
    client.post("/en/accounts/sign-in/", {"iin": person.iin})
    client.post("/en/accounts/sign-in/code/", {"code": last_code(sent)})
    client.post("/en/accounts/sign-out/")
    user = User.objects.get(person=person)
    response = client.post("/en/accounts/staff/sign-in/", {"username": user.username, "password": ""})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
