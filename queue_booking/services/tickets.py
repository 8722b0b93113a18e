"""Ticket numbers, the printable ticket's QR code and the calendar file (Q-7, X-4)."""

from __future__ import annotations

import datetime as dt

import segno
from django.core import signing
from icalendar import Calendar, Event

from queue_booking import locks
from queue_booking.models import Booking

QR_PREFIX = "MSEQ:"
_SALT = "queue_booking.check_in"


def ticket_number_next(*, department, day: dt.date) -> tuple[int, str]:
    """The next ticket of a department's day: "03-0112-004" is department 3, 1 December, 4th ticket."""
    sequence = locks.ticket_counter_take_next(department_id=department.pk, day=day)
    return sequence, f"{department.number:02d}-{day:%d%m}-{sequence:03d}"


def check_in_token(*, booking: Booking) -> str:
    """What the QR code carries: the booking's id, signed, so a forged code is refused."""
    return QR_PREFIX + signing.Signer(salt=_SALT).sign(str(booking.public_id))


def check_in_token_read(token: str) -> str:
    """The booking's public id from a QR payload; raises ``signing.BadSignature`` when forged."""
    return signing.Signer(salt=_SALT).unsign(token.removeprefix(QR_PREFIX))


def booking_qr_svg(*, booking: Booking) -> str:
    """An inline SVG QR code of the check-in token, for the printable ticket."""
    qr = segno.make(check_in_token(booking=booking), error="m")
    return qr.svg_inline(scale=4, border=2, title=booking.ticket_number)


def booking_ics(*, booking: Booking) -> bytes:
    """An .ics file with the visit, so the recipient can add it to a calendar."""
    department = booking.department
    cal = Calendar()
    cal.add("prodid", "-//MSE portal//electronic queue//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"{booking.public_id}@mse-portal")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.starts_at + dt.timedelta(hours=1))
    event.add("summary", f"MSE department No. {department.number}: ticket {booking.ticket_number}")
    event.add("location", department.address)
    event.add("description", f"Ticket {booking.ticket_number}. {department.name}, {department.address}.")
    cal.add_component(event)
    return cal.to_ical()
