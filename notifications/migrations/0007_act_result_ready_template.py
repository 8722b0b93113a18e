"""Seed the SMS of the shared core's register of MSE acts (S-5): the documents of an examination are
in the cabinet. The key is ``portal.acts.services.RESULT_READY_TEMPLATE``; the core cannot seed
through this app itself (apps depend on the core, never the reverse), so its texts are seeded here."""

from django.db import migrations

from notifications.services import templates_seed, templates_unseed

TEMPLATES = [
    {
        "key": "act_result_ready",
        "name": "S-5: the result of the MSE is in the cabinet",
        "rule": "S-5",
        "placeholders": ["full_name", "act_number"],
        "kk": (
            "{full_name}: медициналық-әлеуметтік сараптаманың нәтижесі дайын (акт № {act_number}). "
            "Құжаттарды порталдағы жеке кабинеттен қараңыз және басып шығарыңыз."
        ),
        "ru": (
            "{full_name}: результат медико-социальной экспертизы готов (акт № {act_number}). "
            "Документы смотрите и распечатайте в личном кабинете на портале."
        ),
        "en": (
            "{full_name}: your MSE result is ready (act No. {act_number}). "
            "See and print the documents in your cabinet on the portal."
        ),
    },
]


def seed(apps, schema_editor):
    templates_seed(templates=TEMPLATES, apps=apps)


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_act_term_reminder_template")]

    operations = [migrations.RunPython(seed, unseed)]
