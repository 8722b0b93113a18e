"""Seed the SMS of the shared core's register of MSE acts (X-10): a person whose disability term ends
soon is reminded to get a new form 031/u in time for re-examination. The key is
``portal.acts.services.REMINDER_TEMPLATE``; the core cannot seed through this app itself (apps
depend on the core, never the reverse), so its texts are seeded here, as the consent code's are."""

from django.db import migrations

from notifications.services import templates_seed, templates_unseed

TEMPLATES = [
    {
        "key": "act_term_reminder",
        "name": "X-10: disability term ends soon, get a new form 031/u",
        "rule": "X-10",
        "placeholders": ["full_name", "act_number", "group", "term_until"],
        "kk": (
            "Құрметті {full_name}! МӘС актісі № {act_number} бойынша мүгедектігіңіздің ({group} топ) мерзімі "
            "{term_until} аяқталады. Қайта куәландыру үшін емханадан 031/у нысанындағы жаңа жолдаманы "
            "алдын ала алыңыз: ол бір ай жарамды."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Срок инвалидности ({group} группа) по акту МСЭ № {act_number} истекает "
            "{term_until}. Для переосвидетельствования заранее получите в поликлинике новое направление по "
            "форме 031/у: оно действует один месяц."
        ),
        "en": (
            "Dear {full_name}, your disability (group {group}) under MSE act No. {act_number} ends on "
            "{term_until}. For re-examination, get a new referral (form 031/u) from your clinic in time: "
            "it is valid for one month."
        ),
    },
]


def seed(apps, schema_editor):
    templates_seed(templates=TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_consent_code_template")]

    operations = [migrations.RunPython(seed, unseed)]
