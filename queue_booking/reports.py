"""X-7: the queue's monthly report, registered with ``portal.reports`` in ``QueueBookingConfig.ready``.

Every figure is an SQL aggregate over the month's visits (``Booking.day`` in the month) in the scope's
departments: no row is loaded into Python.

- visits: booked in advance, walk-ins (live queue), cancelled, annulled for lateness, served, left;
- slot use per department: places published, places taken, share taken;
- S-3 times: the visit history records when a person arrived (``arrived_at``, check-in or walk-in)
  and when the visit ended (``finished_at``, served); it does not yet record when the person was
  called, so the report gives the time from arrival to the end of service against S-3's two terms
  together (1 hour waiting + 1 hour service): within 1 hour, within 2 hours, over 2 hours, and the
  average in minutes;
- SMS of the queue's templates created in the month: delivered, failed for good, still on their way.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from notifications.selectors import message_delivery_counts
from portal.reports.registry import ReportDefinition, ReportScope, Section
from queue_booking.models import Booking, Slot
from queue_booking.sms import QueueSms

KEY = "queue"
ONE_HOUR = dt.timedelta(hours=1)
TWO_HOURS = dt.timedelta(hours=2)
S = Booking.Status

LABELS = {
    "visits": _("Visits of the month"),
    "slot_use": _("Use of the reception slots"),
    "s3_times": _("Time from arrival to the end of service (S-3)"),
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
    "finished": _("Served, with arrival and end recorded"),
    "within_1h": _("Ended within 1 hour of arrival"),
    "within_2h": _("Ended within 2 hours of arrival (S-3: 1 h waiting + 1 h service)"),
    "over_2h": _("Ended more than 2 hours after arrival"),
    "average_minutes": _("Average minutes from arrival to the end"),
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
    took = ExpressionWrapper(F("finished_at") - F("arrived_at"), output_field=DurationField())
    timed = Q(status=S.SERVED, arrived_at__isnull=False, finished_at__isnull=False)
    # one aggregate over the month's visits: the counts and the S-3 times together
    v = visits.annotate(took=took).aggregate(
        booked_in_advance=Count("pk", filter=Q(kind=Booking.Kind.BOOKED)),
        walk_ins=Count("pk", filter=Q(kind=Booking.Kind.WALK_IN)),
        cancelled=Count("pk", filter=Q(status=S.CANCELLED)),
        annulled_late=Count("pk", filter=Q(status=S.ANNULLED)),
        served=Count("pk", filter=Q(status=S.SERVED)),
        left=Count("pk", filter=Q(status=S.LEFT)),
        arrived=Count("pk", filter=Q(arrived_at__isnull=False)),
        finished=Count("pk", filter=timed),
        total=Sum("took", filter=timed),
        within_1h=Count("pk", filter=timed & Q(took__lte=ONE_HOUR)),
        within_2h=Count("pk", filter=timed & Q(took__lte=TWO_HOURS)),
        over_2h=Count("pk", filter=timed & Q(took__gt=TWO_HOURS)),
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
            "s3_times",
            ("measure", "value"),
            [
                ["arrived", v["arrived"]],
                ["finished", v["finished"]],
                ["within_1h", v["within_1h"]],
                ["within_2h", v["within_2h"]],
                ["over_2h", v["over_2h"]],
                ["average_minutes", _minutes(v["total"], v["finished"])],
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
