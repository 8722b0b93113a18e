"""Every row lock of the queue, in one order.

Lock order (always take them in this order, never the reverse, so two transactions cannot wait on
each other):

1. the referral (``referral_for_update``; ``referral_for_booking`` is the same lock that also reads
   the person's consent and waiting-list state and the referral's Q-9 bookings;
   ``referral_for_booking_by_public_id`` the same, found by public id among an integrator's
   referrals, X-8): serialises two submissions of the same form 031/u. The second is refused
   ``already_booked`` (Q-9): by the partial unique constraint on active bookings at its insert, when
   its flags were read before the first committed (``referral_for_booking`` reads them in the
   locking statement's snapshot).
2. slots, several at once in ascending id order: ``slots_for_update`` (by id),
   ``slots_of_days_for_update`` (a department's days, when a schedule or closure changes them),
   ``slot_with_department_for_update`` (one slot, for a hold running out), ``slot_take_place`` (one
   slot locked and a place taken in one ``UPDATE ... WHERE booked < capacity``). ``booked`` is read and
   written only under this lock, so the last place goes to exactly one booking; the check
   constraint ``booked <= capacity`` is the backstop.
3. bookings, after their slot: ``booking_for_update``, ``bookings_holding_slot_for_update`` and
   ``bookings_latest_of_slot_for_update`` (those a closure pushes out of a slot).
4. the day's ticket counter (``ticket_counter_take_next``), last: it is held for the shortest time.

The one exception: ``free_slots_skip_locked``. A closure that has moved bookings to "to rebook"
(holding their slot and bookings, levels 2 and 3) then holds the next free place for each person,
which locks another slot: a level-2 lock after level 3. It takes it with ``SKIP LOCKED``: a slot
another transaction holds is passed over, never waited for, so this transaction cannot wait on
anyone and the order's guarantee (no cycle of waits) still holds. The price is that a place being
booked at that very moment is not offered; the next free one is.

On PostgreSQL these are ``SELECT ... FOR UPDATE``. On SQLite ``select_for_update`` is a no-op, but
the settings open every transaction as ``IMMEDIATE``, so writers serialise on the database lock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import connection
from django.db.models import F, QuerySet

from portal.referrals.models import Referral
from portal.referrals.selectors import ReferralByPublicId
from queue_booking.models import Booking, Slot


def referral_for_update(*, referral_id: int) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person__registration_atu__region")
        .get(pk=referral_id)
    )


def _referrals_for_booking() -> QuerySet[Referral]:
    from django.db.models import Exists, OuterRef

    from portal.consent.services import consent_live_exists
    from queue_booking.models import WaitlistEntry
    from queue_booking.selectors import referral_booking_flags

    bookings = Booking.objects.filter(referral=OuterRef("pk"))
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person__registration_atu__region")
        .annotate(
            consent_live=consent_live_exists(subject=OuterRef("person")),
            on_waitlist=Exists(WaitlistEntry.objects.filter(person=OuterRef("person"), left_at__isnull=True)),
            **referral_booking_flags(),
            q9_holding=Exists(bookings.filter(status=Booking.Status.TO_REBOOK, held_slot__isnull=False)),
        )
    )


def referral_for_booking(*, referral_id: int) -> Referral:
    """``referral_for_update`` that also reads, in the same statement, what a booking checks of the
    person and the referral: ``consent_live`` (Q-12), ``on_waitlist`` (an open waiting-list entry to
    close), Q-9's ``q9_active`` and ``q9_served``, and ``q9_holding`` (a place kept for it, X-3).

    The annotations are read with the statement's snapshot, from before the lock was granted: a
    booking of the same referral committed while this one waited is not in ``q9_active``; the
    partial unique constraint on active bookings refuses the second one at its insert.
    """
    return _referrals_for_booking().get(pk=referral_id)


# run on every booking: built and prepared once; the first run compiles it inside the booking's
# transaction, where Django checks that SELECT ... FOR UPDATE has one
_REFERRAL_FOR_BOOKING = ReferralByPublicId(_referrals_for_booking, sample=0x5A4D91E0C3C1)


def referral_for_booking_by_public_id(*, public_id: uuid.UUID, integrator_id: int | None = None) -> Referral | None:
    """``referral_for_booking`` by the referral's public id, only among the integrator's referrals
    (X-8) when ``integrator_id`` is given: the referral is found, checked and locked in one statement."""
    return _REFERRAL_FOR_BOOKING.first(public_id=public_id, integrator_id=integrator_id)


_SLOT_TAKE = (
    'UPDATE "queue_booking_slot" SET "booked" = "booked" + 1 WHERE "id" = %s AND "booked" < "capacity" '
    'RETURNING "id", "department_id", "day", "starts_at", "capacity", "booked"'
)


def slot_take_place(*, slot_id: int) -> Slot | None:
    """Lock the slot and take one of its places in one statement; ``None`` when it has no free place
    (or does not exist). The row lock is the one ``slots_for_update`` takes (level 2): a concurrent
    taker waits, then re-checks ``booked < capacity`` on the row as committed, so the last place
    goes to exactly one."""
    from queue_booking.cache import availability_changed

    with connection.cursor() as cursor:
        cursor.execute(_SLOT_TAKE, [slot_id])
        row = cursor.fetchone()
    if row is None:
        return None
    slot = Slot(id=row[0], department_id=row[1], day=row[2], starts_at=row[3], capacity=row[4], booked=row[5])
    if connection.vendor != "postgresql":  # SQLite returns raw text and naive times: read it typed
        slot.refresh_from_db()
    availability_changed(department_ids=[slot.department_id])
    return slot


def slots_for_update(*, slot_ids: Iterable[int]) -> dict[int, Slot]:
    ids = sorted({i for i in slot_ids if i is not None})
    if not ids:
        return {}
    # ORDER BY id: every transaction locks a set of slots in the same order.
    return {s.pk: s for s in Slot.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def slots_of_days_for_update(
    *, department_id: int, first: dt.date, last: dt.date, starting_after: dt.datetime
) -> list[Slot]:
    """The department's slots of [first, last] that start after ``starting_after``, in id order."""
    return list(
        Slot.objects.select_for_update()
        .filter(department_id=department_id, day__gte=first, day__lte=last, starts_at__gt=starting_after)
        .order_by("pk")
    )


