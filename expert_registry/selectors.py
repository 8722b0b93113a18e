"""Reads of the registry. The remote pilot reads the pool through this module only."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext

from expert_registry.models import (
    Announcement,
    Application,
    EvaluationResult,
    Expert,
    ExpertContract,
    ExpertLeave,
    ExpertStatusChange,
    ModemLoan,
    Training,
    WorkRecord,
)
from portal.deadlines.registry import DeadlineItem, DeadlineScope
from portal.nosology.models import NosologyGroup
from portal.people.models import Person
from portal.territory.models import Region
from portal.workcal.services import end_of_day


def expert_pool_for(
    *,
    nosology_group: NosologyGroup,
    role: str,
    exclude_region: Region | int | None,
    on_date: dt.date,
    with_load: bool = True,
) -> QuerySet[Expert]:
    """Experts who may receive a case on ``on_date``: of ``role`` (an ``Expert.Position``), competent
    for ``nosology_group``, active (or incapacitated on other days only), not on leave that day
    (``ExpertLeave``), from another region than
    ``exclude_region`` (an independent doctor-expert with no region counts as another region).
    Each carries ``open_cases`` (received, neither decided nor withdrawn); the least loaded come first.
    ``with_load=False``: the same experts without the count (a cheaper read of who is eligible)."""
    region_id = exclude_region.pk if isinstance(exclude_region, Region) else exclude_region
    pool = Expert.objects.filter(_can_work_on(on_date), position=role, nosology_groups=nosology_group)
    if region_id is not None:
        pool = pool.filter(Q(region__isnull=True) | ~Q(region_id=region_id))
    if not with_load:
        return pool.order_by("pk")
    return pool.annotate(
        open_cases=Count(
            "work", filter=Q(work__decided_at__isnull=True, work__withdrawn_at__isnull=True), distinct=True
        )
    ).order_by("open_cases", "pk")


def _can_work_on(on_date: dt.date) -> Q:
    """The experts who may work on ``on_date``: active, or incapacitated on other days only (an open
    bound of the incapacity reaches every day on its side, as ``Expert.is_available_on``), and not
    on leave that day. One condition for the pool and for ``experts_unavailable_on``."""
    incapacitated_now = (Q(incapacitated_from__isnull=True) | Q(incapacitated_from__lte=on_date)) & (
        Q(incapacitated_until__isnull=True) | Q(incapacitated_until__gte=on_date)
    )
    available = Q(status=Expert.Status.ACTIVE) | (Q(status=Expert.Status.INCAPACITATED) & ~incapacitated_now)
    return available & Q(~Exists(_on_leave(on_date)))


def _on_leave(on_date: dt.date) -> QuerySet[ExpertLeave]:
    """The leave rows covering ``on_date`` of the outer query's expert (for ``Exists``)."""
    return ExpertLeave.objects.filter(expert=OuterRef("pk"), starts_on__lte=on_date, ends_on__gte=on_date)


def experts_with_open_cases(*, expert_ids: list[int] | set[int]) -> QuerySet[Expert]:
    """These experts (their id, public id and region only), each with ``open_cases`` as
    ``expert_pool_for`` counts it (received, neither decided nor withdrawn), in one query."""
    open_work = (
        WorkRecord.objects.filter(expert=OuterRef("pk"), decided_at__isnull=True, withdrawn_at__isnull=True)
        .order_by()
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Expert.objects.filter(pk__in=sorted(expert_ids))
        .only("pk", "public_id", "region_id")
        .annotate(open_cases=Coalesce(Subquery(open_work), 0))
        .order_by("pk")
    )


def expert_open_case_count(*, expert: Expert) -> int:
    return WorkRecord.objects.filter(expert=expert, decided_at__isnull=True, withdrawn_at__isnull=True).count()


def announcement_list_published() -> QuerySet[Announcement]:
    return Announcement.objects.filter(published_at__isnull=False).order_by("-acceptance_starts_on")


def applications_of(*, person: Person) -> QuerySet[Application]:
    return (
        Application.objects.filter(person=person)
        .select_related("announcement")
        .select_related("contract")
        .prefetch_related("attempts", "messages", "documents", "state_checks")
        .order_by("-submitted_at")
    )


def experts_unavailable_on(*, expert_ids: set[int] | list[int], on_date: dt.date) -> set[int]:
    """E-9: of these experts, those who cannot work on ``on_date``: excluded, or incapacitated that day
    (any status but active, or incapacitated on other days only), or on leave that day."""
    rows = Expert.objects.filter(pk__in=list(expert_ids)).exclude(_can_work_on(on_date))
    return set(rows.values_list("pk", flat=True))


