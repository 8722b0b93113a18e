"""The electronic queue of the in-person MSE service (SPEC section Q).

A pilot (region + validity window) opens the queue; each department publishes a reception schedule
per year, which is materialised into ``Slot`` rows (one per department and bookable time); business
trips and days off lower a range of slots' capacity. A ``Booking`` is one visit, booked or walk-in,
and every change of its status leaves a ``BookingTransition`` row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import PublicIdModel, TimeStampedModel

# the bookable times of every working day; lunch 13:00-14:30.
Q2_TIMES: tuple[dt.time, ...] = (dt.time(9, 0), dt.time(10, 0), dt.time(11, 0), dt.time(12, 0), dt.time(14, 30))


class Pilot(TimeStampedModel):
    """Q-1: where and when the queue is open. Extending it is a data change, not a code change."""

    name = models.CharField(_("name"), max_length=300)
    order_reference = models.CharField(_("order"), max_length=300, blank=True)
    regions = models.ManyToManyField(
        "territory.Region", verbose_name=_("regions"), related_name="queue_pilots", blank=True
    )
    last_signed_on = models.DateField(
        _("last signature"), null=True, blank=True, help_text=_("The day the last head of a state body signed.")
    )
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until (inclusive)"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("queue pilot")
        verbose_name_plural = _("queue pilots")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="queue_pilot_window_ordered"),
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    def is_open_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ReceptionSchedule(TimeStampedModel):
    """Q-3: a department's reception schedule for one calendar year."""

    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        related_name="reception_schedules",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Q-2 [A]: how many people the department receives per slot.
    capacity_per_slot = models.PositiveSmallIntegerField(_("people per slot"), default=1)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        ordering = ["-year", "department"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="queue_schedule_one_per_year"),
            models.CheckConstraint(condition=Q(capacity_per_slot__gte=1), name="queue_schedule_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.department} · {self.year}"


class ReceptionException(TimeStampedModel):
    """Q-3: a business trip or a day off of a department: no reception, or reduced reception."""

    class Kind(models.TextChoices):
        BUSINESS_TRIP = "business_trip", _("business trip of the specialists")
        DAY_OFF = "day_off", _("day off of the department")

    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        related_name="reception_exceptions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BUSINESS_TRIP)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    # 0: no reception at all; otherwise the reduced number of people per slot.
    capacity_per_slot = models.PositiveSmallIntegerField(
        _("people per slot during the exception"), default=0, help_text=_("0 means no reception.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("business trip or day off")
        verbose_name_plural = _("business trips and days off")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="queue_exception_range_ordered"),
        ]
        indexes = [models.Index(fields=["department", "starts_on", "ends_on"], name="queue_exc_dept_range")]

    def __str__(self):
        return f"{self.department} · {self.get_kind_display()} {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"


class SlotQuerySet(models.QuerySet):
    """Every write of slots through a queryset tells the availability cache (``queue_booking.cache``)."""

    _departments_hint: list[int] | None = None

    def of_department(self, department_id: int) -> SlotQuerySet:
        """The department's slots; a write through it names the department without a query."""
        qs = self.filter(department_id=department_id)
        qs._departments_hint = [department_id]
        return qs

    def _clone(self):
        c = super()._clone()
        c._departments_hint = self._departments_hint
        return c

    def _departments(self) -> list[int]:
        if self._departments_hint is not None:
            return self._departments_hint
        return list(self.order_by().values_list("department_id", flat=True).distinct())

    def update(self, **kwargs):
        from queue_booking.cache import availability_changed

        availability_changed(department_ids=self._departments())
        return super().update(**kwargs)

    def delete(self):
        from queue_booking.cache import availability_changed

        availability_changed(department_ids=self._departments())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        from queue_booking.cache import availability_changed

        objs = list(objs)
        availability_changed(department_ids=[o.department_id for o in objs])
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        from queue_booking.cache import availability_changed

        objs = list(objs)
        availability_changed(department_ids=[o.department_id for o in objs])
        return super().bulk_update(objs, *args, **kwargs)


class Slot(models.Model):
    """One bookable time of one department. ``booked`` counts bookings and rebooking holds.

    The check constraint ``booked <= capacity`` is the last line against overbooking: even a code
    path that forgot the lock cannot commit a place that does not exist.
    """

    department = models.ForeignKey(
        "territory.MseDepartment", verbose_name=_("MSE department"), on_delete=models.PROTECT, related_name="slots"
    )
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("taken places"), default=0)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["department", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["department", "starts_at"], name="queue_slot_unique_time"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="queue_slot_no_overbooking"),
        ]
        indexes = [models.Index(fields=["department", "day", "starts_at"], name="queue_slot_dept_day")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.department_id} {local:%d.%m.%Y %H:%M} ({self.booked}/{self.capacity})"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class TicketCounter(models.Model):
    """The last ticket sequence handed out by a department on a day (ticket numbers are per day)."""

    department = models.ForeignKey("territory.MseDepartment", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")
        constraints = [models.UniqueConstraint(fields=["department", "day"], name="queue_ticket_counter_unique")]

    def __str__(self):
        return f"{self.department_id} {self.day} #{self.last_number}"


class Booking(PublicIdModel):
    """One visit to a department: booked through the queue, or a walk-in of the live queue."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        ARRIVED = "arrived", _("arrived")
        SERVED = "served", _("served")
        LEFT = "left", _("left without being served")
        CANCELLED = "cancelled", _("cancelled")
        ANNULLED = "annulled", _("annulled for lateness")
        TO_REBOOK = "to_rebook", _("to rebook (reception closed)")

    class Kind(models.TextChoices):
        BOOKED = "booked", _("booked in advance")
        WALK_IN = "walk_in", _("live queue")

    ACTIVE_STATUSES = (Status.BOOKED, Status.ARRIVED)

    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person examined"), on_delete=models.PROTECT, related_name="queue_bookings"
    )
    booked_by = models.ForeignKey(
        "people.Person", verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    department = models.ForeignKey(
        "territory.MseDepartment", verbose_name=_("MSE department"), on_delete=models.PROTECT, related_name="bookings"
    )
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings", null=True, blank=True
    )
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("time"))
    ticket_sequence = models.PositiveIntegerField(_("ticket sequence"))
    ticket_number = models.CharField(_("ticket number"), max_length=20)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.BOOKED)
    # S-3: arrived (checked in), called in to the specialists, served (or left): waiting is arrived
    # to called, service is called to served, each at most an hour.
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called in at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # a booking moved to "to rebook" holds a place in the next free slot for a while.
    held_slot = models.ForeignKey(
        Slot,
        verbose_name=_("place held for rebooking"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True)
    rebooked_as = models.ForeignKey(
        "self", verbose_name=_("rebooked as"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The API caller's ``Idempotency-Key``: a repeated create with the same key for the same referral
    # returns this booking instead of a second one (or a 409).
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-starts_at"]
        constraints = [
            # one form 031/u has at most one active booking.
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status__in=["booked", "arrived"]),
                name="queue_booking_one_active_per_referral",
            ),
            models.UniqueConstraint(fields=["department", "day", "ticket_number"], name="queue_ticket_unique_per_day"),
            models.UniqueConstraint(
                fields=["referral", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="queue_booking_idempotency_key_per_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "day", "status"], name="queue_booking_dept_day"),
            models.Index(fields=["status", "starts_at"], name="queue_booking_status_time"),
        ]

    def __str__(self):
        return f"{self.ticket_number} · {self.person}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def can_cancel(self) -> bool:
        """Q-9: the recipient may cancel a booking that is still ahead and not yet checked in."""
        return self.status == self.Status.BOOKED and self.starts_at > timezone.now()


class BookingTransition(models.Model):
    """X-5: every change of a booking's status: who, when, from what, to what."""

    booking = models.ForeignKey(Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=16, choices=Booking.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Booking.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by user"), on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_person = models.ForeignKey(
        "people.Person", verbose_name=_("by person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("booking status change")
        verbose_name_plural = _("booking status changes")
        ordering = ["booking", "at", "pk"]

    def __str__(self):
        return f"{self.booking_id}: {self.from_status or '∅'} → {self.to_status}"


class WaitlistEntry(TimeStampedModel):
    """X-3: a person who wants to hear when a place frees up in a department."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="queue_waitlist"
    )
    department = models.ForeignKey(
        "territory.MseDepartment", verbose_name=_("MSE department"), on_delete=models.CASCADE, related_name="+"
    )
    asked_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The legal representative who asked for a ward; the offers go to them."),
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    last_offered_at = models.DateTimeField(_("last offer at"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["department", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "department"], condition=Q(left_at__isnull=True), name="queue_waitlist_one_live"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.department}"

    @property
    def recipient(self):
        """Who hears of a freed place: the representative who asked for a ward while the guardianship
        lasts, else the person."""
        from portal.people.selectors import sms_recipient_for

        return sms_recipient_for(subject=self.person, chosen=self.asked_by if self.asked_by_id else None)


class Incident(TimeStampedModel):
    """Q-13: a problem found during the pilot, to report to the methodology department in time."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    report_due_at = models.DateTimeField(_("report due by"), editable=False)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_to = models.CharField(_("reported to"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pilot incident")
        verbose_name_plural = _("pilot incidents")
        ordering = ["reported_at", "report_due_at"]

    def __str__(self):
        return self.title

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.reported_at is None and self.report_due_at < now
