"""E-10: the monthly and yearly evaluation of every expert, from ``WorkRecord`` only.

One grouped SQL query counts every expert's cases of the period; the formula's arithmetic runs on
those counts (``expert_registry.scoring``) and the results are written with one upsert per batch
(``INSERT ... ON CONFLICT (expert, period, period_start) DO UPDATE``): a repeated run updates the
same rows and never doubles a result (the unique constraint ``evaluation_one_per_period``).

A case counts in the period its decision was made in (decided, on time, reviewed, upheld); ``received``
counts the cases received in the period. Periods are local days (Asia/Almaty).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q
from django.utils import timezone

from expert_registry.errors import NO_FORMULA
from expert_registry.models import EvaluationFormula, EvaluationResult, Expert
from expert_registry.scoring import score_parts
from portal.errors import ApplicationError

UPSERT_BATCH = 1000
# [A] The yearly evaluation (by 20 December, E-10) covers 1 January to 30 November: the last day
# cases are distributed to doctor-experts (E-8), so the year's months are whole when it runs.
YEAR_LAST_MONTH = 11
# Experts without work in a period still get a result when their contract sets a plan.
PLANNED_STATUSES = (Expert.Status.ACTIVE, Expert.Status.INCAPACITATED)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def month_before(day: dt.date) -> Period:
    """The month before ``day``'s month (the one the run on the 1st evaluates)."""
    end = day.replace(day=1) - dt.timedelta(days=1)
    return Period(EvaluationResult.Period.MONTH, end.replace(day=1), end)


def year_of(year: int) -> Period:
    last = dt.date(year, YEAR_LAST_MONTH + 1, 1) - dt.timedelta(days=1)
    return Period(EvaluationResult.Period.YEAR, dt.date(year, 1, 1), last)


def formula_for(*, period_start: dt.date) -> EvaluationFormula:
    formula = EvaluationFormula.objects.filter(valid_from__lte=period_start).order_by("-valid_from", "-version").first()
    if formula is None:
        raise ApplicationError(NO_FORMULA, field="formula")
    return formula


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def evaluation_counts(*, period: Period) -> list[dict[str, Any]]:
    """One grouped query: per expert with work in the period (or a plan and a live contract) the counts
    the formula needs. Rows: expert_id, planned_monthly_cases, received, decided, on_time, reviewed, upheld."""
    start, end = _bounds(period)
    in_received = Q(work__received_at__gte=start, work__received_at__lt=end)
    in_decided = Q(work__decided_at__gte=start, work__decided_at__lt=end)
    decided = Q(w__decided_at__gte=start, w__decided_at__lt=end)
    rows = (
        Expert.objects.annotate(w=FilteredRelation("work", condition=in_received | in_decided))
        .filter(Q(w__id__isnull=False) | Q(status__in=PLANNED_STATUSES, planned_monthly_cases__gt=0))
        .values("id", "planned_monthly_cases")
        .annotate(
            received=Count("w", filter=Q(w__received_at__gte=start, w__received_at__lt=end)),
            decided=Count("w", filter=decided),
            on_time=Count("w", filter=decided & Q(w__decided_at__lte=F("w__due_at"))),
            reviewed=Count("w", filter=decided & Q(w__upheld__isnull=False)),
            upheld=Count("w", filter=decided & Q(w__upheld=True)),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


@transaction.atomic
def evaluations_compute(*, period: Period, now: dt.datetime | None = None) -> int:
    """Evaluate every expert for ``period``; returns how many results were written (inserted or updated)."""
    now = now or timezone.now()
    formula = formula_for(period_start=period.start)
    results = []
    for row in evaluation_counts(period=period):
        monthly = row["planned_monthly_cases"]
        planned = monthly * period.months if monthly else None
        decided, on_time = int(row["decided"] or 0), int(row["on_time"] or 0)
        reviewed, upheld = int(row["reviewed"] or 0), int(row["upheld"] or 0)
        parts = score_parts(
            formula=formula, decided=decided, on_time=on_time, reviewed=reviewed, upheld=upheld, planned=planned
        )
        results.append(
            EvaluationResult(
                expert_id=int(row["id"]),
                period=period.kind,
                period_start=period.start,
                period_end=period.end,
                formula=formula,
                received=int(row["received"] or 0),
                decided=decided,
                decided_on_time=on_time,
                reviewed=reviewed,
                upheld=upheld,
                planned=planned,
                timeliness=parts.timeliness,
                quality=parts.quality,
                volume=parts.volume,
                score=parts.score,
                computed_at=now,
            )
        )
    EvaluationResult.objects.bulk_create(
        results,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["expert", "period", "period_start"],
        update_fields=[
            "period_end",
            "formula",
            "received",
            "decided",
            "decided_on_time",
            "reviewed",
            "upheld",
            "planned",
            "timeliness",
            "quality",
            "volume",
            "score",
            "computed_at",
            "updated_at",
        ],
    )
    return len(results)


def evaluation_month_run(*, today: dt.date | None = None) -> int:
    """The beat's monthly run: the month before ``today``."""
    return evaluations_compute(period=month_before(today or timezone.localdate()))


def evaluation_year_run(*, today: dt.date | None = None) -> int:
    """The beat's yearly run (December): 1 January to 30 November of ``today``'s year."""
    return evaluations_compute(period=year_of((today or timezone.localdate()).year))
