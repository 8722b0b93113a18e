"""Seed the expert's due-soon SMS (X-6, mse_pilot.sms.DUE_SOON_TEMPLATES) through the notifications
app's service. A template that exists is left as it is (staff may have edited it)."""

from django.db import migrations

from mse_pilot.sms import DUE_SOON_TEMPLATES
from notifications.services import templates_seed, templates_unseed


def seed(apps, schema_editor):
    templates_seed(templates=DUE_SOON_TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in DUE_SOON_TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("mse_pilot", "0005_seed_programmes")]

    operations = [migrations.RunPython(seed, unseed)]
