"""The queue's periodic tasks (collected by ``portal.beat``): name -> (task, crontab fields, why).

Times are Asia/Almaty.
"""

BEAT_SCHEDULE: dict[str, tuple[str, dict, str]] = {
    # every day 09:00, N-Q2 reminders for visits three calendar days ahead.
    "queue: reminders": ("queue_booking.send_reminders", {"minute": "0", "hour": "9"}, "Q-8 reminders"),
    # every minute (one indexed query when nobody is late), annul bookings more than
    # QUEUE_LATE_MINUTES late (N-Q4): a 10:00 no-show is annulled at 10:16, not up to five minutes later.
    "queue: annul late": ("queue_booking.annul_late_bookings", {"minute": "*"}, "Q-10 lateness"),
    # every 15 minutes, give back rebooking holds that ran out and offer the places.
    "queue: release holds": ("queue_booking.release_expired_holds", {"minute": "*/15"}, "X-3 holds"),
    # Q-3 [A]: 15-31 December at 09:00, warn about departments with no schedule for next year.
    "queue: schedule warning": (
        "queue_booking.warn_missing_schedules",
        {"minute": "0", "hour": "9", "day_of_month": "15-31", "month_of_year": "12"},
        "Q-3 schedules for next year",
    ),
}
