"""p13: signing in or out keeps the language of the page it started from (X-1)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches

from portal import messaging
from portal.accounts.roles import Role
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    # As in production: Russian without a prefix, /kk/ and /en/ prefixed (see test_sign_in_pages.py).
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def sent(monkeypatch):
    outbox = []

    def capture(*, recipient, template, context, dedupe_key, **options):
        outbox.append(context)

    monkeypatch.setattr(messaging, "_sender", capture)
    return outbox


def _staff():
    user = UserFactory(department=DepartmentFactory())
    user.set_password("a-long-staff-password")
    user.save()
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    return user


@pytest.mark.parametrize(("prefix", "home"), [("/kk", "/kk/"), ("/en", "/en/"), ("", "/")])
def test_item13_citizen_sign_in_without_next_lands_on_the_home_page_of_the_language(client, sent, prefix, home):
    # given: the header's "Sign in" link, which carries no next page
    person = PersonFactory()
    response = client.post(f"{prefix}/accounts/sign-in/", {"iin": person.iin})
    assert response["Location"] == f"{prefix}/accounts/sign-in/code/"
    # when
    response = client.post(f"{prefix}/accounts/sign-in/code/", {"code": sent[0]["code"]})
    # then
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.session["_auth_user_id"]


def test_item13_citizen_sign_in_page_offers_the_home_page_of_its_language_as_next(client):
    html = client.get("/kk/accounts/sign-in/").text
    assert '<input type="hidden" name="next" value="/kk/">' in html


def test_item13_citizen_sign_in_keeps_a_prefixed_next_page(client, sent):
    person = PersonFactory()
    client.post("/kk/accounts/sign-in/", {"iin": person.iin, "next": "/kk/queue/"})
    response = client.post("/kk/accounts/sign-in/code/", {"code": sent[0]["code"]})
    assert response["Location"] == "/kk/queue/"


def test_item13_next_to_another_host_falls_back_to_the_home_page_of_the_language(client, sent):
    person = PersonFactory()
    client.post("/en/accounts/sign-in/", {"iin": person.iin, "next": "https://evil.example/"})
    response = client.post("/en/accounts/sign-in/code/", {"code": sent[0]["code"]})
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(("prefix", "home"), [("/kk", "/kk/"), ("/en", "/en/"), ("", "/")])
def test_item13_staff_sign_in_without_next_lands_on_the_home_page_of_the_language(client, prefix, home):
    user = _staff()
    response = client.post(
        f"{prefix}/accounts/staff/sign-in/", {"username": user.username, "password": "a-long-staff-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == home


def test_item13_staff_sign_in_from_the_desk_returns_to_the_desk_in_its_language(client):
    user = _staff()
    login = client.get("/kk/queue/staff/")["Location"]
    assert login == "/kk/accounts/staff/sign-in/?next=/kk/queue/staff/"
    response = client.post(login, {"username": user.username, "password": "a-long-staff-password"})
    assert response["Location"] == "/kk/queue/staff/"


@pytest.mark.parametrize(("prefix", "home"), [("/kk", "/kk/"), ("/en", "/en/"), ("", "/")])
def test_item13_sign_out_keeps_the_language(client, prefix, home):
    client.force_login(_staff())
    response = client.post(f"{prefix}/accounts/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == home
    assert "_auth_user_id" not in client.session
