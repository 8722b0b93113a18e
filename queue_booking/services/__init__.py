"""Writes of the electronic queue, split by subdomain; import them from here."""

from portal.accounts.staff import staff_require
from queue_booking.services.bookings import (
    booking_availability,
    booking_cancel,
    booking_create,
    booking_eligibility,
    booking_times,
    slot_require_bookable,
)
from queue_booking.services.closures import reception_exception_delete, reception_exception_save, slots_recompute
from queue_booking.services.desk import (
    booking_annul_late,
    booking_call,
    booking_check_in,
    booking_mark_left,
    booking_mark_served,
    booking_remind,
    bookings_annul_late_due,
    reminders_send_due,
    walk_in_add,
)
from queue_booking.services.holds import hold_release, holds_release_expired
from queue_booking.services.incidents import incident_mark_reported, incident_record, incident_report_due
from queue_booking.services.invitations import referral_invite
from queue_booking.services.pilot import pilot_window
from queue_booking.services.publishing import calendar_days_apply, reception_schedule_publish, schedule_warning_check
from queue_booking.services.tickets import booking_ics, booking_qr_svg, check_in_token
from queue_booking.services.waitlist import waitlist_join, waitlist_leave, waitlist_offer_freed_place

__all__ = [
    "booking_annul_late",
    "booking_availability",
    "booking_call",
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_eligibility",
    "booking_ics",
    "booking_mark_left",
    "booking_mark_served",
    "booking_qr_svg",
    "booking_remind",
    "booking_times",
    "bookings_annul_late_due",
    "calendar_days_apply",
    "check_in_token",
    "hold_release",
    "holds_release_expired",
    "incident_mark_reported",
    "incident_record",
    "incident_report_due",
    "pilot_window",
    "reception_exception_delete",
    "reception_exception_save",
    "reception_schedule_publish",
    "referral_invite",
    "reminders_send_due",
    "schedule_warning_check",
    "slot_require_bookable",
    "slots_recompute",
    "staff_require",
    "waitlist_join",
    "waitlist_leave",
    "waitlist_offer_freed_place",
    "walk_in_add",
]
