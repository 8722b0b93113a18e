"""Reads of the remote pilot: its window and rollout (P-1), P-3's mandatory examinations, a
referral's remote status (item 8)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from mse_pilot.models import MandatoryExamination, PilotWindow, RemoteCase, RolloutStart, RoutingDecision
from portal.referrals.models import Referral


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
    """P-6: the draft acts waiting for distribution, in arrival order."""
    return RemoteCase.objects.filter(stage=RemoteCase.Stage.WAITING).order_by("received_at", "pk")


def waiting_list_length() -> int:
    """How many draft acts wait for distribution (P-6): one COUNT, for the monitoring gauge."""
    return RemoteCase.objects.filter(stage=RemoteCase.Stage.WAITING).count()
