"""Reads of the queue: what can be booked, who is in today's queue, who a closure affects."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from portal.deadlines.registry import DeadlineItem, DeadlineScope
from portal.errors import NotFoundError
from portal.people.models import Person
from portal.people.selectors import ward_list
from portal.referrals.models import Referral
from portal.referrals.selectors import ReferralByPublicId
from portal.territory.models import Atu, MseDepartment
from portal.territory.selectors import department_for_atu
from portal.workcal.services import WorkingCalendar
from queue_booking import errors
from queue_booking.cache import kept
from queue_booking.models import (
    Booking,
    Incident,
    Pilot,
    ReceptionException,
    ReceptionSchedule,
    Slot,
    WaitlistEntry,
)


def pilot_for_region(*, region_id: int, day: dt.date) -> Pilot | None:
    """Q-1: the pilot that keeps the queue open in this region on ``day``, if any."""
    return Pilot.objects.filter(regions=region_id, starts_on__lte=day, ends_on__gte=day).order_by("-ends_on").first()


def pilot_windows(*, region_id: int) -> list[tuple[dt.date, dt.date]]:
    """Q-1 in one query: every pilot window (first day, last day) that ever covered the region."""
    return list(Pilot.objects.filter(regions=region_id).values_list("starts_on", "ends_on"))


def pilot_windows_kept(*, region_id: int) -> list[tuple[dt.date, dt.date]]:
    """``pilot_windows`` kept in the cache until a pilot changes (``queue_booking.cache``)."""
    return kept(f"queue:avail:pilot:{region_id}", lambda: pilot_windows(region_id=region_id))


def atu_booking_context(
    *, atu: Atu
) -> tuple[list[tuple[dt.date, dt.date]], MseDepartment | None, list[tuple[dt.date, dt.date]]]:
    """Q-1 and Q-3 for a registration unit, kept until a pilot, department or unit changes:
    (its region's pilot windows, the department serving it, that department region's windows)."""

    def read():
        windows = pilot_windows(region_id=atu.region_id)
        department = department_for_atu(atu=atu)
        same = department is None or department.region_id == atu.region_id
        return windows, department, windows if same else pilot_windows(region_id=department.region_id)

    return kept(f"queue:avail:atu:{atu.pk}", read)


def is_working_day_kept(day: dt.date) -> bool:
    """The working calendar's answer for ``day``, kept until the calendar changes."""
    return kept(f"queue:avail:workday:{day}", lambda: WorkingCalendar().is_working_day(day))


def pilot_state(*, region_id: int, day: dt.date, windows: list[tuple[dt.date, dt.date]] | None = None) -> str:
    """Q-1: "none" (region never in a pilot), "closed" (not on ``day``) or "open"."""
    windows = pilot_windows(region_id=region_id) if windows is None else windows
    if not windows:
        return "none"
    return "open" if any(start <= day <= end for start, end in windows) else "closed"


def booking_window(
    *, department: MseDepartment, today: dt.date, windows: list[tuple[dt.date, dt.date]] | None = None
) -> tuple[dt.date, dt.date] | None:
    """The days a visit can be booked on: from today to the horizon, inside the pilot's window.

    ``windows`` are the department region's ``pilot_windows`` when the caller has them already.
    """
    windows = pilot_windows(region_id=department.region_id) if windows is None else windows
    ends = [end for start, end in windows if start <= today <= end]
    if not ends:
        return None
    return today, min(today + dt.timedelta(days=settings.QUEUE_BOOKING_HORIZON_DAYS), max(ends))


def _person_ids(person: Person) -> list[int]:
    return [person.pk, *ward_list(representative=person).values_list("pk", flat=True)]


def bookable_referrals(*, person: Person, now: dt.datetime | None = None) -> list[Referral]:
    """The person's and their wards' in-person referrals that are valid, not yet booked and not yet
    served (a served visit, booked or walk-in, uses the referral up)."""
    now = now or timezone.now()
    return list(
        Referral.objects.filter(
            person_id__in=_person_ids(person),
            status=Referral.Status.ROUTED,
            route=Referral.Route.IN_PERSON,
            signed_at__lte=now,
            valid_until__gte=now,
        )
        .exclude(bookings__status__in=Booking.ACTIVE_STATUSES)
        .exclude(bookings__status=Booking.Status.SERVED)  # examined already: the referral is used
        .select_related("person", "medical_organisation")
        .order_by("-signed_at")
    )


