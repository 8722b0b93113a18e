"""sec17 (sessions): a citizen's session ends after 30 minutes without a request, and personal pages
are never stored by a browser or a proxy (``Cache-Control: no-store``)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches
from django.utils import timezone

from portal import messaging
from portal.accounts.roles import Role
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def signed_in(client, monkeypatch):
    """A client signed in as a citizen through the SMS-code pages."""
    outbox: list[str] = []
    monkeypatch.setattr(messaging, "_sender", lambda **kwargs: outbox.append(kwargs["context"]["code"]))
    person = PersonFactory()
    client.post("/en/accounts/sign-in/", {"iin": person.iin})
    client.post("/en/accounts/sign-in/code/", {"code": outbox[-1]})
    assert client.session["_auth_user_id"]
    return client


def _idle(client, minutes: int) -> None:
    """Make the session's last request ``minutes`` ago."""
    session = client.session
    session["citizen_last_seen"] = int(timezone.now().timestamp()) - minutes * 60
    session.save()


def test_sec17_citizen_session_ends_after_30_minutes_idle(signed_in):
    _idle(signed_in, 31)
    response = signed_in.get("/en/queue/")
    assert response.status_code == 302
    assert "/en/accounts/sign-in/?next=" in response["Location"]
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"]).text
    assert "You were signed out after 30 minutes without activity. Sign in again." in page


def test_sec17_citizen_session_goes_on_while_in_use(signed_in):
    _idle(signed_in, 29)
    assert signed_in.get("/en/queue/").status_code == 200
    # the request counts as activity: the idle time starts again from it
    assert timezone.now().timestamp() - signed_in.session["citizen_last_seen"] < 60
    assert signed_in.session.get_expiry_age() == 31 * 60


def test_sec17_idle_minutes_is_a_setting(signed_in, settings):
    settings.CITIZEN_SESSION_IDLE_MINUTES = 5
    _idle(signed_in, 6)
    assert signed_in.get("/en/queue/").status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_sec17_staff_sessions_keep_their_own_lifetime(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for tests only
    staff = UserFactory(department=DepartmentFactory())
    staff.set_password("a-long-staff-password")
    staff.save()
    staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    response = client.post(
        "/en/accounts/staff/sign-in/", {"username": staff.username, "password": "a-long-staff-password"}
    )
    assert response.status_code == 302
    assert "citizen_last_seen" not in client.session
    assert client.session.get_expiry_age() == 1209600  # Django's two weeks


def test_sec17_personal_pages_are_not_stored(signed_in, client):
    for path in ("/en/queue/", "/en/queue/book/", "/en/"):
        response = signed_in.get(path)
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_sec17_staff_desk_is_not_stored(client):
    staff = UserFactory(department=DepartmentFactory())
    staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    client.force_login(staff)
    response = client.get("/en/queue/staff/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/en/accounts/sign-in/", "/en/accounts/staff/sign-in/"])
def test_sec17_sign_in_pages_are_not_stored(client, path):
    assert "no-store" in client.get(path)["Cache-Control"]


def test_sec17_sign_in_code_page_is_not_stored(client, monkeypatch):
    monkeypatch.setattr(messaging, "_sender", lambda **kwargs: None)
    client.post("/en/accounts/sign-in/", {"iin": PersonFactory().iin})
    assert "no-store" in client.get("/en/accounts/sign-in/code/")["Cache-Control"]


def test_sec17_public_pages_may_be_cached_for_anonymous_visitors(client):
    assert "no-store" not in client.get("/en/").get("Cache-Control", "")
