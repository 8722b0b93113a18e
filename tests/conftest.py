"""Shared fixtures. Tests run Celery tasks eagerly unless a test starts a real worker itself."""

import pytest
from django.contrib.auth.models import Group
from django.core.signals import setting_changed
from django.urls import clear_url_caches

from portal.accounts.roles import Role
from portal.accounts.scopes import scope_values
from portal.accounts.services import api_token_create, integrator_create
from tests.factories import PersonFactory


@pytest.fixture(scope="session", autouse=True)
def test_pki(tmp_path_factory):
    """P-5: the test PKI the suite trusts, one per test process; ``tests/signing.py`` signs with it."""
    from django.conf import settings as django_settings

    from portal.signatures.testpki import TestPki

    pki = TestPki(tmp_path_factory.mktemp("pki")).ensure()
    django_settings.SIGNATURE_TRUSTED_ROOTS = [str(pki.root_path)]
    django_settings.SIGNATURE_CRLS = [str(p) for p in pki.crl_paths]
    django_settings.NCANODE_URL = ""
    return pki


@pytest.fixture(autouse=True)
def _portal_test_settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LANGUAGE_CODE = "en"
    settings.SMS_BACKEND = "database"


def _clear_url_caches_on_language_change(*, setting, **_kwargs):
    # Django caches URL reversing per language, filled under the LANGUAGE_CODE of the moment:
    # a test that changes the default language must not see prefixes computed for the old one.
    if setting == "LANGUAGE_CODE":
        clear_url_caches()


setting_changed.connect(_clear_url_caches_on_language_change, dispatch_uid="tests:clear_url_caches")


# Data that migrations create (roles, SMS templates). A transactional test ends with a flush that
# empties every table, so the next transactional test would start without them: put them back.
MIGRATION_SEEDS = [
    ("portal.accounts.migrations.0002_roles", "create_roles"),
    ("portal.workcal.migrations.0002_national_calendar_roles", "national_calendar"),
    ("portal.accounts.migrations.0006_operator_unlocks_staff_sign_in", "grant"),
    ("queue_booking.migrations.0002_grant_permissions", "grant"),
    ("notifications.migrations.0002_seed_templates", "seed"),
    ("notifications.migrations.0003_grant_permissions", "grant"),
    ("notifications.migrations.0005_consent_code_template", "seed"),
    ("queue_booking.migrations.0005_seed_sms_templates", "seed"),
    ("expert_registry.migrations.0001_seed_sms_templates", "seed"),
    ("expert_registry.migrations.0003_grant_permissions", "grant"),
    ("expert_registry.migrations.0005_grant_state_checks_contracts", "grant"),
    ("expert_registry.migrations.0005_seed_formula_grant", "seed_and_grant"),
    ("expert_registry.migrations.0010_grant_expert_leave", "grant"),
    ("benefits.migrations.0001_seed_sms_templates", "seed"),
    ("benefits.migrations.0003_seed_rates", "seed"),
    ("benefits.migrations.0005_seed_disability_survivor", "seed"),
    ("benefits.migrations.0004_seed_sms_code_and_offer", "seed"),
    ("benefits.migrations.0009_seed_care_right_ended_sms", "seed"),
    ("portal.accesslog.migrations.0002_grant_permissions", "grant"),
    ("portal.nosology.migrations.0002_seed_p2", "seed_and_grant"),
    ("notifications.migrations.0006_act_term_reminder_template", "seed"),
    ("mse_pilot.migrations.0002_seed_act_001", "seed_and_grant"),
    ("mse_pilot.migrations.0003_seed_sms_templates", "seed"),
    ("mse_pilot.migrations.0005_seed_programmes", "seed_and_grant"),
    ("mse_pilot.migrations.0006_seed_due_soon_template", "seed"),
    ("notifications.migrations.0007_act_result_ready_template", "seed"),
]


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in names or "live_server" in names


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (API request budgets, heartbeats). The database cache of
    the SQLite default is rolled back with each test already; Redis and memory would carry keys over."""
    from django.conf import settings
    from django.core.cache import caches

    caches["throttle"].clear()
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _no_sms_quiet_hours(settings):
    """The SMS quiet hours (22:00-08:00 Almaty) are off unless a test sets them: the clock of the machine
    running the suite must not decide whether a message is sent (tests/notifications set the same)."""
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request):
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        if not Group.objects.filter(name=Role.CITIZEN).exists():
            import importlib

            from django.apps import apps as global_apps
            from django.contrib.contenttypes.models import ContentType

            # the flush emptied the content types too: forget the ids cached before it
            ContentType.objects.clear_cache()
            for module, function in MIGRATION_SEEDS:
                getattr(importlib.import_module(module), function)(global_apps, None)


@pytest.fixture
def citizen(db):
    """A signed-up citizen: a Person with a user in the citizen group."""
    from portal.accounts.models import User

    person = PersonFactory()
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def integrator(db):
    return integrator_create(name="Test MIS", kind="mis")


@pytest.fixture
def integrator_token(integrator):
    _token, key = api_token_create(
        integrator=integrator, name="test", scopes=scope_values(integrator_kind=integrator.kind)
    )
    return key


@pytest.fixture
def api_client(integrator_token):
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {integrator_token}")
    return c


@pytest.fixture
def failing_calendar_receiver():
    """A ``calendar_changed`` receiver of another app (benefits) that writes a region and then
    breaks the database with a unique clash; connected before every other receiver."""
    from portal.territory.models import Region
    from portal.workcal.models import CalendarException
    from portal.workcal.signals import calendar_changed

    def breaks(sender, *, new_date, **kwargs):
        Region.objects.create(kato="999999999", name_ru="written by the failing receiver")
        CalendarException.objects.create(date=new_date, kind="day_off", name_ru="clash", legal_basis="x")

    breaks.__module__ = "benefits.signals"
    others = list(calendar_changed.receivers)
    calendar_changed.receivers = []
    calendar_changed.connect(breaks, dispatch_uid="tests.failing_calendar_receiver")
    calendar_changed.receivers += others
    calendar_changed.sender_receivers_cache.clear()
    yield breaks
    calendar_changed.disconnect(dispatch_uid="tests.failing_calendar_receiver")
