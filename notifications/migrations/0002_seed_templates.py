"""Seed the core's SMS template (the sign-in code) in kk, ru and en.

The core cannot import this app, so its texts (this one and the consent code, 0005) are seeded here.
Every app seeds its own texts from its own module through ``notifications.services.templates_seed``
(the queue: ``queue_booking/sms.py`` and its migration). Staff edit them later in the admin (versioned).
"""

from django.db import migrations

from notifications.services import templates_seed, templates_unseed

TEMPLATES = [
    {
        "key": "sign_in_code",
        "name": "Sign-in code",
        "rule": "",
        "placeholders": ["code", "minutes"],
        "urgent": True,
        "sensitive": True,
        "kk": "МӘС порталына кіру коды: {code}. {minutes} минут жарамды. Кодты ешкімге айтпаңыз.",
        "ru": "Код для входа на портал МСЭ: {code}. Действует {minutes} мин. Никому не сообщайте код.",
        "en": "Your MSE portal sign-in code: {code}. Valid for {minutes} min. Do not share it with anyone.",
    },
]


def seed(apps, schema_editor):
    templates_seed(templates=TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
