"""B-9: requests for information on the assignment of a benefit, answered within 30 minutes.

Appendix 3 of the disability rules (and the survivor benefit's list of requirements) sets the term
"порталда жәрдемақы тағайындау туралы ақпарат алу үшін – ақпараттық жүйеге электрондық сұрау салу
келіп түскен сәттен бастап 30 минут": 30 minutes from the moment the electronic request arrives in
the information system. The act counts it from that moment, not in working time, and the portal
works around the clock (the same appendix), so the due time is the clock's: asked 17:45 on a
Saturday, due 18:15 that Saturday.

What the portal knows (the application's stage and the decision's due date) it answers at once and
records that it did; any other question waits for staff of the application's area (``benefits.
selectors.in_staff_area``), on the core's deadline radar (X-6) until answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models import Application, InformationRequest, Programme
from portal.errors import ApplicationError, ConflictError, ErrorCode, NotFoundError
from portal.people.models import Person

# the lists of requirements of the disability and survivor benefits set the term; the funeral payment's does not
PROGRAMMES = (Programme.DISABILITY, Programme.SURVIVOR)
ANSWER_WITHIN = dt.timedelta(minutes=30)  # appendix 3: from the request's arrival, clock time
QUESTION_MAX = 1000
ANSWER_MAX = 2000

TOPIC_INVALID = ErrorCode("information_topic_invalid", _("Choose what you want to know."))
QUESTION_MISSING = ErrorCode("information_question_missing", _("Write your question."))
QUESTION_TOO_LONG = ErrorCode(
    "information_question_too_long", _("The question is too long: at most %(max)s characters.")
)
ANSWER_MISSING = ErrorCode("information_answer_missing", _("Write the answer."))
ANSWER_TOO_LONG = ErrorCode("information_answer_too_long", _("The answer is too long: at most %(max)s characters."))
ALREADY_ANSWERED = ErrorCode("information_already_answered", _("This request is already answered."))
NOT_FOR_PROGRAMME = ErrorCode(
    "information_not_for_programme",
    _("Requests for information are taken for the disability and survivor benefits' applications."),
)
REQUEST_NOT_FOUND = ErrorCode("information_request_not_found", _("No such information request."))


def answer_due(asked_at: dt.datetime) -> dt.datetime:
    """B-9: 30 minutes after the request arrives, whatever the day and hour."""
    return asked_at + ANSWER_WITHIN


def information_request_ask(
    *,
    person: Person,
    application: Application,
    topic: str,
    question: str = "",
    now: dt.datetime | None = None,
) -> InformationRequest:
    """Record ``person``'s request about ``application`` (the caller has checked it is theirs or their
    ward's); a request about the stage and due date is answered at once by the portal."""
    now = now or timezone.now()
    question = question.strip()
    if application.programme not in PROGRAMMES:
        raise ApplicationError(NOT_FOR_PROGRAMME, field="application")
    if topic not in InformationRequest.Topic.values:
        raise ApplicationError(TOPIC_INVALID, field="topic")
    if topic == InformationRequest.Topic.OTHER and not question:
        raise ApplicationError(QUESTION_MISSING, field="question")
    if len(question) > QUESTION_MAX:
        raise ApplicationError(QUESTION_TOO_LONG.format(max=QUESTION_MAX), field="question")
    row = InformationRequest(
        application=application,
        asked_by=person,
        topic=topic,
        question=question if topic == InformationRequest.Topic.OTHER else "",
        asked_at=now,
        due_at=answer_due(now),
    )
    if topic == InformationRequest.Topic.STATUS:
        # the portal knows both: answered on arrival, and what it said is kept
        row.answered_at = now
        row.answered_automatically = True
        row.answered_stage = application.stage
        row.answered_due_at = application.decision_due_at
    row.save()
    return row


def information_request_answer(
    *, requests: QuerySet[InformationRequest], public_id: Any, user: Any, answer: str, now: dt.datetime | None = None
) -> InformationRequest:
    """Staff answer an open request among ``requests`` (the selector of their area's requests): one
    of another area is not found; a request answered already (by the portal or a colleague) stays
    as it was."""
    now = now or timezone.now()
    answer = answer.strip()
    if not answer:
        raise ApplicationError(ANSWER_MISSING, field="answer")
    if len(answer) > ANSWER_MAX:
        raise ApplicationError(ANSWER_TOO_LONG.format(max=ANSWER_MAX), field="answer")
    with transaction.atomic():
        row = requests.select_for_update(of=("self",)).filter(public_id=public_id).first()
        if row is None:
            raise NotFoundError(REQUEST_NOT_FOUND)
        if row.answered_at is not None:
            raise ConflictError(ALREADY_ANSWERED)
        row.answer = answer
        row.answered_at = now
        row.answered_by = user
        row.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    return row
