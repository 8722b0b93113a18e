"""E-10: the monthly and yearly evaluation of every expert, from ``WorkRecord`` only.

Two paths give the same rows (``tests/expert_registry/test_e10_sql_path.py`` compares them):

- PostgreSQL: one statement per period (``EVALUATE_SQL``) counts every expert's cases, pairs each
  expert with the period's stored row and, for the rows that must be written only (missing, open, or
  with other inputs or formula), computes the three parts and the weighted score of the formula in
  whole hundredths of a percentage point (rounded half up, exactly as ``scoring.percent`` and
  ``scoring.score_parts`` do in Decimal); it fills or rewrites those rows in place and inserts the
  missing ones. Nothing travels to Python but four counts.
- any other database (SQLite in development and tests): one grouped ORM query counts, the formula's
  arithmetic runs on those counts (``expert_registry.scoring``), the period's stored results are read
  once and only the changed, open or missing ones are written, with one upsert per batch
  (``bulk_create(update_conflicts=True)``).

A month's rows are opened while the month runs: the work record of an expert's first case received or
decided in a month opens that month's row (``evaluation_months_open``: zero counts, no score,
``computed_at`` empty), and the run fills it in place. Writing 5,000 new rows at once, each with its
foreign-key checks and index entries, cost the run four times its count; an update in place costs
neither. A row the run does not fill (its expert is not evaluated after all) is removed by it.

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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Q
from django.utils import timezone

from expert_registry.errors import NO_FORMULA
from expert_registry.models import EvaluationFormula, EvaluationResult, Expert
from expert_registry.scoring import score_parts
from portal.bulk import bulk_insert
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


def month_of(moment: dt.datetime) -> Period:
    """The month (local days) ``moment`` falls in."""
    day = timezone.localdate(moment)
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(EvaluationResult.Period.MONTH, first, last)


def evaluation_months_open(*, entries: Iterable[tuple[int, dt.datetime]]) -> int:
    """Open the month's result row of each (expert id, moment of a case received or decided) that has
    none yet: counts zero, no score, ``computed_at`` empty, the formula valid on the month's first day
    (no formula yet: nothing opened; the run inserts the row). One INSERT; a row that exists, open or
    computed, is left as it is. Returns how many (expert, month) pairs were asked for.

    The run on the 1st then fills each row in place (``evaluations_compute``) instead of inserting
    5,000 rows with their foreign-key checks and index entries at once."""
    pairs = {(expert_id, month_of(moment)) for expert_id, moment in entries}
    formulas: dict[dt.date, EvaluationFormula | None] = {}
    rows = []
    for expert_id, month in sorted(pairs, key=lambda pair: (pair[1].start, pair[0])):
        if month.start not in formulas:
            formulas[month.start] = _formula_or_none(period_start=month.start)
        formula = formulas[month.start]
        if formula is None:
            continue
        rows.append(
            EvaluationResult(
                expert_id=expert_id,
                period=month.kind,
                period_start=month.start,
                period_end=month.end,
                formula=formula,
                received=0,
                decided=0,
                decided_on_time=0,
                reviewed=0,
                upheld=0,
            )
        )
    bulk_insert(rows, ignore_conflicts=True)
    return len(pairs)


def _formula_or_none(*, period_start: dt.date) -> EvaluationFormula | None:
    try:
        return formula_for(period_start=period_start)
    except ApplicationError:
        return None


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
# ``inputs`` is every evaluated expert's counts and plan. ``paired`` keeps only those whose row must be
# written: missing, open (``computed_at`` empty), or stored with other inputs, formula or last day. The
# parts and the score are a function of the inputs and the formula (a formula with results is frozen),
# so comparing the whole numbers is enough, and the arithmetic runs only for the rows written.
#
# The arithmetic runs on whole numbers of hundredths of a percentage point: a share part/whole rounded
# half up to 0.01 is (part x 20000 + whole) div (2 x whole) hundredths, and the weighted score
# sum(w x v) / sum(w) is (2 x sum(w x v) + sum(w)) div (2 x sum(w)), every term non-negative; exact,
# as ``scoring.score_parts`` in Decimal (the test compares the two), and several times cheaper than
# dividing in ``numeric``. Only the results are turned into ``numeric`` (x 0.01).
#
# ``changed`` fills open rows and rewrites changed ones in place (a heap-only update: no index column
# changes and the table leaves room on its pages), ``added`` inserts the missing ones (a row a case
# opened after this statement began is left to the next run), ``cleared`` removes an open row of an
# expert who is not evaluated after all. The writes read ``computed`` (materialised first), never the
# table they write. The caller holds the period's advisory lock, so no other run writes the same
# results meanwhile. It returns how many experts were evaluated, how many results changed and how many
# were added.
EVALUATE_SQL = """
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
inputs AS MATERIALIZED (
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
paired AS (
    SELECT i.*, r.id AS result_id
    FROM inputs i
    LEFT JOIN expert_registry_evaluationresult r
           ON r.expert_id = i.expert_id AND r.period = %(kind)s AND r.period_start = %(first_day)s
    WHERE r.id IS NULL
       OR r.computed_at IS NULL
       OR (r.period_end, r.formula_id, r.received, r.decided, r.decided_on_time, r.reviewed, r.upheld, r.planned)
          IS DISTINCT FROM
          (%(last_day)s::date, %(formula)s::bigint, i.received, i.decided, i.on_time, i.reviewed, i.upheld, i.planned)
),
hundredths AS (
    SELECT p.*,
           CASE WHEN p.decided > 0 THEN (p.on_time * 20000 + p.decided) / (2 * p.decided) END AS t,
           CASE WHEN p.reviewed > 0 THEN (p.upheld * 20000 + p.reviewed) / (2 * p.reviewed) END AS q,
           CASE WHEN p.planned > 0
                THEN LEAST((p.decided * 20000 + p.planned) / (2 * p.planned::bigint), %(cap)s) END AS v
    FROM paired p
),
weighted AS (
    SELECT h.*,
           COALESCE(%(wt)s * h.t, 0) + COALESCE(%(wq)s * h.q, 0) + COALESCE(%(wv)s * h.v, 0) AS weighted_sum,
           CASE WHEN h.t IS NULL THEN 0 ELSE %(wt)s END
         + CASE WHEN h.q IS NULL THEN 0 ELSE %(wq)s END
         + CASE WHEN h.v IS NULL THEN 0 ELSE %(wv)s END AS weight_sum
    FROM hundredths h
),
computed AS MATERIALIZED (
    SELECT w.result_id, w.expert_id, w.received, w.decided, w.on_time, w.reviewed, w.upheld, w.planned,
           w.t * 0.01 AS timeliness, w.q * 0.01 AS quality, w.v * 0.01 AS volume,
           CASE WHEN w.weight_sum > 0
                THEN (2 * w.weighted_sum + w.weight_sum) / (2 * w.weight_sum) * 0.01 END AS score
    FROM weighted w
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
    FROM computed m
    WHERE m.result_id IS NOT NULL AND r.id = m.result_id
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
    FROM computed m
    WHERE m.result_id IS NULL
    ON CONFLICT ON CONSTRAINT evaluation_one_per_period DO NOTHING
    RETURNING 1
),
cleared AS (
    DELETE FROM expert_registry_evaluationresult r
    WHERE r.period = %(kind)s AND r.period_start = %(first_day)s AND r.computed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM inputs i WHERE i.expert_id = r.expert_id)
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM inputs), (SELECT COUNT(*) FROM changed), (SELECT COUNT(*) FROM added),
       (SELECT COUNT(*) FROM cleared)
"""

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
        cursor.execute(EVALUATE_SQL, params)
        evaluated, _changed, _added, _cleared = cursor.fetchone()
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
    # an open row still open now belongs to an expert who is not evaluated after all
    EvaluationResult.all_rows.filter(period=period.kind, period_start=period.start, computed_at__isnull=True).delete()
    return evaluated


def evaluation_month_run(*, today: dt.date | None = None) -> int:
    """The beat's monthly run: the month before ``today``."""
    return evaluations_compute(period=month_before(today or timezone.localdate()))


def evaluation_year_run(*, today: dt.date | None = None) -> int:
    """The beat's yearly run (December): 1 January to 30 November of ``today``'s year."""
    return evaluations_compute(period=year_of((today or timezone.localdate()).year))
