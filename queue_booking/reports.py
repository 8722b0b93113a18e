"""X-7: the queue's monthly report, registered with ``portal.reports`` in ``QueueBookingConfig.ready``.

Every figure is an SQL aggregate over the month's visits (``Booking.day`` in the month) in the scope's
departments: no row is loaded into Python.

- visits: booked in advance, walk-ins (live queue), cancelled, annulled for lateness, served, left;
- slot use per department: places published, places taken, share taken;
- S-3 times, each against its own hour (exactly one hour is within): waiting, from arrival
  (``arrived_at``, check-in or walk-in) to being called in (``called_at``), or to the end of the
  visit (``finished_at``) when the desk never called the person in (as the desk measures it,
  ``queue_booking.service_terms``); service, from being called in to the end of the visit. Each:
  how many were measured, within the hour, over the hour, the average in minutes;
- SMS of the queue's templates created in the month: delivered, failed for good, still on their way.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from notifications.selectors import message_delivery_counts
from portal.reports.registry import ReportDefinition, ReportScope, Section
from queue_booking.models import Booking, Slot
from queue_booking.sms import QueueSms

KEY = "queue"
ONE_HOUR = dt.timedelta(hours=1)  # S-3: at most one hour waiting, at most one hour service
S = Booking.Status

LABELS = {
    "visits": _("Visits of the month"),
    "slot_use": _("Use of the reception slots"),
    "s3_waiting": _("Waiting: from arrival to being called in (S-3: at most 1 hour)"),
    "s3_service": _("Service: from being called in to the end of the visit (S-3: at most 1 hour)"),
    "sms": _("SMS of the queue"),
    "measure": _("Figure"),
    "count": _("Number"),
    "value": _("Value"),
    "department": _("MSE department"),
    "places": _("Places published"),
    "taken": _("Places taken"),
    "use_percent": _("Share taken, %"),
    "booked_in_advance": _("Booked in advance"),
    "walk_ins": _("Walk-ins (live queue)"),
    "cancelled": _("Cancelled"),
    "annulled_late": _("Annulled for lateness"),
    "served": _("Served"),
    "left": _("Left without being served"),
    "arrived": _("Arrived"),
    "measured": _("Measured"),
    "within_1h": _("Within 1 hour"),
    "over_1h": _("Over 1 hour"),
    "average_minutes": _("Average minutes"),
    "delivered": _("Delivered"),
    "failed": _("Failed"),
    "pending": _("Not yet delivered"),
}


def _minutes(total: dt.timedelta | None, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    minutes = Decimal(total.total_seconds()) / Decimal(60) / Decimal(count)
    return minutes.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def queue_report(scope: ReportScope) -> list[Section]:
    visits = Booking.objects.filter(scope.department_q(), day__gte=scope.first_day, day__lte=scope.last_day)
    waited = ExpressionWrapper(Coalesce("called_at", "finished_at") - F("arrived_at"), output_field=DurationField())
    served_for = ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField())
    wait_measured = Q(arrived_at__isnull=False) & (Q(called_at__isnull=False) | Q(finished_at__isnull=False))
    service_measured = Q(called_at__isnull=False, finished_at__isnull=False)
    # one aggregate over the month's visits: the counts and the S-3 times together
    v = visits.annotate(waited=waited, served_for=served_for).aggregate(
        booked_in_advance=Count("pk", filter=Q(kind=Booking.Kind.BOOKED)),
        walk_ins=Count("pk", filter=Q(kind=Booking.Kind.WALK_IN)),
        cancelled=Count("pk", filter=Q(status=S.CANCELLED)),
        annulled_late=Count("pk", filter=Q(status=S.ANNULLED)),
        served=Count("pk", filter=Q(status=S.SERVED)),
        left=Count("pk", filter=Q(status=S.LEFT)),
        arrived=Count("pk", filter=Q(arrived_at__isnull=False)),
        wait_measured=Count("pk", filter=wait_measured),
        wait_total=Sum("waited", filter=wait_measured),
        wait_within=Count("pk", filter=wait_measured & Q(waited__lte=ONE_HOUR)),
        wait_over=Count("pk", filter=wait_measured & Q(waited__gt=ONE_HOUR)),
        service_measured=Count("pk", filter=service_measured),
        service_total=Sum("served_for", filter=service_measured),
        service_within=Count("pk", filter=service_measured & Q(served_for__lte=ONE_HOUR)),
        service_over=Count("pk", filter=service_measured & Q(served_for__gt=ONE_HOUR)),
    )
    order = ("booked_in_advance", "walk_ins", "cancelled", "annulled_late", "served", "left")

    slots = (
        Slot.objects.filter(scope.department_q(), day__gte=scope.first_day, day__lte=scope.last_day)
        .values("department_id", "department__number")
        .annotate(places=Sum("capacity"), taken=Sum("booked"))
        .order_by("department__number", "department_id")
    )
    slot_rows = [
        [f"№ {s['department__number']}", s["places"], s["taken"], _percent(s["taken"], s["places"])] for s in slots
    ]

    sms = message_delivery_counts(
        template_keys=[
            QueueSms.INVITED,
            QueueSms.BOOKED,
            QueueSms.REMINDER,
            QueueSms.CANCELLED,
            QueueSms.ANNULLED,
            QueueSms.SLOT_FREED,
            QueueSms.REBOOK,
        ],
        created_from=scope.starts_at,
        created_to=scope.ends_at,
        department_filter=scope.department_q(),
    )
    return [
        Section("visits", ("measure", "count"), [[k, v[k]] for k in order]),
        Section("slot_use", ("department", "places", "taken", "use_percent"), slot_rows, chart_column=3),
        Section(
            "s3_waiting",
            ("measure", "value"),
            [
                ["arrived", v["arrived"]],
                ["measured", v["wait_measured"]],
                ["within_1h", v["wait_within"]],
                ["over_1h", v["wait_over"]],
                ["average_minutes", _minutes(v["wait_total"], v["wait_measured"])],
            ],
        ),
        Section(
            "s3_service",
            ("measure", "value"),
            [
                ["measured", v["service_measured"]],
                ["within_1h", v["service_within"]],
                ["over_1h", v["service_over"]],
                ["average_minutes", _minutes(v["service_total"], v["service_measured"])],
            ],
        ),
        Section("sms", ("measure", "count"), [[k, sms[k]] for k in ("delivered", "failed", "pending")]),
    ]


REPORT = ReportDefinition(
    key=KEY,
    title=_("Electronic queue"),
    build=queue_report,
    labels=LABELS,
    decimal_columns=frozenset({"use_percent", "value"}),
)
