"""X-7: the remote pilot's monthly report, registered with ``portal.reports`` in ``MsePilotConfig.ready``.

The month's cases are the draft acts received in the month (``RemoteCase.received_at``); the area is
the person's registration, as the staff pages scope the cases (a department: the ATUs it serves; a
region: its ATUs). Every figure is an SQL aggregate: no row is loaded into Python.

- cases by nosological form, by the region of the medical organisation that signed the form and by
  its MIS vendor (the pilot's rollout is per region and vendor, P-1);
- time waiting for distribution (P-6): from receipt to the first panel member's assignment; cases
  still waiting when the report was built;
- decisions against P-7's due time (``RemoteCase.due_at``): decided by it, decided after it, not
  decided when the report was built;
- redistributions (E-9): panel members sent in the month in place of another, and how many of them
  gave their conclusion by their due time;
- panel disagreements (E-8 [A]): cases sent to the methodology department in the month (no majority,
  or a member declined), and how many it decided.

- intake refusals for a missing mandatory examination (P-3, P-4), by nosological form and
  examination code: the anonymous ``IntakeRefusal`` counts of the month's days. They carry no person,
  only the department that served the person's registration unit on the day of the refusal and the
  region of the medical organisation that signed the form: a department's report counts the rows of
  that department, a region's report the rows of that region (by the organisation, as before the
  department was recorded), which the notes say. A row without a department (no registration, a unit
  no department serves, or counted before the department was recorded) is in no department's report.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from mse_pilot.models import IntakeRefusal, MandatoryExamination, PanelAssignment, RemoteCase
from portal.referrals.models import MisVendor
from portal.reports.registry import ReportDefinition, ReportScope, Section
from portal.territory.selectors import atus_served_by

KEY = "mse_pilot"

LABELS = {
    "by_nosology": _("Cases by nosological form"),
    "by_region": _("Cases by region of the medical organisation"),
    "by_vendor": _("Cases by MIS vendor"),
    "distribution": _("Waiting for distribution to the panel (P-6)"),
    "p7_decisions": _("Decisions against the due time (P-7)"),
    "redistributions": _("Redistributions (E-9)"),
    "disagreements": _("Panel disagreements: the methodology department (E-8)"),
    "refusals": _("Intake refusals by missing examination (P-4)"),
    "examination": _("Nosological form and missing examination"),
    "refused": _("Forms refused for it"),
    "nosology": _("Nosological form"),
    "region": _("Region"),
    "vendor": _("MIS vendor"),
    "measure": _("Figure"),
    "count": _("Number"),
    "value": _("Value"),
    "received": _("Draft acts received"),
    "distributed": _("Distributed to the panel"),
    "still_waiting": _("Still waiting for distribution"),
    "average_minutes": _("Average minutes"),
    "longest_minutes": _("Longest, minutes"),
    "decided": _("Decided"),
    "on_time": _("Decided by the due time"),
    "late": _("Decided after the due time"),
    "undecided": _("Not decided yet"),
    "replacements": _("Panel members sent in place of another"),
    "replacements_on_time": _("Their conclusions given by the due time"),
    "to_methodology": _("Sent to the methodology department"),
    "decided_by_methodology": _("Decided by the methodology department"),
    **{vendor.value: vendor.label for vendor in MisVendor},
}

NOTES = (
    _(
        "Intake refusals for a missing mandatory examination (P-4) are anonymous: a refused form is not "
        "stored. A department's report counts those of the people whose place of registration it served on "
        "the day of the refusal; a region's report counts them by the region of the medical organisation "
        "that signed the form. A refusal of a person whose place of registration no department serves, or "
        "one counted before refusals recorded the department, is in no department's report. A form missing "
        "two examinations counts once under each."
    ),
)


def _minutes(total: dt.timedelta | None, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total.total_seconds()) / Decimal(60) / Decimal(count)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _whole_minutes(duration: dt.timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _person_scope(scope: ReportScope, path: str) -> Q:
    atu = f"{path}__registration_atu"
    if scope.department_id is not None:
        return Q((f"{atu}__in", atus_served_by(scope.department_id).values("pk")))
    if scope.region_id is not None:
        return Q((f"{atu}__region_id", scope.region_id))
    return Q()


def _refusal_scope(scope: ReportScope) -> Q:
    """An anonymous refusal reaches a department by the one it recorded (the person's, on the day)
    and a region by the medical organisation's."""
    if scope.department_id is not None:
        return Q(department_id=scope.department_id)
    return scope.region_q("region")


def pilot_report(scope: ReportScope) -> list[Section]:
    in_area = RemoteCase.objects.filter(_person_scope(scope, "person"))
    cases = in_area.filter(received_at__gte=scope.starts_at, received_at__lt=scope.ends_at)

    by_nosology = (
        cases.values("nosology_group__number", "nosology_group__code")
        .annotate(n=Count("pk"))
        .order_by("nosology_group__number")
    )
    by_region = (
        cases.values("referral__medical_organisation__region__kato", "referral__medical_organisation__region__name_ru")
        .annotate(n=Count("pk"))
        .order_by("referral__medical_organisation__region__kato")
    )
    by_vendor = (
        cases.values("referral__medical_organisation__mis_vendor")
        .annotate(n=Count("pk"))
        .order_by("referral__medical_organisation__mis_vendor")
    )

    first_assigned = Subquery(
        PanelAssignment.objects.filter(case=OuterRef("pk")).order_by("assigned_at").values("assigned_at")[:1]
    )
    waited = ExpressionWrapper(F("first_assigned") - F("received_at"), output_field=DurationField())
    distributed = Q(first_assigned__isnull=False)
    c = (
        cases.annotate(first_assigned=first_assigned)
        .annotate(waited=waited)
        .aggregate(
            received=Count("pk"),
            distributed=Count("pk", filter=distributed),
            still_waiting=Count("pk", filter=~distributed),
            wait_total=Sum("waited", filter=distributed),
            wait_longest=Max("waited", filter=distributed),
            decided=Count("pk", filter=Q(decided_at__isnull=False)),
            on_time=Count("pk", filter=Q(decided_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(decided_at__gt=F("due_at"))),
            undecided=Count("pk", filter=Q(decided_at__isnull=True)),
        )
    )

    replacements = PanelAssignment.objects.filter(
        _person_scope(scope, "case__person"),
        redistributed_from__isnull=False,
        assigned_at__gte=scope.starts_at,
        assigned_at__lt=scope.ends_at,
    ).aggregate(
        replacements=Count("pk"),
        replacements_on_time=Count("pk", filter=Q(status=PanelAssignment.Status.DONE, status_at__lte=F("due_at"))),
    )
    methodology = in_area.filter(methodology_since__gte=scope.starts_at, methodology_since__lt=scope.ends_at).aggregate(
        to_methodology=Count("pk"),
        decided_by_methodology=Count("pk", filter=Q(decided_by__isnull=False)),
    )

    title = Subquery(
        MandatoryExamination.objects.filter(group_id=OuterRef("nosology_group_id"), code=OuterRef("examination_code"))
        .order_by("pk")
        .values("title_ru")[:1]
    )
    refusals = (
        IntakeRefusal.objects.filter(_refusal_scope(scope), day__gte=scope.first_day, day__lte=scope.last_day)
        .values("nosology_group_id", "nosology_group__number", "nosology_group__code", "examination_code")
        .annotate(n=Count("pk"), title=title)
        .order_by("nosology_group__number", "examination_code")
    )

    return [
        Section(
            "by_nosology",
            ("nosology", "count"),
            [[f"{r['nosology_group__number']}. {r['nosology_group__code']}", r["n"]] for r in by_nosology],
        ),
        Section(
            "by_region",
            ("region", "count"),
            [
                [
                    f"{r['referral__medical_organisation__region__kato']} "
                    f"{r['referral__medical_organisation__region__name_ru']}",
                    r["n"],
                ]
                for r in by_region
            ],
        ),
        Section(
            "by_vendor",
            ("vendor", "count"),
            [[r["referral__medical_organisation__mis_vendor"], r["n"]] for r in by_vendor],
        ),
        Section(
            "distribution",
            ("measure", "value"),
            [
                ["received", c["received"]],
                ["distributed", c["distributed"]],
                ["still_waiting", c["still_waiting"]],
                ["average_minutes", _minutes(c["wait_total"], c["distributed"])],
                ["longest_minutes", _whole_minutes(c["wait_longest"])],
            ],
        ),
        Section(
            "p7_decisions",
            ("measure", "count"),
            [[k, c[k]] for k in ("decided", "on_time", "late", "undecided")],
        ),
        Section(
            "redistributions",
            ("measure", "count"),
            [[k, replacements[k]] for k in ("replacements", "replacements_on_time")],
        ),
        Section(
            "disagreements",
            ("measure", "count"),
            [[k, methodology[k]] for k in ("to_methodology", "decided_by_methodology")],
        ),
        Section(
            "refusals",
            ("examination", "refused"),
            [
                [
                    f"{r['nosology_group__number']}. {r['nosology_group__code']}: {r['examination_code']}"
                    + (f", {r['title']}" if r["title"] else ""),
                    r["n"],
                ]
                for r in refusals
            ],
        ),
    ]


REPORT = ReportDefinition(
    key=KEY,
    title=_("Proactive remote MSE (pilot)"),
    build=pilot_report,
    labels=LABELS,
    decimal_columns=frozenset({"value"}),
    notes=NOTES,
)
