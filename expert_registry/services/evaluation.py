"""E-10: the monthly and yearly evaluation of every expert, from ``WorkRecord`` only.

Two paths give the same rows (``tests/expert_registry/test_e10_sql_path.py`` compares them):

- PostgreSQL: one statement per period whose first part (``COMPUTE_CTES``) counts every expert's cases
  and computes the three parts and the weighted score of the formula in whole hundredths of a
  percentage point (rounded half up, exactly as ``scoring.percent`` and ``scoring.score_parts`` do in
  Decimal), then pairs each result with the period's stored one: it updates only the results that
  changed and inserts the missing ones (``EVALUATE_SQL``); a period with no result stored yet (the
  run on the 1st) has nothing to pair, and its results are inserted straight (``INSERT_SQL``).
  Nothing travels to Python but three counts.
- any other database (SQLite in development and tests): one grouped ORM query counts, the formula's
  arithmetic runs on those counts (``expert_registry.scoring``), the period's stored results are read
  once and only the changed or missing ones are written, with one upsert per batch
  (``bulk_create(update_conflicts=True)``).

Either way a repeated run never doubles a result (the unique constraint ``evaluation_one_per_period``);
a result keeps its ``public_id`` and ``created_at``, and one whose inputs, formula and score are the
same is not rewritten: its ``computed_at`` is when it last changed.

A case counts in the period its decision was made in (decided, on time, reviewed, upheld); ``received``
counts the cases received in the period. A case withdrawn from the expert (redistributed away, E-9,
``WorkRecord.withdrawn_at``) is never decided by them, so it is neither received, decided nor late.
Periods are local days (Asia/Almaty).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
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
            received=Count(
                "w", filter=Q(w__received_at__gte=start, w__received_at__lt=end, w__withdrawn_at__isnull=True)
            ),
            decided=Count("w", filter=decided),
            on_time=Count("w", filter=decided & Q(w__decided_at__lte=F("w__due_at"))),
            reviewed=Count("w", filter=decided & Q(w__upheld__isnull=False)),
            upheld=Count("w", filter=decided & Q(w__upheld=True)),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


# One statement per period on PostgreSQL. The parameters are the period's bounds (local midnights),
# its kind, first and last day, the months it spans, the formula's id, its weights and volume cap in
# hundredths (whole numbers: they have two decimal places), and the statuses of experts evaluated
# without work (a plan and a live contract).
#
# The arithmetic runs on whole numbers of hundredths of a percentage point: a share part/whole rounded
# half up to 0.01 is (part x 20000 + whole) div (2 x whole) hundredths, and the weighted score
# sum(w x v) / sum(w) is (2 x sum(w x v) + sum(w)) div (2 x sum(w)), every term non-negative; exact,
# as ``scoring.score_parts`` in Decimal (the test compares the two), and several times cheaper than
# dividing in ``numeric``. Only the results are turned into ``numeric`` (x 0.01).
#
# ``stored`` is the period's results before the statement; ``merged`` pairs each computed result with
# its stored row: ``changed`` rewrites only the rows whose inputs, formula or score differ and ``added``
# inserts the missing ones, so a repeat that finds nothing new writes nothing. Both read ``merged``
# (materialised before either writes), never the table they write. The caller holds the period's
# advisory lock, so no other run inserts the same results meanwhile. It returns how many experts were
# evaluated, how many results changed and how many were added.
COMPUTE_CTES = """
WITH counts AS (
    SELECT w.expert_id,
           COUNT(*) FILTER (WHERE w.received_at >= %(start)s AND w.received_at < %(end)s
                              AND w.withdrawn_at IS NULL) AS received,
           COUNT(*) FILTER (WHERE w.decided_at >= %(start)s AND w.decided_at < %(end)s) AS decided,
           COUNT(*) FILTER (WHERE w.decided_at >= %(start)s AND w.decided_at < %(end)s
                              AND w.decided_at <= w.due_at) AS on_time,
           COUNT(*) FILTER (WHERE w.decided_at >= %(start)s AND w.decided_at < %(end)s
                              AND w.upheld IS NOT NULL) AS reviewed,
           COUNT(*) FILTER (WHERE w.decided_at >= %(start)s AND w.decided_at < %(end)s
                              AND w.upheld) AS upheld
    FROM expert_registry_workrecord w
    WHERE (w.received_at >= %(start)s AND w.received_at < %(end)s)
       OR (w.decided_at >= %(start)s AND w.decided_at < %(end)s)
    GROUP BY w.expert_id
),
inputs AS (
    SELECT e.id AS expert_id,
           COALESCE(c.received, 0) AS received,
           COALESCE(c.decided, 0) AS decided,
           COALESCE(c.on_time, 0) AS on_time,
           COALESCE(c.reviewed, 0) AS reviewed,
           COALESCE(c.upheld, 0) AS upheld,
           CASE WHEN e.planned_monthly_cases > 0 THEN e.planned_monthly_cases * %(months)s END AS planned
    FROM expert_registry_expert e
    LEFT JOIN counts c ON c.expert_id = e.id
    WHERE c.expert_id IS NOT NULL
       OR (e.status = ANY(%(statuses)s) AND e.planned_monthly_cases > 0)
),
hundredths AS (
    SELECT i.*,
           CASE WHEN i.decided > 0 THEN (i.on_time * 20000 + i.decided) / (2 * i.decided) END AS t,
           CASE WHEN i.reviewed > 0 THEN (i.upheld * 20000 + i.reviewed) / (2 * i.reviewed) END AS q,
           CASE WHEN i.planned > 0
                THEN LEAST((i.decided * 20000 + i.planned) / (2 * i.planned::bigint), %(cap)s) END AS v
    FROM inputs i
),
weighted AS (
    SELECT h.*,
           COALESCE(%(wt)s * h.t, 0) + COALESCE(%(wq)s * h.q, 0) + COALESCE(%(wv)s * h.v, 0) AS weighted_sum,
           CASE WHEN h.t IS NULL THEN 0 ELSE %(wt)s END
         + CASE WHEN h.q IS NULL THEN 0 ELSE %(wq)s END
         + CASE WHEN h.v IS NULL THEN 0 ELSE %(wv)s END AS weight_sum
    FROM hundredths h
),
computed AS (
    SELECT w.expert_id, w.received, w.decided, w.on_time, w.reviewed, w.upheld, w.planned,
           w.t * 0.01 AS timeliness, w.q * 0.01 AS quality, w.v * 0.01 AS volume,
           CASE WHEN w.weight_sum > 0
                THEN (2 * w.weighted_sum + w.weight_sum) / (2 * w.weight_sum) * 0.01 END AS score
    FROM weighted w
)
"""
EVALUATE_SQL = (
    COMPUTE_CTES  # noqa: S608 (constants of this module)
    + """,