def evaluations_of(*, expert: Expert) -> QuerySet[EvaluationResult]:
    """E-10: an expert's results, newest first, with their formula (for the explainer)."""
    return EvaluationResult.objects.filter(expert=expert).select_related("formula").order_by("-period_start", "period")


def expert_of(*, person: Person) -> Expert | None:
    return Expert.objects.filter(person=person).first()


def modem_loans_overdue(*, on_date: dt.date) -> QuerySet[ModemLoan]:
    """E-12: modems not returned whose last day to return them is before ``on_date``."""
    return (
        ModemLoan.objects.filter(returned_on__isnull=True, due_back_on__lt=on_date)
        .select_related("expert__person")
        .order_by("due_back_on", "pk")
    )


def one_month_after(day: dt.date) -> dt.date:
    """The same day of the next month (the last day of the next month when it has no such day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expert_included_on(*, expert: Expert) -> dt.date | None:
    """The day the expert entered the registry: the first 'included' or 'active' of their history."""
    change = (
        ExpertStatusChange.objects.filter(expert=expert, to_status__in=[Expert.Status.INCLUDED, Expert.Status.ACTIVE])
        .order_by("effective_from", "pk")
        .first()
    )
    return change.effective_from if change is not None else None


def experts_untrained_after_first_month(*, on_date: dt.date) -> list[tuple[Expert, dt.date]]:
    """E-12: active experts whose first month in the registry (from the day of inclusion to the same
    day of the next month, inclusive) ended before ``on_date`` with no training recorded in it."""
    first_entry = (
        ExpertStatusChange.objects.filter(
            expert=OuterRef("pk"), to_status__in=[Expert.Status.INCLUDED, Expert.Status.ACTIVE]
        )
        .order_by("effective_from", "pk")
        .values("effective_from")[:1]
    )
    experts = (
        Expert.objects.filter(status=Expert.Status.ACTIVE)
        .annotate(included_on=Subquery(first_entry))
        .filter(included_on__isnull=False, included_on__lt=on_date - dt.timedelta(days=28))
        .select_related("person")
    )
    trainings: dict[int, list[dt.date]] = {}
    for expert_id, held_on in Training.objects.filter(kind=Training.Kind.TRAINING, expert__in=experts).values_list(
        "expert_id", "held_on"
    ):
        trainings.setdefault(expert_id, []).append(held_on)
    missing: list[tuple[Expert, dt.date]] = []
    for expert in experts:
        start: dt.date = expert.included_on
        end = one_month_after(start)
        if end < on_date and not any(start <= d <= end for d in trainings.get(expert.pk, [])):
            missing.append((expert, end))
    return missing


def contract_status_of(*, expert: Expert | None) -> str:
    """Item 11: the contract's state as the cabinet says it, from the expert's registry status (E-6, E-7)."""
    from django.utils.translation import gettext as _

    S = Expert.Status
    if expert is None or expert.status in (S.APPLICANT, S.TESTING):
        return str(_("no contract yet"))
    return {
        S.INCLUDED: str(_("included: the contract is to be signed with your electronic signature")),
        S.CONTRACT_PENDING: str(_("the contract awaits your electronic signature (3 working days)")),
        S.ACTIVE: str(_("the contract is in force")),
        S.INCAPACITATED: str(_("the contract is in force; you are temporarily incapacitated")),
        S.EXCLUDED: str(_("the contract is terminated: excluded from the registry")),
        S.REFUSED: str(_("no contract: inclusion refused")),
    }.get(S(expert.status), str(_("no contract yet")))


# --- Item 11: the API's reads for the Committee's systems ----------------------------------------


def _local_day_bounds(
    day_from: dt.date | None, day_to: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day_from, dt.time.min, tzinfo=tz) if day_from else None
    end = dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if day_to else None
    return start, end


def application_list_filter(
    *, submitted_from: dt.date | None, submitted_to: dt.date | None, region_kato: str | None, status: str | None
) -> QuerySet[Application]:
    """Applications submitted in the period (local days, inclusive), of the region of the candidate's
    expert row (independent candidates have none: a region filter leaves them out), in ``status``;
    newest first."""
    start, end = _local_day_bounds(submitted_from, submitted_to)
    rows = Application.objects.select_related("person", "announcement", "expert__region")
    if start:
        rows = rows.filter(submitted_at__gte=start)
    if end:
        rows = rows.filter(submitted_at__lt=end)
    if region_kato:
        rows = rows.filter(expert__region__kato=region_kato)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-submitted_at", "-pk")


def evaluation_list_filter(
    *, period_from: dt.date | None, period_to: dt.date | None, region_kato: str | None, period: str | None
) -> QuerySet[EvaluationResult]:
    """E-10 results whose period starts within ``period_from``..``period_to`` (inclusive), of the
    expert's region, of one kind (month or year); newest period first."""
    rows = EvaluationResult.objects.select_related("expert__person", "expert__region", "formula")
    if period_from:
        rows = rows.filter(period_start__gte=period_from)
    if period_to:
        rows = rows.filter(period_start__lte=period_to)
    if region_kato:
        rows = rows.filter(expert__region__kato=region_kato)
    if period:
        rows = rows.filter(period=period)
    return rows.order_by("-period_start", "period", "expert_id")


