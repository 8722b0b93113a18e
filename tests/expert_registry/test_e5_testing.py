"""E-5: the test, scored on the server; pass = at least 70% AND positive proctoring; one retake in 10 calendar days."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from expert_registry.models import Application, Expert, Question, TestAttempt
from expert_registry.services.applications import application_admit_to_testing, application_submit
from expert_registry.services.testing import (
    attempt_proctoring_record,
    attempt_start,
    attempt_submit,
)
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.errors import ApplicationError, ConflictError
from tests.expert_registry.conftest import checks_done, make_announcement
from tests.expert_registry.test_e2_applications import INSIDE, data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def bank(settings):
    settings.EXPERT_TEST_QUESTIONS = 10
    for i in range(12):
        Question.objects.create(
            text_kk=f"Сұрақ {i}",
            text_ru=f"Вопрос {i}",
            options_kk=["а", "ә", "б"],
            options_ru=["а", "б", "в"],
            correct=1,
        )


def candidate(notified_on=dt.date(2026, 1, 12)):
    a = make_announcement(starts=dt.date(2026, 1, 5), ends=dt.date(2026, 1, 16))
    application = application_submit(announcement=a, person=PersonFactory(), data=data(), actor=None, now=INSIDE)
    checks_done(application)
    return application_admit_to_testing(application=application, actor=None, notified_on=notified_on)


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY)


def answer(attempt, right):
    return {str(q): (1 if i < right else 0) for i, q in enumerate(attempt.question_ids)}


def take(application, right, conclusion, day, document=""):
    attempt = attempt_start(application=application, language="ru", now=at(day), rng=random.Random(1))
    attempt_submit(attempt=attempt, answers=answer(attempt, right), now=at(day, 11) - dt.timedelta(minutes=30))
    return attempt_proctoring_record(
        attempt=attempt, conclusion=conclusion, actor=None, document=document, now=at(day, 12)
    )


def test_e5_pass_needs_70_percent_and_positive_proctoring(bank):
    application = candidate()
    attempt = take(application, 7, "positive", dt.date(2026, 1, 13))
    assert (attempt.correct_count, attempt.question_count, attempt.result) == (7, 10, "passed")
    application.refresh_from_db()
    assert application.status == Application.Status.INCLUDED
    expert = Expert.objects.get(pk=application.expert_id)
    # included, then at once offered the contract of E-6
    assert list(expert.history.values_list("to_status", flat=True))[-2:] == ["included", "contract_pending"]
    assert expert.status == Expert.Status.CONTRACT_PENDING


def test_e5_69_percent_fails_even_with_positive_proctoring(bank, settings):
    settings.EXPERT_TEST_QUESTIONS = 10
    application = candidate()
    attempt = take(application, 6, "positive", dt.date(2026, 1, 13))
    assert attempt.result == "failed"


def test_e5_score_is_the_servers_a_forged_score_is_ignored(bank, client):
    application = candidate(notified_on=timezone.localdate())
    user = User.objects.create(username="cand", person=application.person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(user)
    attempt = attempt_start(application=application, language="ru", rng=random.Random(2))
    post = {f"q{q}": ("1" if i < 3 else "0") for i, q in enumerate(attempt.question_ids)}
    post.update({"score": "100", "correct_count": "10", "result": "passed"})
    client.post(reverse("expert_registry:test", args=[attempt.public_id]), post)
    attempt.refresh_from_db()
    assert attempt.correct_count == 3
    assert attempt.result == "pending"
    page = client.get(reverse("expert_registry:cabinet")).content.decode()
    assert "30%" in page


def test_e5_answers_after_time_ran_out_are_not_counted(bank):
    application = candidate()
    attempt = attempt_start(application=application, language="kk", now=at(dt.date(2026, 1, 13)))
    attempt_submit(attempt=attempt, answers=answer(attempt, 10), now=attempt.ends_at + dt.timedelta(seconds=1))
    attempt.refresh_from_db()
    assert attempt.correct_count == 0


def test_e5_one_retake_within_10_calendar_days_of_the_notice_across_a_holiday(bank):
    # Notice of the fail on Wednesday 31.12.2025: ten calendar days end on Saturday 10.01.2026, the
    # New Year and Christmas (1, 2 and 7 January) holidays counting as calendar days.
    application = candidate(notified_on=dt.date(2025, 12, 22))
    first = take(application, 3, "positive", dt.date(2025, 12, 31))
    assert first.result == "failed"
    application.refresh_from_db()
    assert application.test_deadline == dt.date(2026, 1, 10)
    with pytest.raises(ApplicationError) as exc:
        attempt_start(application=application, language="ru", now=at(dt.date(2026, 1, 11)))
    assert exc.value.code == "test_deadline_passed"
    assert "10.01.2026" in str(exc.value.message)
    second = take(application, 8, "positive", dt.date(2026, 1, 10))
    assert second.number == 2
    assert second.result == "passed"


def test_e5_negative_proctoring_then_technical_failure_then_no_third_attempt(bank):
    application = candidate()
    assert take(application, 9, "negative", dt.date(2026, 1, 13)).result == "failed"
    with pytest.raises(ApplicationError) as exc:
        take(application, 9, "technical_failure", dt.date(2026, 1, 14))
    assert exc.value.code == "technical_failure_act_required"
    attempt = TestAttempt.objects.get(application=application, number=2)
    attempt_proctoring_record(
        attempt=attempt, conclusion="technical_failure", actor=None, document="акт № 12 от 14.01.2026"
    )
    attempt.refresh_from_db()
    assert attempt.result == "technical_failure"
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    with pytest.raises(ConflictError):
        attempt_start(application=application, language="ru")


def test_e5_technical_failure_on_the_first_attempt_allows_the_retake(bank):
    application = candidate()
    first = take(application, 10, "technical_failure", dt.date(2026, 1, 13), document="акт № 3")
    assert first.result == "technical_failure"
    assert take(application, 7, "positive", dt.date(2026, 1, 15)).result == "passed"


def test_e5_second_retake_refused(bank):
    application = candidate()
    take(application, 1, "positive", dt.date(2026, 1, 13))
    take(application, 1, "positive", dt.date(2026, 1, 14))
    with pytest.raises(ConflictError):
        attempt_start(application=application, language="ru", now=at(dt.date(2026, 1, 15)))
    assert TestAttempt.objects.filter(application=application).count() == 2
