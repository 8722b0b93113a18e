"""E-5: the test. Questions are drawn and timed and answers scored on the server; the proctoring
conclusion comes through ``expert_registry.proctoring``. Pass = at least 70% right AND a positive
proctoring conclusion. One retake after a fail, a negative proctoring result or a documented
technical failure, inside 10 calendar days of the notice; then N-E4 with every reason that applies."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from expert_registry import errors, locks
from expert_registry.models import Application, Expert, Question, TestAttempt
from expert_registry.services.experts import expert_status_change
from expert_registry.services.notices import cabinet_message, refusal_notify
from portal.errors import ApplicationError, ConflictError

# E-5 (point 11): at least 70% right answers.
PASS_PERCENT = 70
# E-5 (appendix 4): the test, or the retake, within 10 calendar days after the day the notice was received.
TEST_WINDOW_CALENDAR_DAYS = 10
MAX_ATTEMPTS = 2

P = TestAttempt.Proctoring
R = TestAttempt.Result


def test_deadline_from(notified_on: dt.date) -> dt.date:
    """The last day to take the test: the term counts from the day after the notice (Civil Code)."""
    return notified_on + dt.timedelta(days=TEST_WINDOW_CALENDAR_DAYS)


@transaction.atomic
def attempt_start(
    *, application: Application, language: str, now: dt.datetime | None = None, rng: random.Random | None = None
) -> TestAttempt:
    now = now or timezone.now()
    application = locks.application_for_update(application.pk)
    if application.status != Application.Status.TESTING:
        raise ConflictError(errors.NOT_IN_TESTING, field="application")
    attempts = list(application.attempts.order_by("number"))
    if any(a.result == R.PENDING for a in attempts):
        raise ConflictError(errors.ATTEMPT_OPEN, field="application")
    if len(attempts) >= MAX_ATTEMPTS:
        raise ConflictError(errors.RETAKE_USED, field="application")
    assert application.test_deadline is not None
    if timezone.localdate(now) > application.test_deadline:
        raise ApplicationError(
            errors.TEST_DEADLINE_PASSED.format(date=date_format(application.test_deadline, "d.m.Y")),
            field="application",
        )
    pool = list(Question.objects.filter(is_active=True).values_list("pk", flat=True))
    count = min(int(settings.EXPERT_TEST_QUESTIONS), len(pool))
    drawn = (rng or random.SystemRandom()).sample(pool, count)
    return TestAttempt.objects.create(
        application=application,
        number=len(attempts) + 1,
        language="kk" if language == "kk" else "ru",
        question_ids=drawn,
        question_count=count,
        started_at=now,
        ends_at=now + dt.timedelta(minutes=int(settings.EXPERT_TEST_MINUTES)),
    )


@transaction.atomic
def attempt_submit(*, attempt: TestAttempt, answers: dict[str, int], now: dt.datetime | None = None) -> TestAttempt:
    """Score on the server from the answers alone (a score the client sends is never read). Answers
    given after the time ran out are not counted."""
    now = now or timezone.now()
    attempt = locks.attempt_for_update(attempt.pk)
    if attempt.submitted_at is not None:
        raise ConflictError(errors.ATTEMPT_CLOSED, field="attempt")
    drawn = [int(q) for q in attempt.question_ids]
    kept = {str(q): int(answers[str(q)]) for q in drawn if str(q) in answers} if now <= attempt.ends_at else {}
    correct = dict(Question.objects.filter(pk__in=drawn).values_list("pk", "correct"))
    attempt.answers = kept
    attempt.correct_count = sum(1 for q, a in kept.items() if correct.get(int(q)) == a)
    attempt.submitted_at = now
    attempt.save(update_fields=["answers", "correct_count", "submitted_at", "updated_at"])
    return _conclude(attempt=attempt, now=now)


@transaction.atomic
def attempt_proctoring_record(
    *, attempt: TestAttempt, conclusion: str, actor: Any, document: str = "", now: dt.datetime | None = None
) -> TestAttempt:
    """The proctoring conclusion of a session (the manual backend: staff record it). A technical
    failure counts only with its act (number and date)."""
    now = now or timezone.now()
    attempt = locks.attempt_for_update(attempt.pk)
    if attempt.proctoring != P.PENDING:
        raise ConflictError(errors.PROCTORING_DONE, field="proctoring")
    if conclusion not in (P.POSITIVE, P.NEGATIVE, P.TECHNICAL_FAILURE):
        raise ApplicationError(errors.PROCTORING_DONE, field="proctoring")
    if conclusion == P.TECHNICAL_FAILURE and not document.strip():
        raise ApplicationError(errors.PROCTORING_DOCUMENT, field="proctoring_document")
    attempt.proctoring, attempt.proctoring_document, attempt.proctoring_by = conclusion, document.strip(), actor
    attempt.save(update_fields=["proctoring", "proctoring_document", "proctoring_by", "updated_at"])
    return _conclude(attempt=attempt, now=now)


def _conclude(*, attempt: TestAttempt, now: dt.datetime) -> TestAttempt:
    """The result once both the score and the proctoring are known; then the retake or the refusal."""
    if attempt.result != R.PENDING or attempt.proctoring == P.PENDING:
        return attempt
    if attempt.proctoring == P.TECHNICAL_FAILURE:
        result = R.TECHNICAL_FAILURE
    elif attempt.submitted_at is None:
        return attempt
    else:
        assert attempt.correct_count is not None
        scored = attempt.correct_count * 100 >= PASS_PERCENT * attempt.question_count
        result = R.PASSED if scored and attempt.proctoring == P.POSITIVE else R.FAILED
    attempt.result, attempt.result_at = result, now
    attempt.save(update_fields=["result", "result_at", "updated_at"])
    application = locks.application_for_update(attempt.application_id)
    if result == R.PASSED:
        application.status, application.decided_at = Application.Status.INCLUDED, now
        application.save(update_fields=["status", "decided_at", "updated_at"])
        expert_status_change(
            expert=application.expert, to_status=Expert.Status.INCLUDED, actor=None, on_date=timezone.localdate(now)
        )
        cabinet_message(application=application, text=_("You passed the test and are included in the registry."))
        from expert_registry.services.contracts import contract_offer

        contract_offer(application=application, on_date=timezone.localdate(now))  # E-6
        return attempt
    reasons = _reasons(attempt)
    if attempt.number < MAX_ATTEMPTS:
        # One retake: a new notice, a new 10-day term from its day.
        today = timezone.localdate(now)
        application.test_notified_on, application.test_deadline = today, test_deadline_from(today)
        application.save(update_fields=["test_notified_on", "test_deadline", "updated_at"])
        cabinet_message(
            application=application,
            text=_("The test was not passed. You may take it once more within 10 calendar days."),
        )
        return attempt
    application_refuse(application=application, reasons=reasons or ["test_not_taken"], now=now)
    return attempt


def _reasons(attempt: TestAttempt) -> list[str]:
    reasons = []
    if attempt.correct_count is not None and attempt.correct_count * 100 < PASS_PERCENT * attempt.question_count:
        reasons.append("test_failed")
    if attempt.proctoring == P.NEGATIVE:
        reasons.append("proctoring_failed")
    return reasons


def application_refuse(*, application: Application, reasons: list[str], now: dt.datetime | None = None) -> Application:
    """N-E4 with every reason, a cabinet message; the candidate's expert row goes to refused."""
    now = now or timezone.now()
    application.status, application.decided_at = Application.Status.REFUSED, now
    application.save(update_fields=["status", "decided_at", "updated_at"])
    expert_status_change(
        expert=application.expert, to_status=Expert.Status.REFUSED, actor=None, on_date=timezone.localdate(now)
    )
    refusal_notify(application=application, reasons=reasons)
    return application


@transaction.atomic
def applications_refuse_untested(*, today: dt.date | None = None) -> list[int]:
    """Beat: refuse (N-E4) every candidate whose test term ended without the test, with the reasons
    of a failed first attempt as well. Safe to run twice: a refused application is not taken again."""
    today = today or timezone.localdate()
    late = Application.objects.filter(status=Application.Status.TESTING, test_deadline__lt=today)
    done = []
    for application_id in late.values_list("pk", flat=True):
        application = locks.application_for_update(application_id)
        if application.status != Application.Status.TESTING:
            continue
        attempts = list(application.attempts.order_by("number"))
        if any(a.result == R.PENDING for a in attempts):
            continue  # taken in time, awaiting its proctoring conclusion
        reasons = []
        for attempt in attempts:
            reasons += [r for r in _reasons(attempt) if r not in reasons]
        reasons.append("test_not_taken")
        application_refuse(application=application, reasons=reasons)
        done.append(application_id)
    return done
