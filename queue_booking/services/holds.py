"""Places held for people whose booking a closure cancelled (X-3): released when the hold runs out."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from queue_booking import locks
from queue_booking.models import Booking, Slot
from queue_booking.services.waitlist import waitlist_offer_freed_place


@transaction.atomic
def hold_release(*, booking: Booking, now: dt.datetime | None = None) -> bool:
    """A rebooking hold ran out: give the place back and offer it to the waiting list."""
    now = now or timezone.now()
    if booking.held_slot_id is None:
        return False
    # Lock order (locks.py): the slot, then the booking.
    slot = locks.slot_with_department_for_update(slot_id=booking.held_slot_id)
    locked = locks.booking_for_update(booking_id=booking.pk)
    if slot is None or locked.held_slot_id != slot.pk or (locked.hold_until and locked.hold_until > now):
        return False
    Booking.objects.filter(pk=locked.pk).update(held_slot=None, hold_until=None)
    Slot.objects.of_department(slot.department_id).filter(pk=slot.pk).update(booked=F("booked") - 1)
    slot.booked -= 1
    waitlist_offer_freed_place(slot=slot, freed_by=f"hold:{locked.pk}", now=now, skip_person=locked.person)
    return True


def holds_release_expired(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Booking.objects.filter(status=Booking.Status.TO_REBOOK, held_slot__isnull=False, hold_until__lt=now)
    return sum(hold_release(booking=b, now=now) for b in due.select_related("person"))
