"""Each app owns its registries: beat entries, API scopes, SMS templates and their samples; each setting
has one default, in the settings."""

from __future__ import annotations

import importlib.machinery
import sys
import types

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_celery_beat.models import PeriodicTask

from portal.accounts.scopes import register_scopes, scope_values
from portal.accounts.services import api_token_create
from portal.beat import beat_schedule
from portal.errors import ApplicationError
from tests.portal.factories import IntegratorFactory


def _fake_beat_module(monkeypatch, name: str, schedule: dict) -> None:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
    module.BEAT_SCHEDULE = schedule
    monkeypatch.setitem(sys.modules, name, module)


def test_item3_beat_collects_the_core_and_every_apps_entries():
    schedule = beat_schedule()
    assert schedule["portal: heartbeat"] == (
        "portal.heartbeat",
        {"minute": "*"},
        "every minute: worker and beat liveness",
    )
    assert schedule["notifications: dispatch due SMS"][0] == "notifications.dispatch_due"
    assert schedule["queue: annul late"] == ("queue_booking.annul_late_bookings", {"minute": "*"}, "Q-10 lateness")
    assert schedule["queue: reminders"][0] == "queue_booking.send_reminders"


def test_item3_beat_collects_an_entry_a_new_app_declares_in_its_beat_module(monkeypatch):
    _fake_beat_module(monkeypatch, "benefits.beat", {"benefits: sweep": ("benefits.sweep", {"hour": "2"}, "B-x")})
    assert beat_schedule()["benefits: sweep"] == ("benefits.sweep", {"hour": "2"}, "B-x")


def test_item3_beat_refuses_a_name_two_apps_declare(monkeypatch):
    _fake_beat_module(monkeypatch, "benefits.beat", {"queue: reminders": ("benefits.sweep", {}, "clash")})
    with pytest.raises(ImproperlyConfigured):
        beat_schedule()


@pytest.mark.django_db
def test_item3_migrate_creates_the_apps_beat_entries():
    assert PeriodicTask.objects.get(name="queue: annul late").task == "queue_booking.annul_late_bookings"
    assert PeriodicTask.objects.get(name="notifications: poll SMS statuses").task == "notifications.poll_statuses"


def test_item3_every_apps_scopes_are_collected():
    assert scope_values() == [
        "acts:read",
        "benefits:read",
        "benefits:school_notice",
        "benefits:write",
        "bookings:read",
        "bookings:write",
        "consents:write",
        "experts:read",
        "notifications:read",
        "queue:staff",
        "referrals:read",
        "referrals:write",
    ]


@pytest.mark.django_db
def test_item3_a_token_takes_an_apps_scope_and_refuses_an_unregistered_one():
    integrator = IntegratorFactory()
    token, _key = api_token_create(integrator=integrator, name="t", scopes=["queue:staff", "benefits:read"])
    assert token.scopes == ["benefits:read", "queue:staff"]
    with pytest.raises(ApplicationError) as exc:
        api_token_create(integrator=integrator, name="t2", scopes=["pilot:write"])
    assert exc.value.code == "scope_unknown"


def test_item3_a_scope_two_apps_declare_is_an_error():
    class Clash(models.TextChoices):
        BOOKINGS_READ = "bookings:read", "clash"

    with pytest.raises(ImproperlyConfigured):
        register_scopes(Clash)


@pytest.mark.django_db
def test_item3_each_app_seeds_its_own_sms_templates():
    from notifications.models import Template

    keys = set(Template.objects.values_list("key", flat=True))
    assert {
        "sign_in_code",
        "consent_code",
        "act_term_reminder",
        "act_result_ready",
        "queue_invited",
        "queue_booked",
        "queue_reminder",
        "queue_cancelled",
        "queue_annulled",
        "queue_slot_freed",
        "queue_rebook",
        "expert_documents_refused",
        "expert_refused",
        "benefit_application_accepted",
        "benefit_application_refused",
        "benefit_assignment_refused",
        "benefit_suspended",
        "benefit_disability_offered",
        "benefit_application_code",
        "benefit_proactive_offer",
        "benefit_care_right_ended",
        "pilot_case_received",
        "pilot_expert_due_soon",
    } == keys


def test_item3_the_seed_of_notifications_holds_only_the_cores_texts():
    module = importlib.import_module("notifications.migrations.0002_seed_templates")
    assert [t["key"] for t in module.TEMPLATES] == ["sign_in_code"]


@pytest.mark.django_db
def test_item3_templates_seed_leaves_an_edited_template_alone():
    from notifications.models import Template
    from notifications.services import templates_seed

    Template.objects.filter(key="queue_booked").update(text_ru="edited {full_name}")
    created = templates_seed(templates=importlib.import_module("queue_booking.sms").TEMPLATES)
    assert created == []
    assert Template.objects.get(key="queue_booked").text_ru == "edited {full_name}"


@pytest.mark.django_db
def test_item3_a_queue_setting_has_one_default_in_the_settings(settings):
    import datetime as dt

    from queue_booking.services.desk import late_after

    booking = types.SimpleNamespace(starts_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC))
    settings.QUEUE_LATE_MINUTES = 20
    assert late_after(booking) == dt.datetime(2026, 3, 5, 10, 20, tzinfo=dt.UTC)
    # no second default hidden in the app: without the setting, the app does not guess
    del settings.QUEUE_LATE_MINUTES
    with pytest.raises(AttributeError):
        late_after(booking)