def exclusion_list_filter(
    *, effective_from: dt.date | None, effective_to: dt.date | None, region_kato: str | None, ground: int | None
) -> QuerySet[ExpertStatusChange]:
    """E-7 exclusions: the status changes to excluded, dated within the period, of the region, on one ground."""
    rows = ExpertStatusChange.objects.filter(to_status=Expert.Status.EXCLUDED).select_related(
        "expert__person", "expert__region"
    )
    if effective_from:
        rows = rows.filter(effective_from__gte=effective_from)
    if effective_to:
        rows = rows.filter(effective_from__lte=effective_to)
    if region_kato:
        rows = rows.filter(expert__region__kato=region_kato)
    if ground:
        rows = rows.filter(exclusion_ground=ground)
    return rows.order_by("-effective_from", "-pk")


def registry_list_filter(
    *, since_from: dt.date | None, since_to: dt.date | None, region_kato: str | None, status: str
) -> QuerySet[Expert]:
    """The registry: experts in ``status`` (active by default in the API), in that status since a day
    within the period, of the region; with their nosological forms (competences)."""
    rows = (
        Expert.objects.filter(status=status)
        .select_related("person", "department", "region")
        .prefetch_related("nosology_groups")
    )
    if since_from:
        rows = rows.filter(status_since__gte=since_from)
    if since_to:
        rows = rows.filter(status_since__lte=since_to)
    if region_kato:
        rows = rows.filter(region__kato=region_kato)
    return rows.order_by("person__last_name", "person__first_name", "pk")


# --- the registry's deadlines on the core's radar (registered in ``deadlines.SOURCES``) ------
# An expert's area is their department's or region's (MSE department staff); an independent doctor
# without one is the Committee's: only national staff see their deadlines.


def _expert_in_region(region_id: int) -> Q:
    return Q(expert__region=region_id) | Q(expert__department__region=region_id)


def _expert_items(rows: Iterable[tuple[Any, ...]], *, kind: str, label: str, admin_url: str) -> list[DeadlineItem]:
    return [
        DeadlineItem(
            kind=kind,
            label=label,
            reference=str(public_id),
            url=reverse(admin_url, args=[pk]),
            due_at=end_of_day(due_on),  # a term "by (inclusive)" a date runs to that day's end
            department_id=department_id,
            region_id=region_id or department_region_id,
        )
        for pk, public_id, due_on, department_id, region_id, department_region_id in rows
    ]


_EXPERT_AREA = ("expert__department_id", "expert__region_id", "expert__department__region_id")


def contract_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """E-6: each contract awaiting the doctor's signature, due by the end of its ``sign_by`` day."""
    rows = scope.filter(
        ExpertContract.objects.filter(status=ExpertContract.Status.PENDING),
        department="expert__department",
        region=_expert_in_region,
    ).values_list("pk", "public_id", "sign_by", *_EXPERT_AREA)
    return _expert_items(
        rows,
        kind="expert_contract",
        label=gettext("Contract to sign"),
        admin_url="admin:expert_registry_expertcontract_change",
    )


def testing_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """E-5: each candidate admitted to testing, the test to be taken by the end of ``test_deadline``."""
    rows = scope.filter(
        Application.objects.filter(status=Application.Status.TESTING, test_deadline__isnull=False),
        department="expert__department",
        region=_expert_in_region,
    ).values_list("pk", "public_id", "test_deadline", *_EXPERT_AREA)
    return _expert_items(
        rows,
        kind="expert_test",
        label=gettext("Test to take"),
        admin_url="admin:expert_registry_application_change",
    )


def modem_loan_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """E-12: each USB modem not returned, due back by the end of its ``due_back_on`` day; a returned
    loan leaves the radar."""
    rows = scope.filter(
        ModemLoan.objects.filter(returned_on__isnull=True),
        department="expert__department",
        region=_expert_in_region,
    ).values_list("pk", "public_id", "due_back_on", *_EXPERT_AREA)
    return _expert_items(
        rows,
        kind="expert_modem_loan",
        label=gettext("USB modem to return"),
        admin_url="admin:expert_registry_modemloan_change",
    )
