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
4. the day's ticket counter (``ticket_counter_take_next``), last: it is held for the shortest time.

On PostgreSQL these are ``SELECT ... FOR UPDATE``. On SQLite ``select_for_update`` is a no-op, but
the settings open every transaction as ``IMMEDIATE``, so writers serialise on the database lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from portal.referrals.models import Referral
from queue_booking.models import Booking, Slot


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


# The ORM's upsert (bulk_create(update_conflicts=...)) cannot write "last_number + 1", hence SQL.
_TICKET_UPSERT = (
    'INSERT INTO "queue_booking_ticketcounter" ("department_id", "day", "last_number") VALUES (%s, %s, 1) '
    'ON CONFLICT ("department_id", "day") DO UPDATE '
    'SET "last_number" = "queue_booking_ticketcounter"."last_number" + 1 '
    'RETURNING "last_number"'
)


def ticket_counter_take_next(*, department_id: int, day: dt.date) -> int:
    """Take the day's next ticket sequence in one statement: an upsert that locks the counter row.

    ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (PostgreSQL, and SQLite 3.35+) creates the
    day's counter at 1 or increments it, under the row lock, so two bookings of one day never share
    a number and a first ticket of the day needs no second round trip.
    """
    with connection.cursor() as cursor:
        cursor.execute(_TICKET_UPSERT, [department_id, day])
        return cursor.fetchone()[0]