stored AS MATERIALIZED (
    SELECT r.id, r.expert_id, r.period_end, r.formula_id, r.received, r.decided, r.decided_on_time,
           r.reviewed, r.upheld, r.planned, r.timeliness, r.quality, r.volume, r.score
    FROM expert_registry_evaluationresult r
    WHERE r.period = %(kind)s AND r.period_start = %(first_day)s
),
merged AS MATERIALIZED (
    SELECT c.*, s.id AS result_id,
           (s.period_end, s.formula_id, s.received, s.decided, s.decided_on_time, s.reviewed, s.upheld,
            s.planned, s.timeliness, s.quality, s.volume, s.score)
           IS DISTINCT FROM
           (%(last_day)s::date, %(formula)s::bigint, c.received, c.decided, c.on_time, c.reviewed, c.upheld,
            c.planned, c.timeliness, c.quality, c.volume, c.score) AS differs
    FROM computed c
    LEFT JOIN stored s ON s.expert_id = c.expert_id
),
changed AS (
    UPDATE expert_registry_evaluationresult r SET
        updated_at = %(now)s,
        period_end = %(last_day)s,
        formula_id = %(formula)s,
        received = m.received,
        decided = m.decided,
        decided_on_time = m.on_time,
        reviewed = m.reviewed,
        upheld = m.upheld,
        planned = m.planned,
        timeliness = m.timeliness,
        quality = m.quality,
        volume = m.volume,
        score = m.score,
        computed_at = %(now)s
    FROM merged m
    WHERE m.result_id IS NOT NULL AND m.differs AND r.id = m.result_id
    RETURNING 1
),
added AS (
    INSERT INTO expert_registry_evaluationresult (
        public_id, created_at, updated_at, expert_id, period, period_start, period_end, formula_id,
        received, decided, decided_on_time, reviewed, upheld, planned,
        timeliness, quality, volume, score, computed_at
    )
    SELECT gen_random_uuid(), %(now)s, %(now)s, m.expert_id, %(kind)s, %(first_day)s, %(last_day)s, %(formula)s,
           m.received, m.decided, m.on_time, m.reviewed, m.upheld, m.planned,
           m.timeliness, m.quality, m.volume, m.score, %(now)s
    FROM merged m
    WHERE m.result_id IS NULL
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM merged), (SELECT COUNT(*) FROM changed), (SELECT COUNT(*) FROM added)
"""
)
# The first run of a period (no result of it stored yet, under the same lock): every result inserted
# straight from ``computed``, with nothing to pair it with.
INSERT_SQL = (
    COMPUTE_CTES  # noqa: S608 (constants of this module)
    + """,
