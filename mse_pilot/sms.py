"""The remote pilot's SMS (item 8): template keys (``PilotSms``), the texts it seeds (``TEMPLATES``,
by ``migrations/0004_seed_sms_templates.py`` through ``notifications.services``) and a sample context
of each template for the admin's preview (registered in ``MsePilotConfig.ready``).

The act prescribes no wording: these texts are the portal's own, in the recipient's language (X-1).
"""

from __future__ import annotations


class PilotSms:
    CASE_RECEIVED = "pilot_case_received"  # item 8: the form 031/u was taken for remote examination
    EXPERT_DUE_SOON = "pilot_expert_due_soon"  # an assigned case is due soon (to the expert)


TEMPLATES = [
    {
        "key": PilotSms.CASE_RECEIVED,
        "name": "Remote pilot: case received for remote examination",
        "rule": "P-6, item 8",
        "placeholders": ["full_name"],
        "kk": (
            "Құрметті {full_name}! Сіздің медициналық-әлеуметтік сараптамаға жолдамаңыз сырттай "
            "проактивті куәландыруға қабылданды. Сараптама бөліміне келудің қажеті жоқ; нәтижесі "
            "туралы SMS арқылы хабарлаймыз."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Ваше направление на медико-социальную экспертизу принято для "
            "заочного проактивного освидетельствования. Приходить в отдел МСЭ не нужно; о результате "
            "мы сообщим по SMS."
        ),
        "en": (
            "Dear {full_name}, your referral to medical-social expertise has been received for remote "
            "proactive examination. You do not need to visit the MSE department; we will tell you the "
            "result by SMS."
        ),
    },
]

# seeded by ``migrations/0005_seed_due_soon_template.py``.
DUE_SOON_TEMPLATES = [
    {
        "key": PilotSms.EXPERT_DUE_SOON,
        "name": "Remote pilot: an assigned case is due soon (to the expert)",
        "rule": "X-6, P-7, E-9",
        "placeholders": ["case", "due"],
        "kk": "Сырттай МӘС: {case} ісі бойынша қорытынды {due} дейін берілуі тиіс. Мерзім жақындап қалды.",
        "ru": "Заочная МСЭ: заключение по делу {case} нужно дать до {due}. Срок истекает.",
        "en": "Remote MSE: your conclusion on case {case} is due by {due}. The deadline is close.",
    },
]

SAMPLE_CONTEXTS: dict[str, dict[str, object]] = {
    PilotSms.CASE_RECEIVED: {"full_name": "Ахметова Гульнар Сериковна"},
    PilotSms.EXPERT_DUE_SOON: {"case": "01J9Z8Y7X6W5V4T3S2R1Q0P9N8", "due": "26.03.2026 18:00"},
}
