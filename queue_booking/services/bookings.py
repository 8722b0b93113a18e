"""Booking and cancelling by the recipient (Q-5..Q-9)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.consent.models import Consent
from portal.consent.services import consent_give, consent_require
from portal.errors import ApplicationError, ConflictError, ForbiddenError
from portal.people.models import Person
from portal.people.selectors import person_can_act_for
from portal.referrals.models import Referral
from portal.territory.models import MseDepartment
from portal.workcal.services import WorkingCalendar
from queue_booking import errors, locks, selectors
from queue_booking.models import Q2_TIMES, Booking, Slot, WaitlistEntry
from queue_booking.services.notices import recipient_of, send, visit_context
from queue_booking.services.tickets import ticket_number_next
from queue_booking.services.transitions import booking_transition
from queue_booking.services.waitlist import waitlist_offer_freed_place
from queue_booking.sms import QueueSms

# what the consent recorded at booking is for (stored with the consent, in the booker's language).
CONSENT_PURPOSE = _("booking a visit to the MSE department (electronic queue) and the examination")


def booking_eligibility(
    *, referral: Referral, actor: Person, now: dt.datetime | None = None, check_free: bool = True
) -> MseDepartment:
    """Q-6 (a), (b), (c), the pilot (Q-1) and who may book (Q-5); returns the department."""
    return _eligibility(referral=referral, actor=actor, now=now or timezone.now(), check_free=check_free)[0]


def _eligibility(
    *,
    referral: Referral,
    actor: Person,
    now: dt.datetime,
    check_free: bool,
    open_bookings: list[Booking] | None = None,
) -> tuple[MseDepartment, tuple[dt.date, dt.date] | None]:
    """``booking_eligibility`` plus the department's booking window, read from the same pilot rows.

    ``open_bookings`` (``selectors.referral_open_bookings``) spares the Q-9 query when the caller
    has read them already.
    """
    today = timezone.localdate(now)
    person = referral.person
    if not person_can_act_for(actor=actor, subject=person, day=today):
        raise ForbiddenError(errors.NOT_REPRESENTATIVE, field="referral")
    # Q-6 (a), S-2
    if not referral.is_valid_at(now):
        raise ApplicationError(errors.REFERRAL_EXPIRED, field="referral")
    if referral.route != Referral.Route.IN_PERSON:
        raise ApplicationError(errors.REFERRAL_NOT_IN_PERSON, field="referral")
    # Q-6 (b): the examined person's registration (the ward's, when booking for a ward)
    atu = person.registration_atu
    if atu is None:
        raise ApplicationError(errors.NO_REGISTRATION, field="referral")
    # kept in the cache until a pilot, department or unit changes
    windows, department, department_windows = selectors.atu_booking_context(atu=atu)
    pilot = selectors.pilot_state(region_id=atu.region_id, day=today, windows=windows)
    if pilot == "none":
        raise ApplicationError(errors.REGION_NOT_IN_PILOT, field="referral")
    if pilot == "closed":
        raise ApplicationError(errors.PILOT_CLOSED, field="referral")
    if department is None:
        raise ApplicationError(errors.NO_DEPARTMENT, field="referral")
    #
    if open_bookings is None:
        statuses = selectors.referral_booking_statuses(referral=referral)
    else:
        statuses = {b.status for b in open_bookings}
    # a referral whose visit was served has done its work: a new visit needs a new referral
    if Booking.Status.SERVED in statuses:
        raise ConflictError(errors.REFERRAL_USED, field="referral")
    if statuses & set(Booking.ACTIVE_STATUSES):
        raise ConflictError(errors.ALREADY_BOOKED, field="referral")
    # Q-6 (c)
    if check_free and not selectors.department_has_free_slot(department=department, now=now):
        raise ApplicationError(errors.NO_FREE_SLOT, field="slot")
    window = selectors.booking_window(department=department, today=today, windows=department_windows)
    return department, window


def booking_availability(
    *, referral: Referral, actor: Person, now: dt.datetime | None = None
) -> tuple[MseDepartment, list[dt.date]]:
    """Q-6 in one go: the checks, then the free dates (refused ``no_free_slot`` when there are none)."""
    department, dates, _slots = booking_times(referral=referral, actor=actor, day=None, now=now)
    return department, dates


def booking_times(
    *, referral: Referral, actor: Person, day: dt.date | None, now: dt.datetime | None = None
) -> tuple[MseDepartment, list[dt.date], list[Slot]]:
    """``booking_availability`` and, for ``day``, its free times, from the same checks and the same
    booking window (read once)."""
    now = now or timezone.now()
    department, window = _eligibility(referral=referral, actor=actor, now=now, check_free=False)
    dates = selectors.available_dates(department=department, now=now, window=window)
    if not dates:
        raise ApplicationError(errors.NO_FREE_SLOT, field="slot")
    slots = selectors.available_slots(department=department, day=day, now=now, window=window) if day else []
    return department, dates, slots


def slot_require_bookable(
    *,
    slot: Slot,
    department: MseDepartment,
    now: dt.datetime,
    calendar_: WorkingCalendar | None = None,
    window: tuple[dt.date, dt.date] | bool | None = False,
) -> None:
    """The slot is this department's, ahead, on a working day, at a Q-2 time and inside the window.

    ``window`` is the department's ``booking_window`` when the caller has it (``False``: read it).
    """
    if slot.department_id != department.pk:
        raise ApplicationError(errors.SLOT_NOT_BOOKABLE, field="slot")
    if slot.starts_at <= now:
        raise ApplicationError(errors.SLOT_IN_PAST, field="slot")
    working = cal.is_working_day(slot.day) if (cal := calendar_) else selectors.is_working_day_kept(slot.day)
    local_time = timezone.localtime(slot.starts_at).time()
    if window is False:
        window = selectors.booking_window(department=department, today=timezone.localdate(now))
    if (
        local_time not in Q2_TIMES
        or not working
        or slot.capacity == 0
        or window is None
        or not (window[0] <= slot.day <= window[1])
    ):
        raise ApplicationError(errors.SLOT_NOT_BOOKABLE, field="slot")


def booking_create(
    *,
    referral: Referral,
    slot_id: int,
    actor: Person,
    now: dt.datetime | None = None,
    consent_channel: str | None = None,
    idempotency_key: str = "",
    referral_locked: bool = False,
) -> Booking:
    """Book the referral's person into a slot (Q-6, Q-7): ticket, N-Q2, the department's queue.

    Q-12: the examined person's personal data are processed only with a live consent. With
    ``consent_channel`` the actor (the person or their legal representative) gives it here, in the
    booking's transaction (a refused booking records no consent); without it, one must be live.
    Only the person's own acts pass a channel (the booking page); an integrator never does (X-8).

    A repeated call with the same ``idempotency_key`` for the same referral returns the booking the
    first call made, and changes nothing.

    ``referral_locked``: the caller has opened the transaction and read ``referral`` with
    ``locks.referral_for_booking`` (or ``referral_for_booking_by_public_id``) in it; the booking then
    runs in the caller's transaction, without a savepoint of its own, and an error rolls back the
    caller's whole transaction (it must let it propagate). Otherwise the booking is its own
    transaction (a savepoint inside the caller's).
    """
    now = now or timezone.now()
    if referral_locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("booking_create(referral_locked=True) runs in the transaction that locked the referral")
        return _booking_create(referral, slot_id, actor, now, consent_channel, idempotency_key)
    with transaction.atomic():
        # Lock order (locks.py): referral, then slots, then the ticket counter.
        referral = locks.referral_for_booking(referral_id=referral.pk)
        return _booking_create(referral, slot_id, actor, now, consent_channel, idempotency_key)


def _booking_create(
    referral: Referral,
    slot_id: int,
    actor: Person,
    now: dt.datetime,
    consent_channel: str | None,
    idempotency_key: str,
) -> Booking:
    """``booking_create`` in an open transaction, ``referral`` locked and read by ``referral_for_booking``."""
    if idempotency_key:
        first = selectors.booking_for_idempotency_key(referral=referral, key=idempotency_key)
        if first is not None:
            if not person_can_act_for(actor=actor, subject=first.person, day=timezone.localdate(now)):
                raise ForbiddenError(errors.NOT_REPRESENTATIVE, field="referral")
            return first
    # Q-9 answers from the flags read with the lock; the bookings themselves only when a place is
    # kept for the referral, which the booking releases.
    holding = getattr(referral, "q9_holding", True)
    open_bookings = selectors.referral_open_bookings(referral=referral) if holding else None
    department, window = _eligibility(
        referral=referral, actor=actor, now=now, check_free=False, open_bookings=open_bookings
    )
    # Q-12, after the refusals (clearer) and before any slot is touched.
    if consent_channel:
        consent_give(
            subject=referral.person,
            given_by=actor,
            scope=Consent.Scope.PERSONAL_DATA,
            purpose=str(CONSENT_PURPOSE),
            channel=consent_channel,
        )
    else:
        consent_require(subject=referral.person, live=getattr(referral, "consent_live", None))
    # a person whose booking a closure cancelled may hold a place; taking any slot releases it.
    holdings = [b for b in open_bookings or () if b.status == Booking.Status.TO_REBOOK]
    try:
        slot_id = int(slot_id)
    except (TypeError, ValueError):
        raise ApplicationError(errors.SLOT_NOT_BOOKABLE, field="slot") from None
    slots: dict[int, Slot] = {}
    taken = None if holdings else locks.slot_take_place(slot_id=slot_id)
    if taken is not None:
        # the usual path, one statement: the place is taken; a check below that refuses rolls it back
        slot = taken
        slot_require_bookable(slot=slot, department=department, now=now, window=window)
    else:
        slots = locks.slots_for_update(slot_ids=[slot_id, *(h.held_slot_id for h in holdings)])
        found = slots.get(slot_id)
        if found is None:
            raise ApplicationError(errors.SLOT_NOT_BOOKABLE, field="slot")
        slot = found
        slot_require_bookable(slot=slot, department=department, now=now, window=window)
        uses_hold = any(h.held_slot_id == slot.pk for h in holdings)
        if not uses_hold and slot.booked >= slot.capacity:
            raise ConflictError(errors.SLOT_FULL, field="slot")
        if not uses_hold:
            Slot.objects.of_department(slot.department_id).filter(pk=slot.pk).update(booked=F("booked") + 1)
    sequence, ticket = ticket_number_next(department=department, day=slot.day)
    try:
        # No savepoint: on a violation the whole booking rolls back anyway (ConflictError below).
        with transaction.atomic(savepoint=False):
            booking = Booking.objects.create(
                referral=referral,
                person=referral.person,
                booked_by=actor,
                department=department,
                slot=slot,
                day=slot.day,
                starts_at=slot.starts_at,
                ticket_sequence=sequence,
                ticket_number=ticket,
                status=Booking.Status.BOOKED,
                kind=Booking.Kind.BOOKED,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:  # Q-9 backstop: the partial unique constraint
        raise ConflictError(errors.ALREADY_BOOKED, field="referral") from None
    booking_transition(booking=booking, to=Booking.Status.BOOKED, from_status="", actor_person=actor, now=now)

    for held in holdings:
        held_slot = slots[held.held_slot_id]
        if held.held_slot_id != slot.pk:
            Slot.objects.of_department(held_slot.department_id).filter(pk=held_slot.pk).update(booked=F("booked") - 1)
            held_slot.booked -= 1
            waitlist_offer_freed_place(slot=held_slot, freed_by=f"hold:{held.pk}", now=now, skip_person=held.person)
        held.held_slot = None
        held.hold_until = None
        held.rebooked_as = booking
        held.save(update_fields=["held_slot", "hold_until", "rebooked_as", "updated_at"])
    if getattr(referral, "on_waitlist", True):  # read with the referral's lock: no statement when nobody waits
        WaitlistEntry.objects.filter(person=referral.person, department=department, left_at__isnull=True).update(
            left_at=now
        )
    # N-Q2
    send(
        recipient=recipient_of(booking, day=timezone.localdate(now)),
        subject=booking.person,
        template=QueueSms.BOOKED,
        context=visit_context(booking, today=timezone.localdate(now)),
        dedupe_key=f"booking:{booking.pk}:booked",
        department=department,
        new_key=True,  # names the booking this transaction has just inserted
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Person, now: dt.datetime | None = None) -> Booking:
    """Q-9: the recipient cancels; N-Q3 follows and the place is offered to the waiting list (X-3)."""
    now = now or timezone.now()
    if not person_can_act_for(actor=actor, subject=booking.person, day=timezone.localdate(now)):
        raise ForbiddenError(errors.NOT_REPRESENTATIVE, field="booking")
    slots = locks.slots_for_update(slot_ids=[booking.slot_id])
    locked = locks.booking_for_update(booking_id=booking.pk)
    if locked.status != Booking.Status.BOOKED or locked.starts_at <= now:
        raise ApplicationError(errors.CANNOT_CANCEL, field="booking")
    booking_transition(booking=locked, to=Booking.Status.CANCELLED, actor_person=actor, now=now)
    booking.status = locked.status
    slot = slots.get(locked.slot_id)
    if slot is not None:
        Slot.objects.of_department(slot.department_id).filter(pk=slot.pk).update(booked=F("booked") - 1)
        slot.booked -= 1
    send(
        recipient=recipient_of(locked, day=timezone.localdate(now)),
        subject=locked.person,
        template=QueueSms.CANCELLED,
        context=visit_context(locked, with_ticket=False, today=timezone.localdate(now)),
        dedupe_key=f"booking:{locked.pk}:cancelled",
        department=locked.department,
    )
    if slot is not None:
        waitlist_offer_freed_place(slot=slot, freed_by=f"booking:{locked.pk}", now=now, skip_person=locked.person)
    return locked
