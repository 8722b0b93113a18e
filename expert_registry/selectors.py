"""Reads of the registry. The remote pilot reads the pool through this module only."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from expert_registry.models import Announcement, Application, Expert, WorkRecord
from portal.nosology.models import NosologyGroup
from portal.people.models import Person
from portal.territory.models import Region


def expert_pool_for(
    *, nosology_group: NosologyGroup, role: str, exclude_region: Region | int | None, on_date: dt.date
) -> QuerySet[Expert]:
    """Experts who may receive a case on ``on_date``: of ``role`` (an ``Expert.Position``), competent
    for ``nosology_group``, active (or incapacitated on other days only), from another region than
    ``exclude_region`` (an independent doctor-expert with no region counts as another region).
    Each carries ``open_cases`` (received, not decided); the least loaded come first."""
    region_id = exclude_region.pk if isinstance(exclude_region, Region) else exclude_region
    incapacitated_now = Q(incapacitated_from__lte=on_date) & (
        Q(incapacitated_until__isnull=True) | Q(incapacitated_until__gte=on_date)
    )
    available = Q(status=Expert.Status.ACTIVE) | (Q(status=Expert.Status.INCAPACITATED) & ~incapacitated_now)
    pool = Expert.objects.filter(available, position=role, nosology_groups=nosology_group)
    if region_id is not None:
        pool = pool.filter(Q(region__isnull=True) | ~Q(region_id=region_id))
    return pool.annotate(open_cases=Count("work", filter=Q(work__decided_at__isnull=True), distinct=True)).order_by(
        "open_cases", "pk"
    )


def expert_open_case_count(*, expert: Expert) -> int:
    return WorkRecord.objects.filter(expert=expert, decided_at__isnull=True).count()


def announcement_list_published() -> QuerySet[Announcement]:
    return Announcement.objects.filter(published_at__isnull=False).order_by("-acceptance_starts_on")


def applications_of(*, person: Person) -> QuerySet[Application]:
    return (
        Application.objects.filter(person=person)
        .select_related("announcement")
        .prefetch_related("attempts", "messages", "documents")
        .order_by("-submitted_at")
    )


def experts_unavailable_on(*, expert_ids: set[int] | list[int], on_date: dt.date) -> set[int]:
    """E-9: of these experts, those who cannot work on ``on_date``: excluded, or incapacitated that day
    (any status but active, or incapacitated on other days only)."""
    experts = Expert.objects.filter(pk__in=list(expert_ids))
    return {e.pk for e in experts if not e.is_available_on(on_date)}
