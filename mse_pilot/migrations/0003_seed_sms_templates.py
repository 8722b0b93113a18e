"""Seed the remote pilot's SMS templates (mse_pilot.sms.TEMPLATES) through the notifications app's service.

A template that exists is left as it is (staff may have edited it)."""

from django.db import migrations

from mse_pilot.sms import TEMPLATES
from notifications.services import templates_seed, templates_unseed


def seed(apps, schema_editor):
    templates_seed(templates=TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("mse_pilot", "0002_seed_act_001"), ("notifications", "0005_consent_code_template")]

    operations = [migrations.RunPython(seed, unseed)]
