"""The citizen's sign-in pages (IIN, then the SMS code) and the staff's password sign-in."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches

from portal import messaging
from portal.accounts.roles import Role
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    # As in production: Russian without a prefix, /kk/ and /en/ prefixed. The URL resolver caches
    # each language's prefix as computed under the LANGUAGE_CODE of its first use, so it is
    # rebuilt here and again afterwards, for the tests that run with the suite's default.
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def sent(monkeypatch):
    """Every SMS the portal sends during the test, as (recipient, template, context)."""
    outbox = []

    def capture(*, recipient, template, context, dedupe_key, **options):
        outbox.append((recipient, template, context))

    monkeypatch.setattr(messaging, "_sender", capture)
    return outbox


@pytest.mark.parametrize(("prefix", "lang"), [("/kk", "kk"), ("", "ru"), ("/en", "en")])
def test_x1_sign_in_page_renders_in_each_language(client, prefix, lang):
    response = client.get(f"{prefix}/accounts/sign-in/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text


def test_x2_sign_in_field_has_label_and_help(client):
    html = client.get("/en/accounts/sign-in/").text
    assert '<label for="id_iin">IIN</label>' in html
    assert 'id="id_iin_helptext"' in html
    assert 'aria-describedby="id_iin_helptext"' in html


def test_x2_sign_in_error_summary_links_to_the_field(client):
    response = client.post("/en/accounts/sign-in/", {"iin": "123"})
    html = response.text
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_iin"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_iin_helptext id_iin_error"' in html
    assert 'id="id_iin_error"' in html


def test_sign_in_with_sms_code_accepts_an_iin_typed_with_spaces(client, sent):
    # given
    person = PersonFactory()
    spaced = f"{person.iin[:6]} {person.iin[6:]}"
    # when
    response = client.post("/en/accounts/sign-in/", {"iin": spaced, "next": "/en/queue/"})
    # then
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/sign-in/code/")
    assert len(sent) == 1
    code = sent[0][2]["code"]
    page = client.get(response["Location"]).text
    assert "The code is valid for 5 minutes." in page
    assert f"{person.iin[:4]}••••••{person.iin[-2:]}" in page

    response = client.post("/en/accounts/sign-in/code/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/en/queue/"
    assert client.session["_auth_user_id"]


def test_sign_in_wrong_code_shows_attempts_left_in_the_summary(client, sent):
    person = PersonFactory()
    client.post("/en/accounts/sign-in/", {"iin": person.iin})
    wrong = "000000" if sent[0][2]["code"] != "000000" else "111111"
    html = client.post("/en/accounts/sign-in/code/", {"code": wrong}).text
    assert "There is a problem" in html
    assert re.search(r'href="#id_code">The code is wrong. Attempts left: 4.', html)
    assert "_auth_user_id" not in client.session


def test_sign_in_next_to_another_host_is_ignored(client, sent):
    person = PersonFactory()
    client.post("/en/accounts/sign-in/", {"iin": person.iin, "next": "https://evil.example/"})
    response = client.post("/en/accounts/sign-in/code/", {"code": sent[0][2]["code"]})
    assert response["Location"] == "/en/"  # p13: the home page of the page's language


def test_code_page_without_an_iin_goes_back_to_step_one(client):
    response = client.get("/en/accounts/sign-in/code/")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/sign-in/")


def test_x2_staff_sign_in_shows_an_error_summary(client):
    html = client.post("/en/accounts/staff/sign-in/", {"username": "nobody", "password": "wrong"}).text
    assert "There is a problem" in html
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html


def test_staff_sign_in_with_password(client):
    user = UserFactory(department=DepartmentFactory())
    user.set_password("a-long-staff-password")
    user.save()
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    response = client.post(
        "/en/accounts/staff/sign-in/",
        {"username": user.username, "password": "a-long-staff-password", "next": "/en/queue/staff/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/queue/staff/"


def test_q14_video_instruction_linked_from_the_home_page(client, settings):
    settings.QUEUE_VIDEO_INSTRUCTION_URL = "https://video.example/how-to-book"
    html = client.get("/en/").text
    assert html.count('href="https://video.example/how-to-book"') >= 1


@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/kk/accounts/sign-in/", "/en/accounts/sign-in/?next=/en/"])
def test_x1_language_switch_links_to_the_same_page_in_each_language(client, path):
    html = client.get(path).text
    rest = path.removeprefix("/kk").removeprefix("/en")
    assert f'href="{rest}" lang="ru" hreflang="ru"' in html
    assert f'href="/kk{rest}" lang="kk" hreflang="kk"' in html
    assert f'href="/en{rest}" lang="en" hreflang="en"' in html
