"""N-E4: the refusal names every reason that applies, in the candidate's language, with a cabinet message."""

import datetime as dt

import pytest

from expert_registry.models import Application, CabinetMessage
from expert_registry.services.testing import applications_refuse_untested
from notifications.models import Message
from tests.expert_registry.test_e5_testing import bank, candidate, take  # noqa: F401

pytestmark = pytest.mark.django_db


def test_n_e4_final_fail_names_the_test_and_the_proctoring(bank):  # noqa: F811
    application = candidate()
    take(application, 1, "negative", dt.date(2026, 1, 13))
    take(application, 2, "negative", dt.date(2026, 1, 14))
    message = Message.objects.get(template__key="expert_refused", recipient=application.person)
    assert "отрицательным результатом тестирования" in message.text
    assert "отрицательным результатом прокторинга" in message.text
    assert "договора" not in message.text
    assert CabinetMessage.objects.filter(application=application, text_ru__contains="прокторинга").exists()


def test_n_e4_no_test_within_10_calendar_days_refused_by_the_daily_job_once(bank):  # noqa: F811
    application = candidate(notified_on=dt.date(2026, 1, 12))
    assert applications_refuse_untested(today=dt.date(2026, 1, 22)) == []
    assert applications_refuse_untested(today=dt.date(2026, 1, 23)) == [application.pk]
    assert applications_refuse_untested(today=dt.date(2026, 1, 24)) == []
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    message = Message.objects.get(template__key="expert_refused")
    assert "10 (десяти) календарных дней после дня получения уведомления" in message.text


def test_n_e4_in_kazakh_for_a_kazakh_speaking_candidate(bank):  # noqa: F811
    application = candidate()
    application.person.preferred_language = "kk"
    application.person.save()
    take(application, 1, "positive", dt.date(2026, 1, 13))
    take(application, 1, "positive", dt.date(2026, 1, 14))
    assert "тестілеудің теріс нәтижесі" in Message.objects.get(template__key="expert_refused").text
