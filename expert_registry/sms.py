"""The expert registry's SMS (N-E3, N-E4): template keys (``ExpertSms``), the texts it seeds
(``TEMPLATES``, by ``migrations/0001_seed_sms_templates.py`` through ``notifications.services``), the
grounds of refusal in each language and a sample context of each template for the admin's preview
(registered in ``ExpertRegistryConfig.ready``).

The app has no models yet; its texts are seeded already so that staff can review them in the admin.
The Russian text of N-E4 is the law's (the expert registry's rules).
"""

from __future__ import annotations


class ExpertSms:
    DOCUMENTS_REFUSED = "expert_documents_refused"  # N-E3 (E-4)
    REFUSED = "expert_refused"  # N-E4 (E-5, E-6)


TEMPLATES = [
    {
        "key": ExpertSms.DOCUMENTS_REFUSED,
        "name": "N-E3: documents of a candidate expert not accepted",
        "rule": "E-4, N-E3",
        "placeholders": ["full_name", "reason"],
        "kk": (
            "Құрметті {full_name}! Сырттай проактивті куәландыруға қатысатын сарапшылар тізіліміне енгізу "
            "үшін берген құжаттарыңыз қабылданбады. Себебі: {reason}."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Ваши документы для включения в реестр экспертов, участвующих в "
            "заочном проактивном освидетельствовании, не приняты. Причина: {reason}."
        ),
        "en": (
            "Dear {full_name}, your documents for inclusion in the registry of experts taking part in remote "
            "proactive examination have not been accepted. Reason: {reason}."
        ),
    },
    {
        "key": ExpertSms.REFUSED,
        "name": "N-E4: refusal to include in the expert registry",
        "rule": "E-5, E-6, N-E4",
        "placeholders": ["full_name", "reasons"],
        "kk": (
            "Құрметті {full_name}! Сізді сырттай проактивті куәландыруға қатысатын сарапшылар тізіліміне "
            "енгізуден бас тартылғанын хабарлаймыз. Себебі: {reasons}."
        ),
        "ru": (
            "Уважаемый (ая) {full_name}! Уведомляем Вас об отказе на включение в реестр экспертов, "
            "участвующих в заочном проактивном освидетельствовании в связи с {reasons}."
        ),
        "en": (
            "Dear {full_name}, we inform you that you have been refused inclusion in the registry of experts "
            "taking part in remote proactive examination due to: {reasons}."
        ),
    },
]

SAMPLE_CONTEXTS: dict[str, dict[str, object]] = {
    ExpertSms.DOCUMENTS_REFUSED: {
        "full_name": "Ахметова Гульнар Сериковна",
        "reason": {
            "kk": "маман сертификатының мерзімі өткен",
            "ru": "истёк срок сертификата специалиста",
            "en": "the specialist certificate has expired",
        },
    },
    ExpertSms.REFUSED: {
        "full_name": "Ахметова Гульнар Сериковна",
        "reasons": {
            "kk": "тестілеудің теріс нәтижесі",
            "ru": "отрицательным результатом тестирования",
            "en": "a negative test result",
        },
    },
}


# N-E4's grounds of refusal (E-5, E-6), in each language, for ``context["reasons"]`` (a list of these).
EXPERT_REFUSAL_REASONS: dict[str, dict[str, str]] = {
    "test_failed": {
        "kk": "тестілеудің теріс нәтижесі",
        "ru": "отрицательным результатом тестирования",
        "en": "a negative test result",
    },
    "proctoring_failed": {
        "kk": "прокторингтің теріс нәтижесі",
        "ru": "отрицательным результатом прокторинга",
        "en": "a negative proctoring result",
    },
    "test_not_taken": {
        "kk": "хабарлама алынған күннен кейін 10 (он) күнтізбелік күн ішінде міндетті немесе қайта тестілеуден өтпеу",
        "ru": "не прохождением обязательного или повторного тестирования в течение 10 (десяти) календарных "
        "дней после дня получения уведомления",
        "en": "not taking the mandatory or repeat test within 10 (ten) calendar days after the day the notice "
        "was received",
    },
    "contract_not_signed": {
        "kk": "шартқа 3 (үш) жұмыс күні ішінде қол қоймау",
        "ru": "не подписанием договора в течение 3 (трех) рабочих дней",
        "en": "not signing the contract within 3 (three) working days",
    },
}
