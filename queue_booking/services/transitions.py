"""Every status change of a booking goes through ``booking_transition`` (X-5: who, when, from, to)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.errors import ApplicationError
from queue_booking import errors
from queue_booking.models import Booking, BookingTransition

S = Booking.Status
ALLOWED: dict[str, set[str]] = {
    "": {S.BOOKED, S.ARRIVED},
    S.BOOKED: {S.ARRIVED, S.CANCELLED, S.ANNULLED, S.TO_REBOOK},
    S.ARRIVED: {S.SERVED, S.LEFT},
}


def booking_transition(
    *,
    booking: Booking,
    to: str,
    actor_user=None,
    actor_person=None,
    note: str = "",
    now: dt.datetime | None = None,
    from_status: str | None = None,
    update_fields: tuple[str, ...] = (),
) -> Booking:
    """Move ``booking`` to ``to`` (refusing a move the visit model does not allow) and log it."""
    now = now or timezone.now()
    frm = booking.status if from_status is None else from_status
    if to not in ALLOWED.get(frm, set()):
        raise ApplicationError(
            errors.BAD_TRANSITION.format(status=S(frm).label if frm else "—", to=S(to).label),
            field="status",
        )
    booking.status = to
    if booking.pk is not None and from_status is None:
        booking.save(update_fields=["status", "updated_at", *update_fields])
    BookingTransition.objects.create(
        booking=booking,
        from_status=frm,
        to_status=to,
        at=now,
        actor_user=actor_user if getattr(actor_user, "pk", None) else None,
        actor_person=actor_person,
        note=note,
    )
    return booking
