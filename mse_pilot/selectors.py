"""Reads of the remote pilot: its window and rollout (P-1), P-3's mandatory examinations, a
referral's remote status (item 8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from mse_pilot.models import (
    Conclusion,
    MandatoryExamination,
    PanelAssignment,
    PilotWindow,
    Programme,
    ProgrammeSeat,
    RemoteCase,
    Role,
    RolloutStart,
    RoutingDecision,
)
from portal.admin_scoping import atu_served_by_department
from portal.deadlines.registry import DeadlineItem, DeadlineScope
from portal.deadlines.states import deadline_state
from portal.nosology.models import NosologyGroup
from portal.referrals.models import Referral
from portal.workcal.services import working_hours_left


def pilot_window_open_on(*, day: dt.date) -> PilotWindow | None:
    """P-1: a window of the act in force on ``day``, or None."""
    return PilotWindow.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("starts_on").first()


def rollout_for(*, region_kato: str, mis_vendor: str) -> RolloutStart | None:
    """P-1: the rollout row of the region for the vendor: the vendor's own, else the region's row
    for every vendor (an empty vendor), else None (the act names no date for them)."""
    rows = list(RolloutStart.objects.filter(Q(mis_vendor=mis_vendor) | Q(mis_vendor=""), region_kato=region_kato))
    own = [r for r in rows if r.mis_vendor == mis_vendor and mis_vendor]
    if own:
        return own[0]
    return next((r for r in rows if r.mis_vendor == ""), None)


def mandatory_examinations(*, group_id: int) -> QuerySet[MandatoryExamination]:
    """P-3: the examinations a form of the group must carry (those refused when absent)."""
    return MandatoryExamination.objects.filter(
        group_id=group_id, requirement=MandatoryExamination.Requirement.ALWAYS
    ).order_by("position", "code")


def examination_list(*, group_id: int) -> QuerySet[MandatoryExamination]:
    """P-3: every examination of the group's list, the conditional ones too."""
    return MandatoryExamination.objects.filter(group_id=group_id).order_by("position", "code")


def routing_decision_of(*, referral: Referral) -> RoutingDecision | None:
    return RoutingDecision.objects.filter(referral=referral).select_related("nosology_group").first()


def remote_case_of(*, referral: Referral) -> RemoteCase | None:
    return RemoteCase.objects.filter(referral=referral).first()


def waiting_list() -> QuerySet[RemoteCase]:
    """P-6: the draft acts waiting for distribution, in arrival order (``.count()``: one COUNT, the
    monitoring gauge's reading)."""
    return RemoteCase.objects.filter(stage=RemoteCase.Stage.WAITING).order_by("received_at", "pk")


def programme_panel_on(*, nosology_group: NosologyGroup, day: dt.date) -> tuple[Programme | None, list[ProgrammeSeat]]:
    """P-6, E-8: the programme in force on ``day`` for the form (the lowest priority first; a
    programme listing no form covers every form) and its seats open that day, in panel order."""
    programmes = (
        Programme.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)
        .filter(Q(nosology_groups=nosology_group) | Q(nosology_groups__isnull=True))
        .distinct()
        .order_by("priority", "-starts_on", "pk")
    )
    programme = programmes.first()
    if programme is None:
        return None, []
    seats = [s for s in programme.seats.order_by("position", "pk") if s.is_open_on(day)]
    return programme, seats


def cases_waiting_without_expert() -> QuerySet[RemoteCase]:
    """P-6: draft acts no eligible expert could take: staff are warned of them."""
    return waiting_list().filter(no_expert_since__isnull=False)


@dataclass(frozen=True)
class RadarRow:
    """X-6: one open assignment on the deadline radar."""

    assignment: PanelAssignment
    hours_left: float
    state: str


