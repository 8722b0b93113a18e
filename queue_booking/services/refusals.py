"""The queue's refusals: one translatable message per error code (tests assert both)."""

from django.utils.translation import gettext_lazy as _

MSG_REFERRAL_EXPIRED = _("The referral (form 031/u) is no longer valid: it is valid for one month from signing.")
MSG_REFERRAL_NOT_IN_PERSON = _("This referral is not for an in-person examination, so it cannot be booked.")
MSG_NO_REGISTRATION = _(
    "The person to be examined has no permanent registration on record, so no MSE department can be chosen."
)
MSG_REGION_NOT_IN_PILOT = _("The electronic queue is not available in the region of the person's registration.")
MSG_PILOT_CLOSED = _("The electronic queue is closed: the pilot is not in force today.")
MSG_NO_DEPARTMENT = _("No MSE department serves the address of the person's permanent registration.")
MSG_NO_FREE_SLOT = _("The MSE department has no free date and time at the moment. Join the waiting list.")
MSG_NOT_REPRESENTATIVE = _("You can book only for yourself or for a ward under your guardianship.")
MSG_SLOT_IN_PAST = _("This date and time has already passed. Choose a later one.")
MSG_SLOT_NOT_BOOKABLE = _(
    "This date and time cannot be booked: the department does not receive then "
    "(a day off, a holiday, a business trip, or not one of the reception times)."
)
MSG_SLOT_FULL = _("This date and time has just been taken. Choose another one.")
MSG_ALREADY_BOOKED = _("This referral already has an active booking. Cancel it first to book another time.")
MSG_CANNOT_CANCEL = _("This booking can no longer be cancelled.")
MSG_BOOKING_NOT_FOUND = _("No such booking.")
MSG_TICKET_UNKNOWN = _("No booking with this ticket number for this department today.")
MSG_TICKET_INVALID = _("The QR code is not a valid ticket of this portal.")
MSG_TICKET_OTHER_DAY = _("This ticket is for another day.")
MSG_TICKET_OTHER_DEPARTMENT = _("This ticket is for another MSE department.")
MSG_TOO_LATE = _(
    "The person is more than 15 minutes late: the booking is annulled. "
    "They can be received today in the live queue, after those who booked."
)
MSG_NOT_LATE_YET = _("The booking is not yet 15 minutes late, so it cannot be annulled.")
MSG_BAD_TRANSITION = _("A booking in status “%(status)s” cannot change to “%(to)s”.")
MSG_PERSON_UNKNOWN = _("No person with this IIN is registered.")
MSG_NO_VALID_REFERRAL = _("The person has no valid referral (form 031/u) for an in-person examination.")
MSG_WALK_IN_HAS_BOOKING = _("The person is booked today: check them in with the ticket instead.")
MSG_DEPARTMENT_CLOSED_TODAY = _("The department does not receive today.")
MSG_ALREADY_ON_WAITLIST = _("You are already on the waiting list of this department.")
