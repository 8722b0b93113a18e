"""The department's desk: check-in, served, left, walk-ins (Q-7, Q-11), lateness (Q-10), reminders (Q-8)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.staff import staff_require
from portal.errors import ApplicationError, ConflictError, NotFoundError
from portal.people.errors import PERSON_UNKNOWN
from portal.people.models import Person
from portal.referrals.models import Referral
from portal.territory.models import MseDepartment
from portal.workcal.services import WorkingCalendar
from queue_booking import errors, locks
from queue_booking.models import Booking, Slot
from queue_booking.services.notices import cabinet_link, recipient_of, send, visit_context
from queue_booking.services.tickets import QR_PREFIX, check_in_token_read, ticket_number_next
from queue_booking.services.transitions import booking_transition
from queue_booking.sms import QueueSms

logger = logging.getLogger(__name__)


def late_after(booking: Booking) -> dt.datetime:
    return booking.starts_at + dt.timedelta(minutes=settings.QUEUE_LATE_MINUTES)


def _booking_from_code(*, department: MseDepartment, code: str, today: dt.date) -> Booking:
    code = (code or "").strip()
    if code.startswith(QR_PREFIX):
        try:
            public_id = check_in_token_read(code)
        except signing.BadSignature:
            raise ApplicationError(errors.TICKET_INVALID, field="code") from None
        booking = Booking.objects.filter(public_id=public_id).select_related("person", "department").first()
        if booking is None:
            raise NotFoundError(errors.TICKET_UNKNOWN, field="code")
        if booking.department_id != department.pk:
            raise ApplicationError(errors.TICKET_OTHER_DEPARTMENT, field="code")
        if booking.day != today:
            raise ApplicationError(errors.TICKET_OTHER_DAY, field="code")
        return booking
    booking = (
        Booking.objects.filter(department=department, day=today, ticket_number=code.upper())
        .select_related("person", "department")
        .first()
    )
    if booking is None:
        raise NotFoundError(errors.TICKET_UNKNOWN, field="code")
    return booking


@transaction.atomic
def booking_check_in(*, department: MseDepartment, code: str, actor_user, now: dt.datetime | None = None) -> Booking:
    """The person arrived: ``code`` is the ticket number or the QR payload of the printed ticket."""
    now = now or timezone.now()
    staff_require(actor_user=actor_user, department=department)
    booking = _booking_from_code(department=department, code=code, today=timezone.localdate(now))
    booking = locks.booking_for_update(booking_id=booking.pk)
    if booking.status == Booking.Status.BOOKED and now > late_after(booking):
        # the annulment task will annul it; the desk can add the person to the live queue.
        raise ApplicationError(errors.TOO_LATE.format(minutes=settings.QUEUE_LATE_MINUTES), field="code")
    booking.arrived_at = now
    booking_transition(
        booking=booking, to=Booking.Status.ARRIVED, actor_user=actor_user, now=now, update_fields=("arrived_at",)
    )
    return booking


@transaction.atomic
def booking_call(*, booking: Booking, actor_user, now: dt.datetime | None = None) -> Booking:
    """S-3: the person who arrived is called in to the specialists: their wait ends, service starts."""
    now = now or timezone.now()
    staff_require(actor_user=actor_user, department=booking.department)
    locked = locks.booking_for_update(booking_id=booking.pk)
    if locked.status != Booking.Status.ARRIVED or locked.called_at is not None:
        raise ApplicationError(errors.NOT_CALLABLE, field="booking")
    locked.called_at = now
    locked.save(update_fields=["called_at", "updated_at"])
    return locked


def _finish(*, booking: Booking, to: str, actor_user, now: dt.datetime | None) -> Booking:
    now = now or timezone.now()
    staff_require(actor_user=actor_user, department=booking.department)
    locked = locks.booking_for_update(booking_id=booking.pk)
    locked.finished_at = now
    booking_transition(booking=locked, to=to, actor_user=actor_user, now=now, update_fields=("finished_at",))
    return locked


@transaction.atomic
def booking_mark_served(*, booking: Booking, actor_user, now: dt.datetime | None = None) -> Booking:
    return _finish(booking=booking, to=Booking.Status.SERVED, actor_user=actor_user, now=now)


@transaction.atomic
def booking_mark_left(*, booking: Booking, actor_user, now: dt.datetime | None = None) -> Booking:
    return _finish(booking=booking, to=Booking.Status.LEFT, actor_user=actor_user, now=now)


@transaction.atomic
def booking_annul_late(*, booking: Booking, actor_user=None, now: dt.datetime | None = None) -> Booking:
    """Q-10: more than 15 minutes late and not checked in: annulled, N-Q4 sent, the place freed."""
    now = now or timezone.now()
    if actor_user is not None:
        staff_require(actor_user=actor_user, department=booking.department)
    slots = locks.slots_for_update(slot_ids=[booking.slot_id])
    locked = locks.booking_for_update(booking_id=booking.pk)
    if locked.status == Booking.Status.BOOKED and now <= late_after(locked):
        raise ApplicationError(errors.NOT_LATE_YET.format(minutes=settings.QUEUE_LATE_MINUTES), field="booking")
    booking_transition(booking=locked, to=Booking.Status.ANNULLED, actor_user=actor_user, now=now)
    if locked.slot_id in slots:
        Slot.objects.of_department(locked.department_id).filter(pk=locked.slot_id).update(booked=F("booked") - 1)
    recipient = recipient_of(locked, day=timezone.localdate(now))
    send(
        recipient=recipient,
        subject=locked.person,
        template=QueueSms.ANNULLED,
        context={"full_name": recipient.full_name, "link": cabinet_link()},
        dedupe_key=f"booking:{locked.pk}:annulled",
        department=locked.department,
    )
    return locked


def bookings_annul_late_due(*, now: dt.datetime | None = None) -> int:
    """The beat's sweep (Q-10): annul every booking more than 15 minutes late. Safe to run twice."""
    now = now or timezone.now()
    limit = now - dt.timedelta(minutes=settings.QUEUE_LATE_MINUTES)
    done = 0
    due = Booking.objects.filter(status=Booking.Status.BOOKED, kind=Booking.Kind.BOOKED, starts_at__lt=limit)
    for booking in due.select_related("department", "person", "booked_by").order_by("starts_at"):
        try:
            booking_annul_late(booking=booking, now=now)
            done += 1
        except ApplicationError as exc:  # checked in or cancelled meanwhile
            logger.info("booking %s not annulled: %s", booking.pk, exc.code)
    return done


