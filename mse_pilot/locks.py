"""Every row lock of the remote pilot, in one order: the draft acts a run takes (SKIP LOCKED), then
the slots of the experts it may choose (in expert order, waiting), then an assignment.

Two distributors at once take disjoint draft acts (a row another run holds is skipped, never waited
for) and choose among experts whose loads they both see: the second waits for the first's slots
and reads the loads the first committed (PostgreSQL READ COMMITTED reads afresh per statement)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from mse_pilot.models import ExpertSlot, PanelAssignment, RemoteCase

# What the distributor reads and writes of a draft act; nothing of the person or referral but the region.
DISTRIBUTION_FIELDS = (
    "pk",
    "public_id",
    "person_id",
    "nosology_group_id",
    "received_at",
    "stage",
    "programme_id",
    "due_at",
    "no_expert_since",
    "no_expert_reason",
    "updated_at",
)


def waiting_cases_for_update(*, limit: int, after: tuple[dt.datetime, int] | None = None) -> list[RemoteCase]:
    """The first ``limit`` draft acts of the waiting list no other run holds, in arrival order
    (after the cursor ``after``: (received_at, pk)). Only the rows of the acts are locked and loaded,
    each with ``person_region_id``: the person's region (registration), else the referring
    organisation's, in the same statement."""
    rows: QuerySet[RemoteCase] = (
        RemoteCase.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(stage=RemoteCase.Stage.WAITING)
        .only(*DISTRIBUTION_FIELDS)
        .annotate(
            person_region_id=Coalesce(
                "person__registration_atu__region_id", "referral__medical_organisation__region_id"
            )
        )
        .order_by("received_at", "pk")
    )
    if after is not None:
        at, pk = after
        rows = rows.filter(Q(received_at__gt=at) | Q(received_at=at, pk__gt=pk))
    return list(rows[:limit])


def expert_slots_for_update(*, expert_ids: Iterable[int]) -> dict[int, ExpertSlot]:
    """The slots of these experts, created when missing, locked in expert order (no deadlock)."""
    ids = sorted(set(expert_ids))
    if not ids:
        return {}
    ExpertSlot.objects.bulk_create([ExpertSlot(expert_id=i) for i in ids], ignore_conflicts=True)
    slots = ExpertSlot.objects.select_for_update().filter(expert_id__in=ids).order_by("expert_id")
    return {s.expert_id: s for s in slots}


def open_assignments_for_update(*, ids: Iterable[int]) -> list[PanelAssignment]:
    """Open assignments to redistribute (E-9), skipping those another run holds."""
    rows = (
        PanelAssignment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=list(ids), status=PanelAssignment.Status.ASSIGNED)
        .select_related("case__person__registration_atu", "case__nosology_group")
        .order_by("due_at", "pk")
    )
    return list(rows)


def due_soon_unwarned_for_update(*, before: dt.datetime) -> list[PanelAssignment]:
    """X-6: open assignments due before ``before`` whose expert has not had the due-soon SMS."""
    rows = (
        PanelAssignment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=PanelAssignment.Status.ASSIGNED, due_soon_sms_at__isnull=True, due_at__lte=before)
        .select_related("case", "expert__person")
        .order_by("due_at", "pk")
    )
    return list(rows)


def assignment_for_update(*, pk: int) -> PanelAssignment:
    """Item 6: the member's assignment while their conclusion or decline is stored (waits: one
    expert's two submissions are serialised, the second sees the first)."""
    return PanelAssignment.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)


def case_for_update(*, pk: int) -> RemoteCase:
    """Item 6, E-8: the case while its panel's outcome is decided or its act registered; taken
    after the assignment's lock (one order: assignment, then case)."""
    return RemoteCase.objects.select_for_update(of=("self",)).get(pk=pk)