def deadline_radar(*, now: dt.datetime, assignments: QuerySet[PanelAssignment] | None = None) -> list[RadarRow]:
    """X-6: open assignments with their working hours left and state (late, due soon, on time),
    the most urgent first."""
    rows = assignments if assignments is not None else PanelAssignment.objects.all()
    rows = rows.filter(status=PanelAssignment.Status.ASSIGNED).select_related("case", "case__nosology_group")
    radar = []
    for a in rows.order_by("due_at", "pk"):
        left = working_hours_left(now, a.due_at)
        radar.append(RadarRow(a, left, deadline_state(remaining=left, late=a.due_at < now)))
    return sorted(radar, key=lambda r: (r.hours_left, r.assignment.due_at, r.assignment.pk))


def assignments_of_person(*, person_id: int | None) -> QuerySet[PanelAssignment]:
    """Item 6: the panel assignments of the expert who is this person, the latest first (none for
    anyone who is not an expert)."""
    if person_id is None:
        return PanelAssignment.objects.none()
    return (
        PanelAssignment.objects.filter(expert__person_id=person_id)
        .select_related("case", "case__person", "case__referral", "case__nosology_group", "expert", "expert__person")
        .order_by("-assigned_at", "-pk")
    )


def workspace_rows(*, person_id: int | None, now: dt.datetime) -> list[RadarRow]:
    """Item 6: the expert's open cases with their due times and deadline state, the most urgent first."""
    return deadline_radar(now=now, assignments=assignments_of_person(person_id=person_id))


def methodology_queue() -> QuerySet[RemoteCase]:
    """E-8 [A]: the cases the methodology department decides, the longest waiting first."""
    return (
        RemoteCase.objects.filter(stage=RemoteCase.Stage.METHODOLOGY)
        .select_related("nosology_group")
        .order_by("methodology_since", "pk")
    )


def conclusions_to_review() -> QuerySet[Conclusion]:
    """Methodology control: the signed conclusions not yet marked upheld or not, oldest first."""
    return Conclusion.objects.filter(upheld__isnull=True).select_related("case", "expert").order_by("signed_at", "pk")


def remote_cases_for_cabinet(*, person_ids: list[int]) -> QuerySet[RemoteCase]:
    """Item 7: a person's own and wards' remote cases for the cabinet, newest first."""
    return (
        RemoteCase.objects.filter(person_id__in=person_ids)
        .select_related("person", "nosology_group", "act")
        .order_by("-received_at", "-pk")
    )


# --- the pilot's deadlines on the core's radar (registered in ``deadlines.SOURCES``) ----------

_SCOPE_DEPARTMENT = atu_served_by_department("person__registration_atu")
_SCOPE_REGION = "person__registration_atu__region"


def open_assignment_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """P-7, E-9: each open assignment's conclusion due time (a redistributed case: its new assignment),
    in the area of the case's person (their registration ATU), as the admin scopes it."""
    rows = scope.filter(
        PanelAssignment.objects.filter(status=PanelAssignment.Status.ASSIGNED),
        department=_SCOPE_DEPARTMENT,
        region=_SCOPE_REGION,
    ).values_list("pk", "case__public_id", "role", "due_at", "person__registration_atu__region_id")
    roles = dict(Role.choices)
    return [
        DeadlineItem(
            kind="pilot_assignment",
            label=f"{gettext('Case')} · {roles.get(role, role)}",
            reference=str(public_id),
            url=reverse("admin:mse_pilot_panelassignment_change", args=[pk]),
            due_at=due_at,
            region_id=region_id,
        )
        for pk, public_id, role, due_at, region_id in rows
    ]


def waiting_case_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """P-6, P-7: a draft act still on the waiting list runs against its case's due time."""
    rows = scope.filter(waiting_list(), department=_SCOPE_DEPARTMENT, region=_SCOPE_REGION).values_list(
        "pk", "public_id", "due_at", "person__registration_atu__region_id"
    )
    return [
        DeadlineItem(
            kind="pilot_waiting",
            label=gettext("Draft act"),
            reference=str(public_id),
            url=reverse("admin:mse_pilot_remotecase_change", args=[pk]),
            due_at=due_at,
            region_id=region_id,
        )
        for pk, public_id, due_at, region_id in rows
    ]