def available_dates(
    *,
    department: MseDepartment,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    calendar_: WorkingCalendar | None = None,
    window: tuple[dt.date, dt.date] | bool | None = False,
) -> list[dt.date]:
    """Q-6: the days with at least one free place, leaving out days off, holidays and closures.

    One query for the pilot (none when the caller passes the ``booking_window``), one for the days
    (slots are materialised, so a year of schedule is one indexed range scan), and the working
    calendar's cache check.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if window is False:
        windows = pilot_windows_kept(region_id=department.region_id)
        window = booking_window(department=department, today=today, windows=windows)
    if window is None:
        return []
    first, last = window

    def read() -> list[tuple[dt.date, dt.datetime]]:
        # each day with a free place and the start of its last free slot; "now" is applied below,
        # so what is kept stays right as the day goes by
        rows = (
            Slot.objects.filter(department_id=department.pk, day__gte=first, day__lte=last, booked__lt=F("capacity"))
            .values_list("day")
            .annotate(last_free=Max("starts_at"))
            .order_by("day")
        )
        cal = calendar_ or WorkingCalendar()
        return [(d, last_free) for d, last_free in rows if cal.is_working_day(d)]

    if calendar_ is not None:  # a caller's own calendar: nothing kept
        days = read()
    else:
        days = kept(f"queue:avail:dates:{department.pk}:{first}:{last}", read, department_id=department.pk)
    return [d for d, last_free in days if last_free > now]


def available_slots(
    *,
    department: MseDepartment,
    day: dt.date,
    now: dt.datetime | None = None,
    calendar_: WorkingCalendar | None = None,
    window: tuple[dt.date, dt.date] | bool | None = False,
) -> list[Slot]:
    """The free slots of one day, in time order (each has ``.free``); ``window`` is the department's
    ``booking_window`` when the caller has it (``False``: read it)."""
    now = now or timezone.now()
    if window is False:
        windows = pilot_windows_kept(region_id=department.region_id)
        window = booking_window(department=department, today=timezone.localdate(now), windows=windows)
    if not isinstance(window, tuple) or not (window[0] <= day <= window[1]):
        return []

    def read() -> list[Slot]:
        cal = calendar_ or WorkingCalendar()
        if not cal.is_working_day(day):
            return []
        return list(
            Slot.objects.filter(department_id=department.pk, day=day, booked__lt=F("capacity")).order_by("starts_at")
        )

    if calendar_ is not None:
        slots = read()
    else:
        slots = kept(f"queue:avail:day:{department.pk}:{day}", read, department_id=department.pk)
    return [s for s in slots if s.starts_at > now]


def department_has_free_slot(*, department: MseDepartment, now: dt.datetime | None = None) -> bool:
    return bool(available_dates(department=department, now=now))


def booking_list_for_person(*, person: Person) -> QuerySet[Booking]:
    """The person's and their wards' bookings, newest first."""
    return (
        Booking.objects.filter(person_id__in=_person_ids(person))
        .select_related("slot", "department", "referral", "person", "booked_by")
        .order_by("-created_at", "-pk")
    )


def booking_get_for_person(*, person: Person, public_id) -> Booking:
    booking = booking_list_for_person(person=person).filter(public_id=public_id).first()
    if booking is None:
        raise NotFoundError(errors.BOOKING_NOT_FOUND, field="booking")
    return booking


def booking_list_for_integrator(*, integrator, person: Person) -> QuerySet[Booking]:
    """X-8: the person's and their wards' bookings of the integrator's own referrals."""
    return booking_list_for_person(person=person).filter(referral__medical_organisation__integrator=integrator)


def booking_get_for_integrator(*, integrator, person: Person, public_id) -> Booking:
    """X-8: one booking of ``booking_list_for_integrator``; anything else is "no such booking"."""
    booking = booking_list_for_integrator(integrator=integrator, person=person).filter(public_id=public_id).first()
    if booking is None:
        raise NotFoundError(errors.BOOKING_NOT_FOUND, field="booking")
    return booking


def booking_for_idempotency_key(*, referral: Referral, key: str) -> Booking | None:
    """The booking a create with this ``Idempotency-Key`` made for the referral, if any."""
    if not key:
        return None
    return (
        Booking.objects.filter(referral=referral, idempotency_key=key)
        .select_related("slot", "department", "referral", "person", "booked_by")
        .first()
    )


