"""The templates the portal knows: keys other apps call ``notify`` with, and a sample context each.

The texts themselves are data (seeded by a migration, edited in the admin); this module holds what
code relies on: the keys and the sample values the admin preview renders.
"""

from __future__ import annotations

import datetime as dt


class TemplateKey:
    SIGN_IN_CODE = "sign_in_code"
    CONSENT_CODE = "consent_code"  # portal.consent.services.CONSENT_CODE_TEMPLATE
    QUEUE_INVITED = "queue_invited"  # N-Q1
    QUEUE_BOOKED = "queue_booked"  # N-Q2
    QUEUE_REMINDER = "queue_reminder"  # N-Q2 again
    QUEUE_CANCELLED = "queue_cancelled"  # N-Q3
    QUEUE_ANNULLED = "queue_annulled"  # N-Q4
    QUEUE_SLOT_FREED = "queue_slot_freed"
    QUEUE_REBOOK = "queue_rebook"
    EXPERT_DOCUMENTS_REFUSED = "expert_documents_refused"  # N-E3 (E-4)
    EXPERT_REFUSED = "expert_refused"  # N-E4 (E-5, E-6)
    BENEFIT_APPLICATION_ACCEPTED = "benefit_application_accepted"  # B-3, B-8
    BENEFIT_APPLICATION_REFUSED = "benefit_application_refused"  # B-3, B-10


_BOOKING = {
    "full_name": "Сериков Ерлан Маратович",
    "department_number": 3,
    "date": dt.date(2026, 3, 5),
    "time": dt.time(10, 0),
    "address": "Кокшетау, ул. Абая, 10, каб. 5",
    "ticket": "A-017",
    "link": "https://mse.example.kz/queue/",
}

SAMPLE_CONTEXTS: dict[str, dict] = {
    TemplateKey.SIGN_IN_CODE: {"code": "123456", "minutes": 5},
    TemplateKey.CONSENT_CODE: {"code": "482913", "minutes": 10, "integrator": "МИС Дамумед"},
    TemplateKey.QUEUE_INVITED: {"full_name": _BOOKING["full_name"], "link": _BOOKING["link"]},
    TemplateKey.QUEUE_BOOKED: _BOOKING,
    TemplateKey.QUEUE_REMINDER: _BOOKING,
    TemplateKey.QUEUE_CANCELLED: {
        k: _BOOKING[k] for k in ("full_name", "department_number", "date", "time", "address")
    },
    TemplateKey.QUEUE_ANNULLED: {"full_name": _BOOKING["full_name"], "link": _BOOKING["link"]},
    TemplateKey.QUEUE_SLOT_FREED: {k: _BOOKING[k] for k in ("full_name", "department_number", "date", "time", "link")},
    TemplateKey.QUEUE_REBOOK: {k: _BOOKING[k] for k in ("full_name", "department_number", "date", "time", "link")},
    TemplateKey.EXPERT_DOCUMENTS_REFUSED: {
        "full_name": "Ахметова Гульнар Сериковна",
        "reason": {
            "kk": "маман сертификатының мерзімі өткен",
            "ru": "истёк срок сертификата специалиста",
            "en": "the specialist certificate has expired",
        },
    },
    TemplateKey.EXPERT_REFUSED: {
        "full_name": "Ахметова Гульнар Сериковна",
        "reasons": {
            "kk": "тестілеудің теріс нәтижесі",
            "ru": "отрицательным результатом тестирования",
            "en": "a negative test result",
        },
    },
    TemplateKey.BENEFIT_APPLICATION_ACCEPTED: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы",
            "ru": "государственное социальное пособие по инвалидности",
            "en": "state social disability benefit",
        },
        "number": "B-2026-000123",
    },
    TemplateKey.BENEFIT_APPLICATION_REFUSED: {
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
