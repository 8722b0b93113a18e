"""The remote pilot's SMS (item 8): template keys (``PilotSms``), the texts it seeds (``TEMPLATES``,
by ``migrations/0004_seed_sms_templates.py`` through ``notifications.services``) and a sample context
of each template for the admin's preview (registered in ``MsePilotConfig.ready``).

The act prescribes no wording: these texts are the portal's own, in the recipient's language (X-1).
"""

from __future__ import annotations


class PilotSms:
    CASE_RECEIVED = "pilot_case_received"  # item 8: the form 031/u was taken for remote examination


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

SAMPLE_CONTEXTS: dict[str, dict[str, object]] = {
    PilotSms.CASE_RECEIVED: {"full_name": "Ахметова Гульнар Сериковна"},
}
