"""What the queue's SMS say: recipients and template contexts (dates and times as objects)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from portal import messaging
from portal.people.models import Person
from portal.people.selectors import sms_recipient_for
from portal.territory.models import MseDepartment
from queue_booking.models import Booking, Slot


def cabinet_link() -> str:
    return settings.SITE_URL + settings.QUEUE_CABINET_PATH


def recipient_of(booking: Booking, *, day: dt.date | None = None) -> Person:
    """The legal representative who booked for a ward hears about it while the guardianship lasts;
    otherwise (and after it ended) the person examined."""
    if not booking.booked_by_id or booking.booked_by_id == booking.person_id:
        return booking.person
    return sms_recipient_for(subject=booking.person, chosen=booking.booked_by, day=day)


def _local(moment: dt.datetime) -> tuple[dt.date, dt.time]:
    local = timezone.localtime(moment)
    return local.date(), local.time().replace(second=0, microsecond=0)


def visit_context(booking: Booking, *, with_ticket: bool = True, today: dt.date | None = None) -> dict:
    """N-Q2 / N-Q3: department number, date, time, address (city, street, house, room), ticket."""
    day, time = _local(booking.starts_at)
    ctx = {
        "full_name": recipient_of(booking, day=today).full_name,
        "department_number": booking.department.number,
        "date": day,
        "time": time,
        "address": booking.department.addresses(),  # in the recipient's language
    }
    if with_ticket:
        ctx.update(ticket=booking.ticket_number, link=cabinet_link())
    return ctx


def slot_context(person: Person, slot: Slot) -> dict:
    day, time = _local(slot.starts_at)
    return {
        "full_name": person.full_name,
        "department_number": slot.department.number,
        "date": day,
        "time": time,
        "link": cabinet_link(),
    }


def send(
    *,
    recipient: Person,
    template: str,
    context: dict,
    dedupe_key: str,
    department: MseDepartment | None = None,
    subject: Person | None = None,
    new_key: bool = False,
) -> None:
    """Queue an SMS of the queue; the department it concerns files it in that department's log.

    ``subject`` is the person the message is about when ``recipient`` is their legal representative:
    the delivery then checks at send time that the guardianship still lasts.
    """
    # Looked up at call time so a test (or the notifications app) can swap the sender.
    messaging.notify(
        recipient=recipient,
        template=template,
        context=context,
        dedupe_key=dedupe_key,
        department=department,
        subject=subject if subject is not None else recipient,
        **({"new_key": True} if new_key else {}),
    )