@transaction.atomic
def booking_remind(*, booking: Booking, now: dt.datetime | None = None) -> bool:
    """Q-8: N-Q2 again, once. A cancelled or moved booking is not reminded."""
    now = now or timezone.now()
    locked = locks.booking_for_update(booking_id=booking.pk)
    if locked.status != Booking.Status.BOOKED or locked.reminder_sent_at is not None or locked.starts_at <= now:
        return False
    send(
        recipient=recipient_of(locked, day=timezone.localdate(now)),
        subject=locked.person,
        template=QueueSms.REMINDER,
        context=visit_context(locked, today=timezone.localdate(now)),
        dedupe_key=f"booking:{locked.pk}:reminder",
        department=locked.department,
    )
    locked.reminder_sent_at = now
    locked.save(update_fields=["reminder_sent_at", "updated_at"])
    return True


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """The beat's sweep (Q-8): bookings three calendar days ahead get their reminder.

    A day the sweep missed is caught up on the next run; a booking made inside the three days got
    N-Q2 when it was made and gets no second one.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    days_before = dt.timedelta(days=settings.QUEUE_REMINDER_DAYS_BEFORE)
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED,
        kind=Booking.Kind.BOOKED,
        reminder_sent_at__isnull=True,
        day__gt=today,
        day__lte=today + days_before,
    ).select_related("department", "person", "booked_by")
    sent = 0
    for booking in due:
        if timezone.localdate(booking.created_at) >= booking.day - days_before:
            continue
        sent += booking_remind(booking=booking, now=now)
    return sent


@transaction.atomic
def walk_in_add(*, department: MseDepartment, person_iin: str, actor_user, now: dt.datetime | None = None) -> Booking:
    """Q-11: the live queue: a person without a booking for today, received after those who booked.

    Only on a working day of the working calendar: on a weekend, a holiday or a decreed day off the
    department does not receive, so nobody is added.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    staff_require(actor_user=actor_user, department=department)
    if not WorkingCalendar().is_working_day(today):
        raise ApplicationError(errors.DEPARTMENT_CLOSED_TODAY, field="person_iin")
    person = Person.objects.filter(iin=(person_iin or "").strip()).first()
    if person is None:
        raise NotFoundError(PERSON_UNKNOWN, field="person_iin")
    referral = (
        Referral.objects.filter(
            person=person,
            route=Referral.Route.IN_PERSON,
            status=Referral.Status.ROUTED,
            signed_at__lte=now,
            valid_until__gte=now,
        )
        .order_by("-signed_at")
        .first()
    )
    if referral is None:
        raise ApplicationError(errors.NO_VALID_REFERRAL, field="person_iin")
    # lock order (locks.py): the referral before any slot or booking
    referral = locks.referral_for_update(referral_id=referral.pk)
    booked_today = Booking.objects.filter(
        person=person, department=department, day=today, kind=Booking.Kind.BOOKED, status=Booking.Status.BOOKED
    ).first()
    if booked_today is not None:
        if now <= late_after(booked_today):
            raise ConflictError(errors.WALK_IN_HAS_BOOKING, field="person_iin")
        booking_annul_late(booking=booked_today, now=now)
    if Booking.objects.filter(referral=referral, status__in=Booking.ACTIVE_STATUSES).exists():
        raise ConflictError(errors.ALREADY_BOOKED, field="person_iin")
    sequence, ticket = ticket_number_next(department=department, day=today)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                referral=referral,
                person=person,
                booked_by=None,
                department=department,
                slot=None,
                day=today,
                starts_at=now,
                arrived_at=now,
                ticket_sequence=sequence,
                ticket_number=ticket,
                status=Booking.Status.ARRIVED,
                kind=Booking.Kind.WALK_IN,
            )
    except IntegrityError:
        raise ConflictError(errors.ALREADY_BOOKED, field="person_iin") from None
    booking_transition(booking=booking, to=Booking.Status.ARRIVED, from_status="", actor_user=actor_user, now=now)
    return booking
