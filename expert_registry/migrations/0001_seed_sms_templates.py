"""Seed the expert registry's SMS templates (expert_registry.sms.TEMPLATES) through the notifications app's service.

A template that exists is left as it is (staff may have edited it); on a database seeded before the
apps owned their texts (notifications 0002) this creates nothing.
"""

from django.db import migrations

from expert_registry.sms import TEMPLATES
from notifications.services import templates_seed, templates_unseed


def seed(apps, schema_editor):
    templates_seed(templates=TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_consent_code_template")]

    operations = [migrations.RunPython(seed, unseed)]
