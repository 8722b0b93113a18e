"""Templates: the law's texts, kk/ru/en, dates as the law writes them, segments, versioned edits."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from benefits.sms import BenefitSms
from expert_registry.sms import EXPERT_REFUSAL_REASONS
from notifications.catalog import SAMPLE_CONTEXTS
from notifications.models import Template, TemplateVersion
from notifications.rendering import sms_encoding_and_segments
from notifications.services import notify, template_update
from portal.errors import ApplicationError
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BOOKING = {
    "full_name": "Сериков Ерлан Маратович",
    "department_number": 3,
    "date": dt.date(2026, 3, 5),
    "time": dt.time(9, 0),
    "address": "Кокшетау, ул. Абая, 10, каб. 5",
    "ticket": "017",
    "link": "https://mse.example.kz/queue/",
}


def _text(template, context, language="ru", key="k1"):
    person = PersonFactory(preferred_language=language)
    return notify(recipient=person, template=template, context=context, dedupe_key=key).text


def test_nq1_invited_text_is_the_laws_russian_text():
    text = _text("queue_invited", {"full_name": "Сериков Ерлан Маратович", "link": "https://mse.example.kz/q"})
    assert text == (
        "Уважаемый(ая) Сериков Ерлан Маратович! Ваши медицинские документы прошли проверку, просим "
        "записаться на освидетельствование в отдел медико-социальной экспертизы по ссылке "
        '"https://mse.example.kz/q".'
    )


def test_nq2_booked_text_is_the_laws_russian_text_with_dd_mm_yy_and_hh_mm():
    text = _text("queue_booked", BOOKING)
    assert text == (
        "Уважаемый(ая) Сериков Ерлан Маратович! Вы записаны на освидетельствование в отдел "
        "медико-социальной экспертизы № 3 дата 05.03.26, время 09:00 по адресу Кокшетау, ул. Абая, 10, "
        'каб. 5, номер талона 017. Вы можете отменить свою запись в "личном кабинете" '
        '"https://mse.example.kz/queue/".'
    )


def test_nq2_booked_text_in_kazakh():
    text = _text("queue_booked", BOOKING, language="kk")
    assert text.startswith("Құрметті Сериков Ерлан Маратович!")
    assert "№ 3 медициналық-әлеуметтік сараптама бөліміне" in text
    assert "күні 05.03.26, уақыты 09:00" in text
    assert "талон нөмірі 017" in text
    assert '"https://mse.example.kz/queue/"' in text


def test_nq2_booked_text_in_english():
    text = _text("queue_booked", BOOKING, language="en")
    assert text.startswith("Dear Сериков Ерлан Маратович, you are booked")
    assert "department No. 3 on 05.03.26 at 09:00" in text


def test_q8_reminder_is_the_nq2_text_again_in_every_language():
    for language in ("kk", "ru", "en"):
        booked = _text("queue_booked", BOOKING, language=language, key=f"b-{language}")
        reminder = _text("queue_reminder", BOOKING, language=language, key=f"r-{language}")
        assert reminder == booked


def test_nq3_cancelled_text_is_the_laws_russian_text():
    context = {k: BOOKING[k] for k in ("full_name", "department_number", "date", "time", "address")}
    assert _text("queue_cancelled", context) == (
        "Уважаемый(ая) Сериков Ерлан Маратович! Вы отменили запись на освидетельствование в отдел "
        "медико-социальной экспертизы № 3 дата 05.03.26, время 09:00 по адресу Кокшетау, ул. Абая, 10, каб. 5."
    )


def test_nq4_annulled_text_is_the_laws_russian_text():
    text = _text("queue_annulled", {"full_name": "Сериков Ерлан Маратович", "link": "https://mse.example.kz/q"})
    assert text == (
        "Уважаемый(ая) Сериков Ерлан Маратович! Ваша запись на освидетельствование в отдел медико-социальной "
        "экспертизы аннулирована в связи с Вашей неявкой на освидетельствование в назначенное время. Вы можете "
        'вновь записаться на освидетельствование в "личном кабинете" по ссылке "https://mse.example.kz/q".'
    )


def test_ne4_refusal_text_names_the_grounds_in_the_recipients_language():
    reasons = [EXPERT_REFUSAL_REASONS["test_failed"], EXPERT_REFUSAL_REASONS["contract_not_signed"]]
    context = {"full_name": "Ахметова Гульнар Сериковна", "reasons": reasons}
    ru = _text("expert_refused", context, key="ru")
    assert ru == (
        "Уважаемый (ая) Ахметова Гульнар Сериковна! Уведомляем Вас об отказе на включение в реестр экспертов, "
        "участвующих в заочном проактивном освидетельствовании в связи с отрицательным результатом "
        "тестирования; не подписанием договора в течение 3 (трех) рабочих дней."
    )
    kk = _text("expert_refused", context, language="kk", key="kk")
    assert "тестілеудің теріс нәтижесі; шартқа 3 (үш) жұмыс күні ішінде қол қоймау" in kk
    en = _text("expert_refused", context, language="en", key="en")
    assert "due to: a negative test result; not signing the contract within 3 (three) working days." in en


def test_ne3_documents_refused_text_carries_the_reason():
    text = _text("expert_documents_refused", {"full_name": "Ахметова Г. С.", "reason": "истёк срок сертификата"})
    assert text.endswith("не приняты. Причина: истёк срок сертификата.")


def test_b8_benefit_application_accepted_text_carries_benefit_and_number():
    context = SAMPLE_CONTEXTS[BenefitSms.APPLICATION_ACCEPTED]
    text = _text("benefit_application_accepted", context, language="kk")
    assert "«мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы»" in text
    assert "B-2026-000123" in text


def test_b10_benefit_application_refused_text_carries_the_reason_and_says_apply_again():
    text = _text("benefit_application_refused", SAMPLE_CONTEXTS[BenefitSms.APPLICATION_REFUSED])
    assert "Причина: заявление подано позже трёх лет со дня смерти." in text
    assert "повторно" in text


def test_x3_slot_freed_offer_text_has_date_time_and_link():
    context = {k: BOOKING[k] for k in ("full_name", "department_number", "date", "time", "link")}
    text = _text("queue_slot_freed", context)
    assert "№ 3 освободилось место: дата 05.03.26, время 09:00" in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("key", sorted(SAMPLE_CONTEXTS))
def test_x1_every_template_renders_in_kk_ru_en(key, language):
    text = _text(key, SAMPLE_CONTEXTS[key], language=language)
    assert text
    assert "{" not in text
    assert "}" not in text
    template = Template.objects.get(key=key)
    assert text != (template.text_ru if language != "ru" else template.text_kk)


def test_x1_every_seeded_template_has_a_sample_and_all_three_languages():
    assert set(Template.objects.values_list("key", flat=True)) == set(SAMPLE_CONTEXTS)
    for template in Template.objects.all():
        template.full_clean()  # every text keeps exactly the required placeholders
        assert template.text_kk != template.text_ru != template.text_en
        assert TemplateVersion.objects.filter(template=template, version=1).exists()


def test_x1_recipient_preferred_language_picks_the_text_and_strings_default_to_russian():
    kk_person = PersonFactory(preferred_language="kk")
    message = notify(recipient=kk_person, template="queue_invited", context=BOOKING, dedupe_key="a")
    assert message.language == "kk"
    assert message.text.startswith("Құрметті")
    message = notify(recipient="+77017654321", template="queue_invited", context=BOOKING, dedupe_key="b")
    assert message.language == "ru"
    assert message.text.startswith("Уважаемый(ая)")
    message = notify(recipient="+77017654321", template="queue_invited", context=BOOKING, dedupe_key="c", language="en")
    assert message.text.startswith("Dear")


def test_datetime_values_are_written_in_almaty_time():
    at = dt.datetime(2026, 3, 5, 4, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Almaty (UTC+5)
    context = {**BOOKING, "date": at, "time": at}
    assert "дата 05.03.26, время 09:30" in _text("queue_booked", context)


def test_unknown_template_is_refused_at_call_time():
    with pytest.raises(ApplicationError) as err:
        notify(recipient="+77011234567", template="no_such", context={}, dedupe_key="x")
    assert err.value.code == "template_unknown"
    assert "no_such" in err.value.message


def test_missing_placeholder_is_refused_naming_the_missing_names():
    with pytest.raises(ApplicationError) as err:
        notify(recipient="+77011234567", template="queue_booked", context={"full_name": "X"}, dedupe_key="x")
    assert err.value.code == "placeholder_missing"
    assert err.value.extra["missing"] == ["address", "date", "department_number", "link", "ticket", "time"]
    assert "address, date, department_number, link, ticket, time" in err.value.message


def test_segments_are_counted_gsm7_and_ucs2():
    assert sms_encoding_and_segments("a" * 160) == ("gsm7", 1)
    assert sms_encoding_and_segments("a" * 161) == ("gsm7", 2)
    assert sms_encoding_and_segments("a" * 306) == ("gsm7", 2)
    assert sms_encoding_and_segments("a" * 307) == ("gsm7", 3)
    assert sms_encoding_and_segments("[" * 80) == ("gsm7", 1)  # an extension character takes two septets
    assert sms_encoding_and_segments("[" * 81) == ("gsm7", 2)
    assert sms_encoding_and_segments("д" * 70) == ("ucs2", 1)
    assert sms_encoding_and_segments("д" * 71) == ("ucs2", 2)
    assert sms_encoding_and_segments("a" * 159 + "ә") == ("ucs2", 3)


def test_long_message_stores_its_segment_count():
    message = notify(recipient="+77011234567", template="queue_booked", context=BOOKING, dedupe_key="seg")
    assert message.encoding == "ucs2"
    assert message.segments == -(-len(message.text) // 67) > 1
    sign_in = notify(
        recipient="+77011234567",
        template="sign_in_code",
        context={"code": "1", "minutes": 5},
        dedupe_key="s",
        language="en",
    )
    assert (sign_in.encoding, sign_in.segments) == ("gsm7", 1)


def test_template_edit_is_versioned_and_old_messages_keep_their_text(admin_user):
    template = Template.objects.get(key="queue_invited")
    before = notify(recipient="+77011234567", template="queue_invited", context=BOOKING, dedupe_key="v1")
    new_ru = "Уважаемый(ая) {full_name}! Запишитесь на освидетельствование: {link}"
    template = template_update(template=template, texts={"ru": new_ru}, edited_by=admin_user)
    assert template.version == 2
    snapshot = template.versions.get(version=2)
    assert snapshot.text_ru == new_ru
    assert snapshot.edited_by == admin_user
    assert template.versions.get(version=1).text_ru.startswith("Уважаемый(ая) {full_name}! Ваши медицинские")
    after = notify(recipient="+77011234567", template="queue_invited", context=BOOKING, dedupe_key="v2")
    assert (before.template_version, after.template_version) == (1, 2)
    before.refresh_from_db()
    assert "прошли проверку" in before.text
    assert "прошли проверку" not in after.text


def test_template_edit_cannot_drop_a_required_placeholder():
    template = Template.objects.get(key="queue_booked")
    with pytest.raises(ValidationError) as err:
        template_update(template=template, texts={"kk": "Құрметті {full_name}! {date} {time}"})
    assert "text_kk" in err.value.message_dict
    assert "address" in err.value.message_dict["text_kk"][0]
    template.refresh_from_db()
    assert template.version == 1
    assert "{ticket}" in template.text_kk


def test_template_edit_cannot_add_an_unknown_placeholder():
    template = Template.objects.get(key="queue_invited")
    with pytest.raises(ValidationError) as err:
        template_update(template=template, texts={"en": "Dear {full_name}, book at {link} by {deadline}"})
    assert "deadline" in err.value.message_dict["text_en"][0]


# --- item 13: a template is read once and kept until it changes -------------------------------------


def _template_reads(queries) -> int:
    return sum('FROM "notifications_template"' in q["sql"] for q in queries)


def test_item13_a_template_is_read_once_then_kept():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify(recipient="+77011234567", template="queue_booked", context=BOOKING, dedupe_key="keep1")
    with CaptureQueriesContext(connection) as ctx:
        message = notify(recipient="+77011234567", template="queue_booked", context=BOOKING, dedupe_key="keep2")
    assert _template_reads(ctx.captured_queries) == 0
    assert message.template.key == "queue_booked"
    assert message.text.startswith("Уважаемый(ая) Сериков Ерлан Маратович! Вы записаны")


def test_item13_a_committed_edit_is_used_by_the_next_message(admin_user, django_capture_on_commit_callbacks):
    notify(recipient="+77011234567", template="queue_invited", context=BOOKING, dedupe_key="e1")  # kept
    template = Template.objects.get(key="queue_invited")
    with django_capture_on_commit_callbacks(execute=True):
        template_update(template=template, texts={"ru": "Запишитесь: {full_name} {link}"}, edited_by=admin_user)
    after = notify(recipient="+77011234567", template="queue_invited", context=BOOKING, dedupe_key="e2")
    assert after.text == "Запишитесь: Сериков Ерлан Маратович https://mse.example.kz/queue/"
    assert after.template_version == 2


def test_item13_an_edit_rolled_back_leaves_no_text_behind(admin_user):
    from django.db import transaction

    template = Template.objects.get(key="queue_invited")
    drafts = []

    def edit_then_fail() -> None:
        with transaction.atomic():
            template_update(template=template, texts={"ru": "Черновик: {full_name} {link}"}, edited_by=admin_user)
            # the editing transaction sees its own text, and keeps nothing
            drafts.append(notify(recipient="+77011234567", template="queue_invited", context=BOOKING, dedupe_key="d1"))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        edit_then_fail()
    assert drafts[0].text.startswith("Черновик")
    message = notify(recipient="+77011234567", template="queue_invited", context=BOOKING, dedupe_key="d2")
    assert message.text.startswith("Уважаемый(ая) Сериков Ерлан Маратович! Ваши медицинские документы")
    assert message.template_version == 1