added AS (
    INSERT INTO expert_registry_evaluationresult (
        public_id, created_at, updated_at, expert_id, period, period_start, period_end, formula_id,
        received, decided, decided_on_time, reviewed, upheld, planned,
        timeliness, quality, volume, score, computed_at
    )
    SELECT gen_random_uuid(), %(now)s, %(now)s, c.expert_id, %(kind)s, %(first_day)s, %(last_day)s, %(formula)s,
           c.received, c.decided, c.on_time, c.reviewed, c.upheld, c.planned,
           c.timeliness, c.quality, c.volume, c.score, %(now)s
    FROM computed c
    RETURNING 1
)
SELECT COUNT(*), 0, COUNT(*) FROM added
"""
)

# The fields a repeat run compares: a result whose every one is unchanged is not rewritten (it keeps
# its ``computed_at``: when it last changed).
COMPARED = (
    "period_end",
    "formula_id",
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
)


@transaction.atomic
def evaluations_compute(*, period: Period, now: dt.datetime | None = None, portable: bool = False) -> int:
    """Evaluate every expert for ``period``; returns how many experts were evaluated (results added,
    changed, or stored already with the same inputs, formula and score: those are not rewritten).

    One SQL statement on PostgreSQL; the portable ORM path elsewhere, or when ``portable`` is set
    (the test that compares the two, and the benchmark)."""
    now = now or timezone.now()
    formula = formula_for(period_start=period.start)
    if connection.vendor == "postgresql" and not portable:
        return _evaluations_compute_sql(period=period, formula=formula, now=now)
    return _evaluations_compute_orm(period=period, formula=formula, now=now)


def _hundredths(value: Decimal) -> int:
    """A formula's weight or cap (two decimal places) in whole hundredths."""
    return int(value * 100)


def _evaluations_compute_sql(*, period: Period, formula: EvaluationFormula, now: dt.datetime) -> int:
    start, end = _bounds(period)
    params: dict[str, Any] = {
        "start": start,
        "end": end,
        "months": period.months,
        "statuses": [str(s) for s in PLANNED_STATUSES],
        "cap": _hundredths(formula.volume_cap),
        "wt": _hundredths(formula.weight_timeliness),
        "wq": _hundredths(formula.weight_quality),
        "wv": _hundredths(formula.weight_volume),
        "now": now,
        "kind": period.kind,
        "first_day": period.start,
        "last_day": period.end,
        "formula": formula.pk,
    }
    with connection.cursor() as cursor:
        # one run of a period at a time (a manual run beside the beat's): the second waits, then finds
        # the first one's results stored and rewrites only what changed
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"expert_registry.evaluate:{period.kind}:{period.start}"]
        )
        stored = EvaluationResult.objects.filter(period=period.kind, period_start=period.start).exists()
        cursor.execute(EVALUATE_SQL if stored else INSERT_SQL, params)
        evaluated, _changed, _added = cursor.fetchone()
    return int(evaluated)


def _evaluations_compute_orm(*, period: Period, formula: EvaluationFormula, now: dt.datetime) -> int:
    stored = {
        row[0]: row[1:]
        for row in EvaluationResult.objects.filter(period=period.kind, period_start=period.start).values_list(
            "expert_id", *COMPARED
        )
    }
    evaluated = 0
    results = []
    for row in evaluation_counts(period=period):
        evaluated += 1
        monthly = row["planned_monthly_cases"]
        planned = monthly * period.months if monthly else None
        decided, on_time = int(row["decided"] or 0), int(row["on_time"] or 0)
        reviewed, upheld = int(row["reviewed"] or 0), int(row["upheld"] or 0)
        parts = score_parts(
            formula=formula, decided=decided, on_time=on_time, reviewed=reviewed, upheld=upheld, planned=planned
        )
        result = EvaluationResult(
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
        if stored.get(result.expert_id) != tuple(getattr(result, name) for name in COMPARED):
            results.append(result)
    EvaluationResult.objects.bulk_create(
        results,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["expert", "period", "period_start"],
        update_fields=[*(name.removesuffix("_id") for name in COMPARED), "computed_at", "updated_at"],
    )
    return evaluated


def evaluation_month_run(*, today: dt.date | None = None) -> int:
    """The beat's monthly run: the month before ``today``."""
    return evaluations_compute(period=month_before(today or timezone.localdate()))


def evaluation_year_run(*, today: dt.date | None = None) -> int:
    """The beat's yearly run (December): 1 January to 30 November of ``today``'s year."""
    return evaluations_compute(period=year_of((today or timezone.localdate()).year))
