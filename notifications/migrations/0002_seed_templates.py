"""Seed the SMS templates in kk, ru and en.

The Russian texts of N-Q1..N-Q4 and N-E4 are the law's (the queue pilot's algorithm and the expert
registry's rules), with ФИО, the link, department, date, time, address and ticket as placeholders;
the Kazakh and English texts say the same. Staff edit them later in the admin (versioned).
"""

from django.db import migrations

TEMPLATES = [
    {
        "key": "sign_in_code",
        "name": "Sign-in code",
        "rule": "",
        "placeholders": ["code", "minutes"],
        "urgent": True,
        "sensitive": True,
        "kk": "МӘС порталына кіру коды: {code}. {minutes} минут жарамды. Кодты ешкімге айтпаңыз.",
        "ru": "Код для входа на портал МСЭ: {code}. Действует {minutes} мин. Никому не сообщайте код.",
        "en": "Your MSE portal sign-in code: {code}. Valid for {minutes} min. Do not share it with anyone.",
    },
    {
        "key": "queue_invited",
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
        "key": "queue_booked",
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
        "key": "queue_reminder",
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
        "key": "queue_cancelled",
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
        "key": "queue_annulled",
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
        "key": "queue_slot_freed",
        "name": "A freed place is offered",
        "rule": "X-3",
        "placeholders": ["full_name", "department_number", "date", "time", "link"],
        "kk": (
            "Құрметті {full_name}! № {department_number} медициналық-әлеуметтік сараптама бөлімінде орын "
            'босады: күні {date}, уақыты {time}. "Жеке кабинетте" "{link}" сілтемесі бойынша жазыла аласыз.'
        ),
        "ru": (
            "Уважаемый(ая) {full_name}! В отделе медико-социальной экспертизы № {department_number} "
            "освободилось место: дата {date}, время {time}. Записаться можно в \"личном кабинете\" по ссылке "
            '"{link}".'
        ),
        "en": (
            "Dear {full_name}, a place has become free at medical-social expertise department "
            'No. {department_number} on {date} at {time}. You can book it in your personal account at "{link}".'
        ),
    },
    {
        "key": "queue_rebook",
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
    {
        "key": "expert_documents_refused",
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
        "key": "expert_refused",
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
    {
        "key": "benefit_application_accepted",
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
        "key": "benefit_application_refused",
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


def seed(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    TemplateVersion = apps.get_model("notifications", "TemplateVersion")
    for data in TEMPLATES:
        template, created = Template.objects.get_or_create(
            key=data["key"],
            defaults={
                "name": data["name"],
                "rule": data["rule"],
                "placeholders": data["placeholders"],
                "urgent": data.get("urgent", False),
                "sensitive": data.get("sensitive", False),
                "text_kk": data["kk"],
                "text_ru": data["ru"],
                "text_en": data["en"],
                "version": 1,
            },
        )
        if created:
            TemplateVersion.objects.create(
                template=template, version=1, text_kk=data["kk"], text_ru=data["ru"], text_en=data["en"]
            )


def unseed(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    Template.objects.filter(key__in=[t["key"] for t in TEMPLATES], messages__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
