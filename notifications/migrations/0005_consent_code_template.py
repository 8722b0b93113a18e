"""Seed the SMS of the consent code (X-8, Q-12): a one-time code an integrator asked the portal to
send to the person's registered phone, so that the person, and not the integrator, gives consent.
The key is ``portal.consent.services.CONSENT_CODE_TEMPLATE``."""

from django.db import migrations

from notifications.services import templates_seed, templates_unseed

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
    templates_seed(templates=TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_message_subject_integrator")]

    operations = [migrations.RunPython(seed, unseed)]
