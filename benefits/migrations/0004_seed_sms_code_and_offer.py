"""Seed the benefits' B-1 SMS: the portal application's confirmation code and the proactive offer."""

from django.db import migrations

from benefits.sms import BenefitSms, TEMPLATES
from notifications.services import templates_seed, templates_unseed

KEYS = [BenefitSms.APPLICATION_CODE, BenefitSms.PROACTIVE_OFFER]


def seed(apps, schema_editor):
    templates_seed(templates=[t for t in TEMPLATES if t["key"] in KEYS], apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=KEYS, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0003_seed_rates"), ("notifications", "0005_consent_code_template")]

    operations = [migrations.RunPython(seed, unseed)]
