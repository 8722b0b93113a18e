"""X-7: the benefits' monthly report, registered with ``portal.reports`` in ``BenefitsConfig.ready``.

The month's applications are those submitted in the month (``Application.submitted_at``); the month's
assignments are the decisions approved in the month (``Decision.approved_at``). Benefits are decided
nationwide, not by an MSE department: a region's or a department's report counts the applications of
applicants registered in its area (the person's registration ATU); an application filed by an
organisation (a BIN, no person) counts only in the country's report, as the notes say. Every figure is
an SQL aggregate: no row is loaded into Python.

- applications by channel (portal, State Corporation, proactive) and by programme;
- acceptance (B-10): accepted, not accepted, and not accepted by ground;
- decisions on the month's applications: assigned, refused, waiting, and refused by ground;
- decisions within their terms: approved by the application's ``decision_due_at``, after it, not
  approved yet (only applications with a due time);
- amounts assigned by the decisions approved in the month, by programme: how many, their total in
  tenge (a monthly benefit counts its month's amount, the funeral payment its whole sum).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from benefits.models import Application, Channel, Decision, DecisionKind, Programme, Stage
from benefits.refusals import GROUNDS, Ground
from portal.reports.registry import Label, ReportDefinition, ReportScope, Section
from portal.territory.selectors import atus_served_by

KEY = "benefits"


def _ground_text(ground: Ground) -> str:
    return ground.text((get_language() or "ru")[:2])


_ground_label = lazy(_ground_text, str)

LABELS: dict[str, Label] = {
    "channels": _("Applications by channel"),
    "programmes": _("Applications by programme"),
    "acceptance": _("Acceptance of the month's applications"),
    "not_accepted_by_ground": _("Not accepted, by ground"),
    "decisions": _("Decisions on the month's applications"),
    "refused_by_ground": _("Refused, by ground"),
    "terms": _("Decisions within their terms"),
    "amounts": _("Amounts assigned by the decisions approved in the month"),
    "measure": _("Figure"),
    "count": _("Number"),
    "channel": _("Channel"),
    "programme": _("Programme"),
    "ground": _("Ground"),
    "total_tenge": _("Total, tenge"),
    "submitted": _("Submitted"),
    "accepted": _("Accepted"),
    "not_accepted": _("Not accepted"),
    "assigned": _("Assigned"),
    "refused": _("Refused"),
    "waiting": _("Waiting"),
    "with_term": _("With a decision term"),
    "within_term": _("Approved within the term"),
    "after_term": _("Approved after the term"),
    "not_approved": _("Not approved yet"),
    "": _("(no ground recorded)"),
    **{c.value: c.label for c in Channel},
    **{p.value: p.label for p in Programme},
    **{code: _ground_label(ground) for code, ground in GROUNDS.items()},
}

NOTES = (
    _(
        "Benefits are decided nationwide: a region's or a department's report counts the applications of "
        "persons registered in its area; applications filed by an organisation count only in the country's report."
    ),
)


def _person_scope(scope: ReportScope, path: str) -> Q:
    atu = f"{path}__registration_atu"
    if scope.department_id is not None:
        return Q((f"{atu}__in", atus_served_by(scope.department_id).values("pk")))
    if scope.region_id is not None:
        return Q((f"{atu}__region_id", scope.region_id))
    return Q()


def _money(total: Decimal | None) -> Decimal | None:
    """Tenge with its two decimals, whatever scale the database's sum comes back with."""
    return None if total is None else Decimal(total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _grouped(rows: Any, field: str) -> list[list[Any]]:
    return [[r[field], r["n"]] for r in rows]


def benefits_report(scope: ReportScope) -> list[Section]:
    in_area = Application.objects.filter(_person_scope(scope, "applicant"))
    month = in_area.filter(submitted_at__gte=scope.starts_at, submitted_at__lt=scope.ends_at)

    channels = month.values("channel").annotate(n=Count("pk")).order_by("channel")
    programmes = month.values("programme").annotate(n=Count("pk")).order_by("programme")
    not_accepted = (
        month.filter(stage=Stage.NOT_ACCEPTED).values("refusal_code").annotate(n=Count("pk")).order_by("refusal_code")
    )
    refused = (
        Decision.objects.filter(application__in=month.values("pk"), kind=DecisionKind.REFUSED)
        .values("ground_code")
        .annotate(n=Count("pk"))
        .order_by("ground_code")
    )
    approved = Q(decision__approved_at__isnull=False)
    a = month.aggregate(
        submitted=Count("pk"),
        accepted=Count("pk", filter=~Q(stage=Stage.NOT_ACCEPTED)),
        not_accepted=Count("pk", filter=Q(stage=Stage.NOT_ACCEPTED)),
        assigned=Count("pk", filter=Q(decision__kind=DecisionKind.ASSIGNED)),
        refused=Count("pk", filter=Q(decision__kind=DecisionKind.REFUSED)),
        waiting=Count("pk", filter=Q(decision__kind=DecisionKind.WAITING)),
        with_term=Count("pk", filter=Q(decision_due_at__isnull=False)),
        within_term=Count("pk", filter=approved & Q(decision__approved_at__lte=F("decision_due_at"))),
        after_term=Count("pk", filter=approved & Q(decision__approved_at__gt=F("decision_due_at"))),
        not_approved=Count("pk", filter=Q(decision_due_at__isnull=False) & ~approved),
    )
    amounts = (
        Decision.objects.filter(
            application__in=in_area.values("pk"),
            kind=DecisionKind.ASSIGNED,
            approved_at__gte=scope.starts_at,
            approved_at__lt=scope.ends_at,
        )
        .values("application__programme")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("application__programme")
    )
    return [
        Section("channels", ("channel", "count"), _grouped(channels, "channel")),
        Section("programmes", ("programme", "count"), _grouped(programmes, "programme")),
        Section("acceptance", ("measure", "count"), [[k, a[k]] for k in ("submitted", "accepted", "not_accepted")]),
        Section("not_accepted_by_ground", ("ground", "count"), _grouped(not_accepted, "refusal_code")),
        Section("decisions", ("measure", "count"), [[k, a[k]] for k in ("assigned", "refused", "waiting")]),
        Section("refused_by_ground", ("ground", "count"), _grouped(refused, "ground_code")),
        Section(
            "terms",
            ("measure", "count"),
            [[k, a[k]] for k in ("with_term", "within_term", "after_term", "not_approved")],
        ),
        Section(
            "amounts",
            ("programme", "count", "total_tenge"),
            [[r["application__programme"], r["n"], _money(r["total"])] for r in amounts],
            chart_column=2,
        ),
    ]


REPORT = ReportDefinition(
    key=KEY,
    title=_("Benefits"),
    build=benefits_report,
    labels=LABELS,
    decimal_columns=frozenset({"total_tenge"}),
    notes=NOTES,
)
