"""The queue's SMS: the template keys its services send (``QueueSms``), the texts it seeds
(``TEMPLATES``, by ``migrations/0005_seed_sms_templates.py`` through ``notifications.services``) and a
sample context of each for the admin's preview (registered in ``QueueBookingConfig.ready``).

The Russian texts of N-Q1..N-Q4 are the law's (the queue pilot's algorithm), with ФИО, the link,
department, date, time, address and ticket as placeholders; the Kazakh and English texts say the
same. Staff edit them in the admin (versioned); the seed never overwrites an edited text.
"""

from __future__ import annotations

import datetime as dt


class QueueSms:
    INVITED = "queue_invited"  # N-Q1
    BOOKED = "queue_booked"  # N-Q2
    REMINDER = "queue_reminder"  # N-Q2 again
    CANCELLED = "queue_cancelled"  # N-Q3
    ANNULLED = "queue_annulled"  # N-Q4
    SLOT_FREED = "queue_slot_freed"
    REBOOK = "queue_rebook"  # a closure cancelled the booking


TEMPLATES = [
    {
        "key": QueueSms.INVITED,
        "name": "N-Q1: documents checked, please book",
        "rule": "Q-4, N-Q1",
        "placeholders": ["full_name", "link"],
        "kk": (
            "Құрметті {full_name}! Сіздің медициналық құжаттарыңыз тексеруден өтті, "
            'медициналық-әлеуметтік сараптама бөліміне куәландыруға "{link}" сілтемесі бойынша '
            "жазылуыңызды сұраймыз."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Ваши медицинские документы прошли проверку, просим записаться "
            'на освидетельствование в отдел медико-социальной экспертизы по ссылке "{link}".'
        ),
        "en": (
            "Dear {full_name}, your medical documents have been checked. Please book an examination at "
            'the medical-social expertise department at "{link}".'
        ),
    },
    {
        "key": QueueSms.BOOKED,
        "name": "N-Q2: booked",
        "rule": "Q-7, N-Q2",
        "placeholders": ["full_name", "department_number", "date", "time", "address", "ticket", "link"],
        "kk": (
            "Құрметті {full_name}! Сіз № {department_number} медициналық-әлеуметтік сараптама бөліміне "
            "куәландыруға жазылдыңыз: күні {date}, уақыты {time}, мекенжайы {address}, талон нөмірі {ticket}. "
            'Жазылудан "жеке кабинетте" "{link}" бас тарта аласыз.'
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Вы записаны на освидетельствование в отдел медико-социальной "
            "экспертизы № {department_number} дата {date}, время {time} по адресу {address}, номер талона "
            '{ticket}. Вы можете отменить свою запись в "личном кабинете" "{link}".'
        ),
        "en": (
            "Dear {full_name}, you are booked for an examination at medical-social expertise department "
            "No. {department_number} on {date} at {time}, address: {address}, ticket No. {ticket}. You can "
            'cancel the booking in your personal account "{link}".'
        ),
    },
    {
        "key": QueueSms.REMINDER,
        "name": "N-Q2 again: reminder three days before",
        "rule": "Q-8, N-Q2",
        "placeholders": ["full_name", "department_number", "date", "time", "address", "ticket", "link"],
        "kk": (
            "Құрметті {full_name}! Сіз № {department_number} медициналық-әлеуметтік сараптама бөліміне "
            "куәландыруға жазылдыңыз: күні {date}, уақыты {time}, мекенжайы {address}, талон нөмірі {ticket}. "
            'Жазылудан "жеке кабинетте" "{link}" бас тарта аласыз.'
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Вы записаны на освидетельствование в отдел медико-социальной "
            "экспертизы № {department_number} дата {date}, время {time} по адресу {address}, номер талона "
            '{ticket}. Вы можете отменить свою запись в "личном кабинете" "{link}".'
        ),
        "en": (
            "Dear {full_name}, you are booked for an examination at medical-social expertise department "
            "No. {department_number} on {date} at {time}, address: {address}, ticket No. {ticket}. You can "
            'cancel the booking in your personal account "{link}".'
        ),
    },
    {
        "key": QueueSms.CANCELLED,
        "name": "N-Q3: booking cancelled by the recipient",
        "rule": "Q-9, N-Q3",
        "placeholders": ["full_name", "department_number", "date", "time", "address"],
        "kk": (
            "Құрметті {full_name}! Сіз № {department_number} медициналық-әлеуметтік сараптама бөліміне "
            "куәландыруға жазылудан бас тарттыңыз: күні {date}, уақыты {time}, мекенжайы {address}."
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Вы отменили запись на освидетельствование в отдел медико-социальной "
            "экспертизы № {department_number} дата {date}, время {time} по адресу {address}."
        ),
        "en": (
            "Dear {full_name}, you have cancelled your booking for an examination at medical-social "
            "expertise department No. {department_number} on {date} at {time}, address: {address}."
        ),
    },
    {
        "key": QueueSms.ANNULLED,
        "name": "N-Q4: booking annulled (no-show)",
        "rule": "Q-10, N-Q4",
        "placeholders": ["full_name", "link"],
        "kk": (
            "Құрметті {full_name}! Белгіленген уақытта куәландыруға келмеуіңізге байланысты "
            "медициналық-әлеуметтік сараптама бөліміне куәландыруға жазылуыңыз жойылды. Куәландыруға "
            '"жеке кабинетте" "{link}" сілтемесі бойынша қайта жазыла аласыз.'
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! Ваша запись на освидетельствование в отдел медико-социальной "
            "экспертизы аннулирована в связи с Вашей неявкой на освидетельствование в назначенное время. "
            'Вы можете вновь записаться на освидетельствование в "личном кабинете" по ссылке "{link}".'
        ),
        "en": (
            "Dear {full_name}, your booking for an examination at the medical-social expertise department "
            "has been annulled because you did not come at the appointed time. You can book again in your "
            'personal account at "{link}".'
        ),
    },
    {
        "key": QueueSms.SLOT_FREED,
        "name": "A freed place is offered",
        "rule": "X-3",
        "placeholders": ["full_name", "department_number", "date", "time", "link"],
        "kk": (
            "Құрметті {full_name}! № {department_number} медициналық-әлеуметтік сараптама бөлімінде орын "
            'босады: күні {date}, уақыты {time}. "Жеке кабинетте" "{link}" сілтемесі бойынша жазыла аласыз.'
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! В отделе медико-социальной экспертизы № {department_number} "
            'освободилось место: дата {date}, время {time}. Записаться можно в "личном кабинете" по ссылке '
            '"{link}".'
        ),
        "en": (
            "Dear {full_name}, a place has become free at medical-social expertise department "
            'No. {department_number} on {date} at {time}. You can book it in your personal account at "{link}".'
        ),
    },
    {
        "key": QueueSms.REBOOK,
        "name": "Booking moved: the department closed the day",
        "rule": "Q-3",
        "placeholders": ["full_name", "department_number", "date", "time", "link"],
        "kk": (
            "Құрметті {full_name}! № {department_number} медициналық-әлеуметтік сараптама бөлімінде Сізге "
            "белгіленген күні қабылдау болмайды. Жазылуыңыз ауыстырылды: күні {date}, уақыты {time}. "
            'Жазылуды "жеке кабинетте" "{link}" өзгертуге немесе одан бас тартуға болады.'
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! В назначенный Вам день приём в отделе медико-социальной экспертизы "
            "№ {department_number} не проводится. Ваша запись перенесена: дата {date}, время {time}. "
            'Изменить или отменить запись можно в "личном кабинете" по ссылке "{link}".'
        ),
        "en": (
            "Dear {full_name}, medical-social expertise department No. {department_number} does not receive "
            "on your booked day. Your booking has been moved to {date} at {time}. You can change or cancel it "
            'in your personal account at "{link}".'
        ),
    },
]

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
    QueueSms.INVITED: {"full_name": _BOOKING["full_name"], "link": _BOOKING["link"]},
    QueueSms.BOOKED: _BOOKING,
    QueueSms.REMINDER: _BOOKING,
    QueueSms.CANCELLED: {k: _BOOKING[k] for k in ("full_name", "department_number", "date", "time", "address")},
    QueueSms.ANNULLED: {"full_name": _BOOKING["full_name"], "link": _BOOKING["link"]},
    QueueSms.SLOT_FREED: {k: _BOOKING[k] for k in ("full_name", "department_number", "date", "time", "link")},
    QueueSms.REBOOK: {k: _BOOKING[k] for k in ("full_name", "department_number", "date", "time", "link")},
}