def slot_with_department_for_update(*, slot_id: int) -> Slot | None:
    return Slot.objects.select_for_update(of=("self",)).select_related("department").filter(pk=slot_id).first()


def free_slots_skip_locked(
    *, department_id: int, after_day: dt.date, until_day: dt.date | None, closed: tuple[dt.date, dt.date], limit: int
) -> list[Slot]:
    """Up to ``limit`` slots with a free place, earliest first, that no other transaction holds.

    The exception to the lock order (see the module's docstring): ``SKIP LOCKED`` never waits.
    """
    candidates = (
        Slot.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(department_id=department_id, day__gt=after_day, booked__lt=F("capacity"))
        .exclude(day__gte=closed[0], day__lte=closed[1])
        .select_related("department")
        .order_by("starts_at")
    )
    if until_day is not None:
        candidates = candidates.filter(day__lte=until_day)
    return list(candidates[:limit])


def booking_for_update(*, booking_id: int) -> Booking:
    return Booking.objects.select_for_update().get(pk=booking_id)


def bookings_holding_slot_for_update(*, slot_id: int) -> list[Booking]:
    """Bookings "to rebook" whose held place is this slot, latest first."""
    return list(Booking.objects.select_for_update().filter(held_slot_id=slot_id).order_by("-pk"))


def bookings_latest_of_slot_for_update(*, slot_id: int, limit: int) -> list[Booking]:
    """The ``limit`` most recently made active bookings of the slot (those a reduced capacity pushes out)."""
    if limit <= 0:
        return []
    return list(
        Booking.objects.select_for_update()
        .filter(slot_id=slot_id, status=Booking.Status.BOOKED)
        .order_by("-created_at", "-pk")[:limit]
    )


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
