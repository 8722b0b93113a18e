"""The queue's error codes, each with its message (tests assert both).

Services raise them (``ApplicationError(errors.SLOT_FULL, field="slot")``); views branch on
``exc.code == errors.SLOT_FULL.code``, never on a string literal. A message naming a setting's value
takes it when raised (``errors.TOO_LATE.format(minutes=settings.QUEUE_LATE_MINUTES)``).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.errors import ErrorCode

REFERRAL_EXPIRED = ErrorCode(
    "referral_expired",
    _("The referral (form 031/u) is no longer valid: it is valid for one month from signing."),
)
REFERRAL_NOT_IN_PERSON = ErrorCode(
    "referral_not_in_person",
    _("This referral is not for an in-person examination, so it cannot be booked."),
)
NO_REGISTRATION = ErrorCode(
    "no_registration",
    _("The person to be examined has no permanent registration on record, so no MSE department can be chosen."),
)
REGION_NOT_IN_PILOT = ErrorCode(
    "region_not_in_pilot",
    _("The electronic queue is not available in the region of the person's registration."),
)
PILOT_CLOSED = ErrorCode(
    "pilot_closed",
    _("The electronic queue is closed: the pilot is not in force today."),
)
NO_DEPARTMENT = ErrorCode(
    "no_department",
    _("No MSE department serves the address of the person's permanent registration."),
)
NO_FREE_SLOT = ErrorCode(
    "no_free_slot",
    _("The MSE department has no free date and time at the moment. Join the waiting list."),
)
NOT_REPRESENTATIVE = ErrorCode(
    "not_representative",
    _("You can book only for yourself or for a ward under your guardianship."),
)
SLOT_IN_PAST = ErrorCode(
    "slot_in_past",
    _("This date and time has already passed. Choose a later one."),
)
SLOT_NOT_BOOKABLE = ErrorCode(
    "slot_not_bookable",
    _(
        "This date and time cannot be booked: the department does not receive then "
        "(a day off, a holiday, a business trip, or not one of the reception times)."
    ),
)
SLOT_FULL = ErrorCode(
    "slot_full",
    _("This date and time has just been taken. Choose another one."),
)
ALREADY_BOOKED = ErrorCode(
    "already_booked",
    _("This referral already has an active booking. Cancel it first to book another time."),
)
REFERRAL_USED = ErrorCode(
    "referral_used",
    _("The examination on this referral has taken place. A new examination needs a new referral (form 031/u)."),
)
CANNOT_CANCEL = ErrorCode(
    "cannot_cancel",
    _("This booking can no longer be cancelled."),
)
BOOKING_NOT_FOUND = ErrorCode(
    "booking_not_found",
    _("No such booking."),
)
TICKET_UNKNOWN = ErrorCode(
    "ticket_unknown",
    _("No booking with this ticket number for this department today."),
)
TICKET_INVALID = ErrorCode(
    "ticket_invalid",
    _("The QR code is not a valid ticket of this portal."),
)
TICKET_OTHER_DAY = ErrorCode(
    "ticket_other_day",
    _("This ticket is for another day."),
)
TICKET_OTHER_DEPARTMENT = ErrorCode(
    "ticket_other_department",
    _("This ticket is for another MSE department."),
)
TOO_LATE = ErrorCode(
    "too_late",
    ngettext_lazy(
        "The person is more than %(minutes)d minute late: the booking is annulled. "
        "They can be received today in the live queue, after those who booked.",
        "The person is more than %(minutes)d minutes late: the booking is annulled. "
        "They can be received today in the live queue, after those who booked.",
        "minutes",
    ),
)
NOT_LATE_YET = ErrorCode(
    "not_late_yet",
    ngettext_lazy(
        "The booking is not yet %(minutes)d minute late, so it cannot be annulled.",
        "The booking is not yet %(minutes)d minutes late, so it cannot be annulled.",
        "minutes",
    ),
)
BAD_TRANSITION = ErrorCode(
    "bad_transition",
    _("A booking in status “%(status)s” cannot change to “%(to)s”."),
)
NOT_CALLABLE = ErrorCode(
    "not_callable",
    _("Only a person who has arrived and has not been called in yet can be called in (S-3)."),
)
NO_VALID_REFERRAL = ErrorCode(
    "no_valid_referral",
    _("The person has no valid referral (form 031/u) for an in-person examination."),
)
WALK_IN_HAS_BOOKING = ErrorCode(
    "walk_in_has_booking",
    _("The person is booked today: check them in with the ticket instead."),
)
DEPARTMENT_CLOSED_TODAY = ErrorCode(
    "department_closed_today",
    _("The department does not receive today."),
)
ALREADY_ON_WAITLIST = ErrorCode(
    "already_on_waitlist",
    _("You are already on the waiting list of this department."),
)
REFERRAL_NOT_FOUND = ErrorCode("referral_not_found", _("No such referral."))
IDEMPOTENCY_KEY_INVALID = ErrorCode(
    "idempotency_key_invalid", _("The Idempotency-Key header must be 1 to 64 visible ASCII characters.")
)
