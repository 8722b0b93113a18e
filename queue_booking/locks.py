"""Every row lock of the queue, in one order.

Lock order (always take them in this order, never the reverse, so two transactions cannot wait on
each other):

1. the referral (``referral_for_update``): serialises two submissions of the same form 031/u, so
   the second sees the first's booking and is refused ``already_booked`` (Q-9); the partial unique
   constraint on bookings is the backstop.
2. slots (``slot_for_update`` / ``slots_for_update``), several at once in ascending id order:
   ``booked`` is read and written only under this lock, so the last place goes to exactly one
   booking; the check constraint ``booked <= capacity`` is the backstop.
3. bookings (``booking_for_update``), after their slot.
4. the day's ticket counter (``ticket_counter_for_update``), last: it is held for the shortest time.

On PostgreSQL these are ``SELECT ... FOR UPDATE``. On SQLite ``select_for_update`` is a no-op, but
the settings open every transaction as ``IMMEDIATE``, so writers serialise on the database lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from portal.referrals.models import Referral
from queue_booking.models import Booking, Slot, TicketCounter


def referral_for_update(*, referral_id: int) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person__registration_atu__region")
        .get(pk=referral_id)
    )


def slot_for_update(*, slot_id: int) -> Slot | None:
    return Slot.objects.select_for_update().filter(pk=slot_id).first()


def slots_for_update(*, slot_ids: Iterable[int]) -> dict[int, Slot]:
    ids = sorted({i for i in slot_ids if i is not None})
    if not ids:
        return {}
    # ORDER BY id: every transaction locks a set of slots in the same order.
    return {s.pk: s for s in Slot.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def booking_for_update(*, booking_id: int) -> Booking:
    return Booking.objects.select_for_update().get(pk=booking_id)


def ticket_counter_for_update(*, department_id: int, day: dt.date) -> TicketCounter:
    counter = TicketCounter.objects.select_for_update().filter(department_id=department_id, day=day).first()
    if counter is not None:  # the usual case: one query
        return counter
    try:
        with transaction.atomic():
            TicketCounter.objects.create(department_id=department_id, day=day)
    except IntegrityError:  # a concurrent first ticket of the day created it
        pass
    return TicketCounter.objects.select_for_update().get(department_id=department_id, day=day)
