"""Seed the core's SMS template (the sign-in code) in kk, ru and en.

The core cannot import this app, so its texts (this one and the consent code, 0005) are seeded here.
Every app seeds its own texts from its own module through ``notifications.services.templates_seed``
(the queue: ``queue_booking/sms.py`` and its migration). Staff edit them later in the admin (versioned).
"""

from django.db import migrations

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
    Template = apps.get_model("notifications", "Template")
    TemplateVersion = apps.get_model("notifications", "TemplateVersion")
    for data in TEMPLATES:
        template, created = Template.objects.get_or_create(
            key=data["key"],
            defaults={
                "name": data["name"],
                "rule": data["rule"],
                "placeholders": data["placeholders"],
                "urgent": data.get("urgent", False),
                "sensitive": data.get("sensitive", False),
                "text_kk": data["kk"],
                "text_ru": data["ru"],
                "text_en": data["en"],
                "version": 1,
            },
        )
        if created:
            TemplateVersion.objects.create(
                template=template, version=1, text_kk=data["kk"], text_ru=data["ru"], text_en=data["en"]
            )


def unseed(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    Template.objects.filter(key__in=[t["key"] for t in TEMPLATES], messages__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
