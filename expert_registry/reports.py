"""X-7: the expert registry's monthly report, registered with ``portal.reports`` in ``ExpertRegistryConfig.ready``.

The area is the expert's: a department's staff experts (``Expert.department``); a region's staff
experts and independent doctors of the region (``Expert.region``). Every figure is an SQL aggregate:
no row is loaded into Python.

- applications submitted in the month (E-2), by where they stand now;
- refusals decided in the month by ground (E-4, E-5, E-6): one application may name several grounds,
  each counted;
- tests started in the month by result (E-5);
- inclusions (E-6) and exclusions by ground (E-7) that took effect in the month (the status history);
- the month's evaluation (E-10): scores in bands (under 50 %, 50 to under 70 %, 70 to under 90 %,
  90 % and more, no score);
- pay for the month (E-11): the experts evaluated, the services rendered (cases decided) and the
  amount, each expert's unit price (the year's tariff x the score / 100) rounded to the tiyn, then
  times the services, summed (``expert_registry.pricing``'s rule, computed in SQL).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Subquery, Sum, Value
from django.db.models.functions import Round
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from expert_registry.models import (
    Application,
    EvaluationResult,
    Expert,
    ExpertStatusChange,
    Tariff,
    TestAttempt,
)
from expert_registry.services.notices import DOCUMENT_REFUSAL_GROUNDS
from expert_registry.sms import EXPERT_REFUSAL_REASONS
from portal.reports.registry import Label, ReportDefinition, ReportScope, Section

KEY = "expert_registry"
REFUSAL_CODES = (*DOCUMENT_REFUSAL_GROUNDS, *EXPERT_REFUSAL_REASONS)
BANDS = (
    ("score_under_50", Q(score__lt=50)),
    ("score_50_70", Q(score__gte=50, score__lt=70)),
    ("score_70_90", Q(score__gte=70, score__lt=90)),
    ("score_90_up", Q(score__gte=90)),
    ("no_score", Q(score__isnull=True)),
)


def _reason_text(code: str) -> str:
    texts = EXPERT_REFUSAL_REASONS[code]
    return texts.get((get_language() or "ru")[:2]) or texts["ru"]


_reason_label = lazy(_reason_text, str)

LABELS: dict[str, Label] = {
    "applications": _("Applications submitted in the month, by where they stand"),
    "refusals_by_ground": _("Refusals decided in the month, by ground"),
    "tests": _("Tests started in the month, by result"),
    "inclusions": _("Included in the registry in the month"),
    "exclusions_by_ground": _("Excluded in the month, by ground"),
    "scores": _("The month's scores"),
    "pay": _("Pay for the month"),
    "measure": _("Figure"),
    "count": _("Number"),
    "value": _("Value"),
    "ground": _("Ground"),
    "status": _("Status"),
    "result": _("Result"),
    "band": _("Score"),
    "all": _("All"),
    "included": _("Included"),
    "evaluated": _("Experts evaluated"),
    "services": _("Services rendered (cases decided)"),
    "amount_tenge": _("Amount, tenge"),
    "score_under_50": _("under 50 %"),
    "score_50_70": _("50 % to under 70 %"),
    "score_70_90": _("70 % to under 90 %"),
    "score_90_up": _("90 % and more"),
    "no_score": _("no score (nothing to measure)"),
    **{f"status_{s.value}": s.label for s in Application.Status},
    **{f"result_{r.value}": r.label for r in TestAttempt.Result},
    **{f"ground_{g.value}": g.label for g in Expert.ExclusionGround},
    **{code: cast(Label, text) for code, text in DOCUMENT_REFUSAL_GROUNDS.items()},
    **{code: _reason_label(code) for code in EXPERT_REFUSAL_REASONS},
}


def _expert_scope(scope: ReportScope, path: str = "") -> Q:
    prefix = f"{path}__" if path else ""
    if scope.department_id is not None:
        return Q((f"{prefix}department_id", scope.department_id))
    if scope.region_id is not None:
        return Q((f"{prefix}region_id", scope.region_id)) | Q((f"{prefix}department__region_id", scope.region_id))
    return Q()


def _money(total: Any) -> Decimal:
    return Decimal(total if total is not None else 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def registry_report(scope: ReportScope) -> list[Section]:
    in_month = {"gte": scope.starts_at, "lt": scope.ends_at}
    applications = Application.objects.filter(
        _expert_scope(scope, "expert"), submitted_at__gte=in_month["gte"], submitted_at__lt=in_month["lt"]
    )
    by_status = applications.values("status").annotate(n=Count("pk")).order_by("status")
    decided = Application.objects.filter(
        _expert_scope(scope, "expert"), decided_at__gte=in_month["gte"], decided_at__lt=in_month["lt"]
    )
    # a ground's code stands in the JSON list as a quoted string: one filtered count per known ground
    grounds = decided.aggregate(
        **{code: Count("pk", filter=Q(refusal_grounds__icontains=f'"{code}"')) for code in REFUSAL_CODES}
    )
    tests = (
        TestAttempt.objects.filter(
            _expert_scope(scope, "application__expert"),
            started_at__gte=in_month["gte"],
            started_at__lt=in_month["lt"],
        )
        .values("result")
        .annotate(n=Count("pk"))
        .order_by("result")
    )
    changes = ExpertStatusChange.objects.filter(
        _expert_scope(scope, "expert"), effective_from__gte=scope.first_day, effective_from__lte=scope.last_day
    )
    included = changes.aggregate(n=Count("pk", filter=Q(to_status=Expert.Status.INCLUDED)))["n"]
    excluded = (
        changes.filter(to_status=Expert.Status.EXCLUDED)
        .values("exclusion_ground")
        .annotate(n=Count("pk"))
        .order_by("exclusion_ground")
    )

    results = EvaluationResult.objects.filter(
        _expert_scope(scope, "expert"), period=EvaluationResult.Period.MONTH, period_start=scope.first_day
    )
    scores = results.aggregate(**{key: Count("pk", filter=q) for key, q in BANDS})
    tariff = Subquery(Tariff.objects.filter(year=scope.first_day.year).values("amount")[:1])
    money = DecimalField(max_digits=16, decimal_places=2)
    unit_price = Round(ExpressionWrapper(tariff * F("score") / Value(Decimal(100)), output_field=money), precision=2)
    pay = (
        results.filter(score__isnull=False)
        .annotate(unit_price=unit_price)
        .aggregate(
            evaluated=Count("pk"),
            services=Sum("decided"),
            amount=Sum(ExpressionWrapper(F("unit_price") * F("decided"), output_field=money)),
        )
    )

    return [
        Section(
            "applications",
            ("status", "count"),
            [["all", applications.count()], *[[f"status_{r['status']}", r["n"]] for r in by_status]],
        ),
        Section("refusals_by_ground", ("ground", "count"), [[code, grounds[code]] for code in REFUSAL_CODES]),
        Section("tests", ("result", "count"), [[f"result_{r['result']}", r["n"]] for r in tests]),
        Section("inclusions", ("measure", "count"), [["included", included]]),
        Section(
            "exclusions_by_ground",
            ("ground", "count"),
            [[f"ground_{r['exclusion_ground']}", r["n"]] for r in excluded],
        ),
        Section("scores", ("band", "count"), [[key, scores[key]] for key, _q in BANDS]),
        Section(
            "pay",
            ("measure", "value"),
            [
                ["evaluated", pay["evaluated"]],
                ["services", pay["services"] or 0],
                ["amount_tenge", _money(pay["amount"])],
            ],
        ),
    ]


REPORT = ReportDefinition(
    key=KEY,
    title=_("Registry of doctor-experts"),
    build=registry_report,
    labels=LABELS,
    decimal_columns=frozenset({"value"}),
)
