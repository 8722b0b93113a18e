"""Reads of the benefits app, each narrowed to who asks: the applicant (their own applications), the
integrator (the applications it filed, X-8), staff (drafts awaiting approval)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from benefits.models import Application, Decision, DecisionKind, Programme, Stage
from portal.admin_scoping import atu_served_by_department
from portal.deadlines.registry import DeadlineItem, DeadlineScope
from portal.people.models import Person


def applications_of_person(*, person: Person) -> QuerySet[Application]:
    """The person's own applications (as the applicant), newest first."""
    return Application.objects.filter(applicant=person).select_related("decision").order_by("-submitted_at")


def application_of_person(*, person: Person, public_id: Any) -> Application | None:
    return applications_of_person(person=person).filter(public_id=public_id).first()


def applications_of_integrator(*, integrator: Any) -> QuerySet[Application]:
    """X-8: an integrator (the State Corporation) sees the applications it filed, no others."""
    return Application.objects.filter(filed_by_integrator=integrator).select_related("decision")


def decisions_to_approve(*, day: dt.date | None = None, public_ids: list[Any] | None = None) -> QuerySet[Decision]:
    """Draft decisions awaiting approval (item 7): a day's batch (formed that day) or the ones named."""
    rows = Decision.objects.filter(
        approved_at__isnull=True,
        kind__in=[DecisionKind.ASSIGNED, DecisionKind.REFUSED],
        application__stage=Stage.DECISION_DRAFT,
    ).select_related("application")
    if day is not None:
        rows = rows.filter(created_at__date=day)
    if public_ids is not None:
        rows = rows.filter(public_id__in=public_ids)
    return rows.order_by("created_at", "pk")


def disability_applications_waiting() -> QuerySet[Application]:
    """B-9: disability benefit applications whose decision staff have yet to form, the nearest due first."""
    return (
        Application.objects.filter(programme=Programme.DISABILITY, stage=Stage.ACCEPTED, decision__isnull=True)
        .select_related("assignment")
        .order_by("decision_due_at", "pk")
    )


def application_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """X-6: each accepted application without an approved decision, due by its ``decision_due_at``
    (B-1/B-3: 1 or 3 working days by channel; B-9: 7, +5 once more documents are asked; B-14: 7).
    Benefits are decided nationwide: an area sees the applications of applicants registered in it
    (as the monthly report counts them); one filed by an organisation (no person) only the country."""
    rows = scope.filter(
        Application.objects.filter(stage__in=[Stage.ACCEPTED, Stage.DECISION_DRAFT], decision_due_at__isnull=False),
        department=atu_served_by_department("applicant__registration_atu"),
        region="applicant__registration_atu__region",
    ).values_list("pk", "public_id", "number", "programme", "decision_due_at", "applicant__registration_atu__region_id")
    programmes = dict(Programme.choices)
    return [
        DeadlineItem(
            kind="benefit_application",
            label=f"{gettext('Decision on the application')} · {programmes.get(programme, programme)}",
            reference=number or str(public_id),
            url=reverse("admin:benefits_application_change", args=[pk]),
            due_at=due_at,
            region_id=region_id,
        )
        for pk, public_id, number, programme, due_at, region_id in rows
    ]
