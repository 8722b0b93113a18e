"""Seed the SMS of the consent code (X-8, Q-12): a one-time code an integrator asked the portal to
send to the person's registered phone, so that the person, and not the integrator, gives consent.
The key is ``portal.consent.services.CONSENT_CODE_TEMPLATE``."""

from django.db import migrations

TEMPLATES = [
    {
        "key": "consent_code",
        "name": "Consent code (X-8)",
        "rule": "Q-12, X-8",
        "placeholders": ["code", "minutes", "integrator"],
        "urgent": True,
        "sensitive": True,
        "kk": (
            "МӘС үшін дербес деректеріңізді өңдеуге келісім коды: {code}. Сұраған: {integrator}. "
            "{minutes} минут жарамды. Келіссеңіз ғана кодты айтыңыз."
        ),
        "ru": (
            "Код согласия на обработку ваших персональных данных для МСЭ: {code}. Запросил: {integrator}. "
            "Действует {minutes} мин. Сообщайте код, только если согласны."
        ),
        "en": (
            "Code to consent to the processing of your personal data for MSE: {code}. Requested by "
            "{integrator}. Valid for {minutes} min. Share it only if you agree."
        ),
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
                "urgent": data["urgent"],
                "sensitive": data["sensitive"],
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
    dependencies = [("notifications", "0004_message_subject_integrator")]

    operations = [migrations.RunPython(seed, unseed)]
