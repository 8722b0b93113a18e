"""The benefits' SMS (B-3, B-8, B-10): template keys (``BenefitSms``), the texts it seeds
(``TEMPLATES``, by ``migrations/0001_seed_sms_templates.py`` through ``notifications.services``) and a
sample context of each template for the admin's preview (registered in ``BenefitsConfig.ready``).

The texts of 0001 are seeded by it; the code and the proactive offer by ``0004_seed_sms_code_and_offer``.
"""

from __future__ import annotations

from typing import Any


class BenefitSms:
    APPLICATION_ACCEPTED = "benefit_application_accepted"  # B-3, B-8
    APPLICATION_REFUSED = "benefit_application_refused"  # B-3, B-10
    APPLICATION_CODE = "benefit_application_code"  # B-1: the portal application's confirmation code
    PROACTIVE_OFFER = "benefit_proactive_offer"  # B-1: the proactive service's offer, answered by its link


TEMPLATES: list[dict[str, Any]] = [
    {
        "key": BenefitSms.APPLICATION_ACCEPTED,
        "name": "Benefit application accepted",
        "rule": "B-3, B-8",
        "placeholders": ["full_name", "benefit", "number"],
        "kk": (
            "Құрметті {full_name}! «{benefit}» тағайындау туралы өтінішіңіз қабылданды, нөмірі {number}. "
            "Қарау барысын жеке кабинеттен көре аласыз."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Ваше заявление на назначение «{benefit}» принято, номер {number}. "
            "Ход рассмотрения — в личном кабинете."
        ),
        "en": (
            'Dear {full_name}, your application for "{benefit}" has been accepted, number {number}. '
            "Follow it in your personal account."
        ),
    },
    {
        "key": BenefitSms.APPLICATION_REFUSED,
        "name": "Benefit application not accepted",
        "rule": "B-3, B-10",
        "placeholders": ["full_name", "benefit", "reason"],
        "kk": (
            "Құрметті {full_name}! «{benefit}» тағайындау туралы өтінішті қабылдаудан бас тартылды. "
            "Себебі: {reason}. Себеп жойылғаннан кейін өтінішті қайта бере аласыз."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! В приёме заявления на назначение «{benefit}» отказано. "
            "Причина: {reason}. После устранения причины Вы можете подать заявление повторно."
        ),
        "en": (
            'Dear {full_name}, your application for "{benefit}" has not been accepted. Reason: {reason}. '
            "Once the cause is removed, you may apply again."
        ),
    },
]

TEMPLATES += [
    {
        "key": BenefitSms.APPLICATION_CODE,
        "name": "Benefit application confirmation code",
        "rule": "B-1",
        "placeholders": ["code", "benefit", "minutes"],
        "urgent": True,
        "sensitive": True,
        "kk": (
            "«{benefit}» тағайындау туралы өтінішті растау коды: {code}. Код {minutes} минут жарамды. "
            "Кодты ешкімге айтпаңыз."
        ),
        "ru": (
            "Код подтверждения заявления на «{benefit}»: {code}. Код действует {minutes} минут. "
            "Никому не сообщайте код."
        ),
        "en": 'Code to confirm your application for "{benefit}": {code}. Valid {minutes} minutes. Tell nobody.',
    },
    {
        "key": BenefitSms.PROACTIVE_OFFER,
        "name": "Proactive benefit offer",
        "rule": "B-1",
        "placeholders": ["full_name", "benefit", "link"],
        "sensitive": True,
        "kk": ("Құрметті {full_name}! Сізге «{benefit}» тағайындау ұсынылады. Келісу немесе бас тарту: {link}"),
        "ru": (
            "Уважаемый(ая) {full_name}! Вам предлагается назначение «{benefit}». Согласиться или отказаться: {link}"
        ),
        "en": 'Dear {full_name}, you are offered "{benefit}". To agree or decline: {link}',
    },
]

SAMPLE_CONTEXTS: dict[str, dict[str, object]] = {
    BenefitSms.APPLICATION_ACCEPTED: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы",
            "ru": "государственное социальное пособие по инвалидности",
            "en": "state social disability benefit",
        },
        "number": "B-2026-000123",
    },
    BenefitSms.APPLICATION_REFUSED: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "жерлеуге арналған біржолғы төлем",
            "ru": "единовременная выплата на погребение",
            "en": "one-time funeral payment",
        },
        "reason": {
            "kk": "өтініш қайтыс болған күннен бастап үш жылдан кейін берілген",
            "ru": "заявление подано позже трёх лет со дня смерти",
            "en": "the application was filed more than three years after the death",
        },
    },
    BenefitSms.APPLICATION_CODE: {
        "code": "482913",
        "minutes": 10,
        "benefit": {
            "kk": "жерлеуге арналған біржолғы төлем",
            "ru": "единовременная выплата на погребение",
            "en": "one-time funeral payment",
        },
    },
    BenefitSms.PROACTIVE_OFFER: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "жерлеуге арналған біржолғы төлем",
            "ru": "единовременная выплата на погребение",
            "en": "one-time funeral payment",
        },
        "link": "https://portal.example.kz/benefits/offers/eyJvIjoiM2Q5YSJ9:1v2x3y/",
    },
}
