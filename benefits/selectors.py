"""Reads of the benefits app, each narrowed to who asks: the applicant (their own applications), the
integrator (the applications it filed, X-8), staff (drafts awaiting approval)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from benefits.models import Application, Decision, DecisionKind, Programme, Stage
from portal.people.models import Person
from portal.people.selectors import ward_list


def applications_of_person(*, person: Person) -> QuerySet[Application]:
    """The person's own applications (as the applicant), newest first."""
    return Application.objects.filter(applicant=person).select_related("decision").order_by("-submitted_at")


def application_of_person(*, person: Person, public_id: Any) -> Application | None:
    return applications_of_person(person=person).filter(public_id=public_id).first()


def applications_of_person_and_wards(*, person: Person) -> QuerySet[Application]:
    """The person's own applications and their wards' (a live guardianship: the legal representative
    applies and follows for the ward), newest first."""
    ward_ids = ward_list(representative=person).values("pk")
    return (
        Application.objects.filter(Q(applicant=person) | Q(applicant__in=ward_ids))
        .select_related("decision")
        .order_by("-submitted_at")
    )


def application_of_person_or_ward(*, person: Person, public_id: Any) -> Application | None:
    return applications_of_person_and_wards(person=person).filter(public_id=public_id).first()


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