def held_slot_for_referral(*, referral: Referral, now: dt.datetime | None = None) -> Slot | None:
    """X-3: the place kept for this referral after a closure moved its booking, while the hold lasts."""
    now = now or timezone.now()
    held = (
        Booking.objects.filter(
            referral=referral, status=Booking.Status.TO_REBOOK, held_slot__isnull=False, hold_until__gt=now
        )
        .select_related("held_slot")
        .first()
    )
    return held.held_slot if held else None


def referral_booking_flags() -> dict[str, Exists]:
    """Q-9 as annotations of a referral query (``referral_booking_statuses`` without a query of its
    own): whether the referral has an active booking, and whether its visit was served."""
    bookings = Booking.objects.filter(referral=OuterRef("pk"))
    return {
        "q9_active": Exists(bookings.filter(status__in=Booking.ACTIVE_STATUSES)),
        "q9_served": Exists(bookings.filter(status=Booking.Status.SERVED)),
    }


# read on every availability request: built and prepared once
_REFERRAL_WITH_FLAGS = ReferralByPublicId(
    lambda: Referral.objects.select_related("person__registration_atu").annotate(**referral_booking_flags()),
    sample=0x5A4D91E0C3B2,
)


def referral_with_booking_flags(*, public_id: uuid.UUID, integrator_id: int | None = None) -> Referral | None:
    """The referral with its person (and their registration unit) and Q-9's flags (``q9_active``,
    ``q9_served``) in one query; for an integrator (``integrator_id``) only among the referrals of its
    own organisations (X-8), else ``None`` as for a referral that does not exist."""
    return _REFERRAL_WITH_FLAGS.first(public_id=public_id, integrator_id=integrator_id)


def referral_booking_statuses(*, referral: Referral) -> set[str]:
    """The statuses of the referral's active bookings (Q-9) and of a visit already served, in one query.

    A referral read with ``referral_booking_flags`` answers from them, with no query (an active
    booking is then named by the first active status).
    """
    if hasattr(referral, "q9_active") and hasattr(referral, "q9_served"):
        flags = {Booking.ACTIVE_STATUSES[0]: referral.q9_active, Booking.Status.SERVED: referral.q9_served}
        return {status for status, present in flags.items() if present}
    wanted = [*Booking.ACTIVE_STATUSES, Booking.Status.SERVED]
    return set(Booking.objects.filter(referral=referral, status__in=wanted).values_list("status", flat=True))


def referral_open_bookings(*, referral: Referral) -> list[Booking]:
    """The referral's active bookings (Q-9), a visit already served, and the places kept for it (X-3),
    in one query."""
    wanted = [*Booking.ACTIVE_STATUSES, Booking.Status.SERVED, Booking.Status.TO_REBOOK]
    return list(
        Booking.objects.filter(referral=referral, status__in=wanted)
        .exclude(status=Booking.Status.TO_REBOOK, held_slot__isnull=True)
        .order_by("pk")
    )


_DONE = (Booking.Status.SERVED, Booking.Status.LEFT)


def queue_for_day(*, department: MseDepartment, day: dt.date, include_done: bool = False) -> list[Booking]:
    """The department's queue for a day (Q-7, Q-11), in serving order.

    Booked and arrived first (by booked time), then booked and not yet arrived, then the live queue
    of walk-ins (by arrival): walk-ins are received after those who booked. With ``include_done``
    the served and left follow at the end.
    """
    statuses = [*Booking.ACTIVE_STATUSES, *(_DONE if include_done else ())]
    rows = list(
        Booking.objects.filter(department_id=department.pk, day=day, status__in=statuses).select_related(
            "person", "referral", "slot", "booked_by"
        )
    )

    def key(b: Booking):
        if b.status in _DONE:
            return (3, b.finished_at or b.starts_at, b.pk)
        if b.kind == Booking.Kind.WALK_IN:
            return (2, b.arrived_at or b.starts_at, b.pk)
        if b.status == Booking.Status.ARRIVED:
            return (0, b.starts_at, b.pk)
        return (1, b.starts_at, b.pk)

    return sorted(rows, key=key)


def waitlist_for_department(*, department: MseDepartment) -> QuerySet[WaitlistEntry]:
    return (
        WaitlistEntry.objects.filter(department=department, left_at__isnull=True)
        .select_related("person")
        .order_by("created_at", "pk")
    )


