"""Seed the B-15 SMS: a carer's share ends when the youngest child cared for turns 8."""

from django.db import migrations

from benefits.sms import TEMPLATES, BenefitSms
from notifications.services import templates_seed, templates_unseed

KEYS = [BenefitSms.CARE_RIGHT_ENDED]


def seed(apps, schema_editor):
    templates_seed(templates=[t for t in TEMPLATES if t["key"] in KEYS], apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=KEYS, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0008_dependant_carer_work_book_and_cared_birth_date"),
        ("notifications", "0007_act_result_ready_template"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
