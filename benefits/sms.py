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
    DISABILITY_OFFERED = "benefit_disability_offered"  # S-7, B-12
    ASSIGNMENT_REFUSED = "benefit_assignment_refused"  # B-10, B-11
    BENEFIT_SUSPENDED = "benefit_suspended"  # B-16
    CARE_RIGHT_ENDED = "benefit_care_right_ended"  # B-15: the youngest child cared for turned 8
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

# S-7, B-10, B-11, B-16: seeded by migrations/0005_seed_disability_survivor.py
DISABILITY_SURVIVOR_TEMPLATES = [
    {
        "key": BenefitSms.DISABILITY_OFFERED,
        "name": "Disability benefits offered after the MSE act",
        "rule": "S-7, B-12",
        "placeholders": ["full_name", "act_number"],
        "kk": (
            "Құрметті {full_name}! МӘС актісі {act_number} бойынша мүгедектігі бойынша жәрдемақыларды тағайындауға "
            "бір өтініш беруге болады. Жеке кабинетте жәрдемақыларды таңдап, келісіміңізді беріңіз."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! По акту МСЭ {act_number} Вы можете подать одно заявление на назначение "
            "пособий по инвалидности. Выберите пособия и дайте согласие в личном кабинете."
        ),
        "en": (
            "Dear {full_name}, under MSE act {act_number} you may file one application for the disability "
            "benefits. Choose them and give your consent in your personal account."
        ),
    },
    {
        "key": BenefitSms.ASSIGNMENT_REFUSED,
        "name": "Benefit refused, with the ground, how to apply again and where to complain",
        "rule": "B-10, B-11",
        "placeholders": ["full_name", "benefit", "number", "reason"],
        "kk": (
            "Құрметті {full_name}! {number} өтініш бойынша «{benefit}» тағайындаудан бас тартылды. Негізі: {reason}. "
            "Себеп жойылғаннан кейін қайта жүгінуге болады. Нәтижемен келіспесеңіз, мемлекеттік қызметтер көрсету "
            "сапасын бағалау және бақылау жөніндегі уәкілетті органға шағым бере аласыз."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! По заявлению {number} в назначении «{benefit}» отказано. Основание: {reason}. "
            "После устранения причины Вы можете обратиться повторно. Если Вы не согласны с результатом, "
            "обжалуйте его в уполномоченном органе по оценке и контролю за качеством оказания государственных услуг."
        ),
        "en": (
            'Dear {full_name}, under application {number} the "{benefit}" has been refused. Ground: {reason}. '
            "Once the cause is removed you may apply again. If you disagree, you may complain to the authority "
            "for assessing and controlling the quality of public services."
        ),
    },
    {
        "key": BenefitSms.BENEFIT_SUSPENDED,
        "name": "Survivor benefit share suspended on the school's notice",
        "rule": "B-16",
        "placeholders": ["full_name", "benefit", "date"],
        "kk": (
            "Құрметті {full_name}! Оқу орнының хабарламасы бойынша «{benefit}» төлеу {date} бастап тоқтатыла тұрды."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! По сообщению учебного заведения выплата «{benefit}» приостановлена с {date}."
        ),
        "en": 'Dear {full_name}, on the school\'s notice the payment of "{benefit}" is suspended from {date}.',
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

TEMPLATES += [
    {
        "key": BenefitSms.CARE_RIGHT_ENDED,
        "name": "Carer's share of the survivor benefit ended: the youngest child cared for turned 8",
        "rule": "B-15",
        "placeholders": ["full_name", "benefit", "date"],
        "kk": (
            "Құрметті {full_name}! Күтім жасалатын ең кіші бала сегіз жасқа толды: күтім жасаушының "
            "«{benefit}» алу құқығы тоқтады, төлем {date} бастап тоқтатылды."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Младшему ребёнку, за которым осуществлялся уход, исполнилось восемь лет: "
            "право лица, осуществляющего уход, на «{benefit}» прекратилось, выплата прекращена с {date}."
        ),
        "en": (
            'Dear {full_name}, the youngest child cared for has turned 8: the carer\'s right to "{benefit}" '
            "has ended and the payment stops from {date}."
        ),
    },
]

SAMPLE_CONTEXTS: dict[str, dict[str, object]] = {
    BenefitSms.DISABILITY_OFFERED: {"full_name": "Сериков Ерлан Маратович", "act_number": "11-3-2026-00042"},
    BenefitSms.ASSIGNMENT_REFUSED: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы",
            "ru": "государственное социальное пособие по инвалидности",
            "en": "state social disability benefit",
        },
        "number": "D-2026-000123",
        "reason": {
            "kk": "ұсынылған құжаттардың дұрыс еместігі белгіленді",
            "ru": "установлена недостоверность представленных документов",
            "en": "the documents submitted are established to be unreliable",
        },
    },
    BenefitSms.BENEFIT_SUSPENDED: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы",
            "ru": "государственное социальное пособие по случаю потери кормильца",
            "en": "state social benefit for loss of breadwinner",
        },
        "date": "01.09.2026",
    },
    BenefitSms.CARE_RIGHT_ENDED: {
        "full_name": "Сериков Ерлан Маратович",
        "benefit": {
            "kk": "асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы",
            "ru": "государственное социальное пособие по случаю потери кормильца",
            "en": "state social benefit for loss of breadwinner",
        },
        "date": "15.03.2026",
    },
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