def waitlist_for_person(*, person: Person) -> list[WaitlistEntry]:
    """X-3: the waiting lists the person and their wards are on, for the cabinet."""
    return list(
        WaitlistEntry.objects.filter(person_id__in=_person_ids(person), left_at__isnull=True)
        .select_related("person", "department")
        .order_by("created_at", "pk")
    )


def departments_without_schedule(*, year: int, region_id: int | None = None) -> list[MseDepartment]:
    """Q-3: active departments (of pilot regions) with no reception schedule for ``year``."""
    qs = MseDepartment.objects.filter(is_active=True, region__queue_pilots__isnull=False).distinct()
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    with_schedule = ReceptionSchedule.objects.filter(year=year).values("department_id")
    return list(qs.exclude(pk__in=with_schedule).select_related("region").order_by("region", "number"))


def schedule_warning(*, today: dt.date | None = None) -> tuple[int, list[MseDepartment]] | None:
    """Q-3 [A]: from 15 December, (next year, departments with no schedule for it); else None."""
    today = today or timezone.localdate()
    if today.month != 12 or today.day < settings.QUEUE_SCHEDULE_WARNING_DAY:
        return None
    missing = departments_without_schedule(year=today.year + 1)
    return (today.year + 1, missing) if missing else None


def closure_affected_bookings(
    *, department: MseDepartment, starts_on: dt.date, ends_on: dt.date, capacity_per_slot: int
) -> list[Booking]:
    """Which booked visits a business trip or day off would push out (shown before saving).

    Per slot the earliest bookings keep the reduced places; the later ones must rebook.
    """
    rows = (
        Booking.objects.filter(
            department=department, day__gte=starts_on, day__lte=ends_on, status=Booking.Status.BOOKED
        )
        .select_related("person", "slot", "booked_by")
        .order_by("slot_id", "created_at", "pk")
    )
    by_slot: dict[int | None, list[Booking]] = {}
    for b in rows:
        by_slot.setdefault(b.slot_id, []).append(b)
    affected: list[Booking] = []
    for bookings in by_slot.values():
        affected.extend(bookings[capacity_per_slot:])
    return sorted(affected, key=lambda b: (b.starts_at, b.pk))


def bookings_to_rebook(*, department: MseDepartment | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(status=Booking.Status.TO_REBOOK, rebooked_as__isnull=True)
    if department is not None:
        qs = qs.filter(department=department)
    return qs.select_related("person", "department", "held_slot").order_by("starts_at")


@dataclass
class MonthDay:
    day: dt.date
    in_month: bool
    working: bool
    exceptions: list[ReceptionException] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    @property
    def capacity(self) -> int:
        return sum(s.capacity for s in self.slots)

    @property
    def booked(self) -> int:
        return sum(s.booked for s in self.slots)


def schedule_month(*, department: MseDepartment, year: int, month: int) -> list[list[MonthDay]]:
    """A month of a department as weeks of days (Monday first), for the admin's calendar view."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    slots: dict[dt.date, list[Slot]] = {}
    for s in Slot.objects.filter(department=department, day__gte=first, day__lte=last).order_by("starts_at"):
        slots.setdefault(s.day, []).append(s)
    exceptions = list(ReceptionException.objects.filter(department=department, starts_on__lte=last, ends_on__gte=first))
    cal = WorkingCalendar()
    return [
        [
            MonthDay(
                day=d,
                in_month=d.month == month,
                working=cal.is_working_day(d),
                exceptions=[e for e in exceptions if e.starts_on <= d <= e.ends_on],
                slots=slots.get(d, []),
            )
            for d in week
        ]
        for week in weeks
    ]


# --- the queue's deadlines on the core's radar (registered in ``deadlines.SOURCES``) ---------


def _incident_in_region(region_id: int) -> Q:
    """As the admin: an incident without a department concerns the whole pilot, every region's."""
    return Q(department__region=region_id) | Q(department__isnull=True)


def incident_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """Q-13: each incident not yet reported to the methodology department, with its report's due time."""
    rows = scope.filter(
        Incident.objects.filter(reported_at__isnull=True), department="department", region=_incident_in_region
    ).values_list("pk", "report_due_at", "department_id", "department__region_id")
    return [
        DeadlineItem(
            kind="queue_incident",
            label=gettext("Incident"),
            reference=f"№ {pk}",
            url=reverse("admin:queue_booking_incident_change", args=[pk]),
            due_at=due_at,
            department_id=department_id,
            region_id=region_id,
        )
        for pk, due_at, department_id, region_id in rows
    ]
