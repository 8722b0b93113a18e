"""X-3: the waiting list of a department, and offers of freed places."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.errors import ConflictError, ForbiddenError
from portal.people.models import Person
from portal.people.selectors import person_can_act_for, sms_recipient_for
from portal.territory.models import MseDepartment
from queue_booking import errors
from queue_booking.models import Slot, WaitlistEntry
from queue_booking.services.notices import send, slot_context
from queue_booking.sms import QueueSms


def _require_may_act(actor: Person | None, person: Person) -> None:
    if actor is not None and not person_can_act_for(actor=actor, subject=person):
        raise ForbiddenError(errors.NOT_REPRESENTATIVE, field="person")


def waitlist_join(*, person: Person, department: MseDepartment, actor: Person | None = None) -> WaitlistEntry:
    """Opt ``person`` in to an SMS when a place frees up in ``department``.

    ``actor`` is who asks (the person, or their legal representative, who then gets the offers).
    """
    _require_may_act(actor, person)
    asked_by = actor if actor is not None and actor.pk != person.pk else None
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(person=person, department=department, asked_by=asked_by)
    except IntegrityError:
        raise ConflictError(errors.ALREADY_ON_WAITLIST, field="department") from None


@transaction.atomic
def waitlist_leave(
    *, person: Person, department: MseDepartment, actor: Person | None = None, now: dt.datetime | None = None
) -> int:
    """Stop the offers of freed places for ``person`` in ``department``; returns how many entries ended."""
    _require_may_act(actor, person)
    return WaitlistEntry.objects.filter(person=person, department=department, left_at__isnull=True).update(
        left_at=now or timezone.now()
    )


def waitlist_offer_freed_place(
    *, slot: Slot, freed_by: str, now: dt.datetime | None = None, skip_person: Person | None = None
) -> int:
    """Tell the people waiting for the slot's department that a place is free; first to book wins.

    Called inside the transaction that freed the place (the SMS outbox rows commit with it). A place
    in the past, or one a hold took back, is not offered. ``freed_by`` makes the dedupe key: the same
    event never sends twice, a later freeing of the same slot does.
    """
    now = now or timezone.now()
    if slot.starts_at <= now or slot.booked >= slot.capacity:
        return 0
    entries = WaitlistEntry.objects.filter(department=slot.department, left_at__isnull=True).select_related(
        "person", "asked_by"
    )
    if skip_person is not None:
        entries = entries.exclude(person=skip_person)
    entries = list(entries.order_by("created_at", "pk")[: settings.QUEUE_WAITLIST_OFFER_LIMIT])
    for entry in entries:
        recipient = sms_recipient_for(subject=entry.person, chosen=entry.asked_by, day=timezone.localdate(now))
        send(
            recipient=recipient,
            subject=entry.person,
            template=QueueSms.SLOT_FREED,
            context=slot_context(recipient, slot),
            dedupe_key=f"waitlist:{entry.pk}:{freed_by}",
            department=slot.department,
        )
    WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).update(last_offered_at=now)
    return len(entries)
