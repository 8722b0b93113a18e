"""Celery tasks of the queue: thin, named, idempotent; each calls one service. Scheduled in queue_booking/beat.py."""

from celery import shared_task


@shared_task(name="queue_booking.send_reminders", soft_time_limit=240, time_limit=300)
def send_reminders() -> int:
    """Q-8: N-Q2 three calendar days before the visit, once per booking."""
    from queue_booking.services import reminders_send_due

    return reminders_send_due()


@shared_task(name="queue_booking.annul_late_bookings", soft_time_limit=120, time_limit=150)
def annul_late_bookings() -> int:
    """Q-10: annul bookings not checked in 15 minutes after their time; N-Q4."""
    from queue_booking.services import bookings_annul_late_due

    return bookings_annul_late_due()


@shared_task(name="queue_booking.release_expired_holds", soft_time_limit=120, time_limit=150)
def release_expired_holds() -> int:
    """X-3: places held for rebooking that were not taken in time go back (and to the waiting list)."""
    from queue_booking.services import holds_release_expired

    return holds_release_expired()


@shared_task(name="queue_booking.warn_missing_schedules", soft_time_limit=60, time_limit=90)
def warn_missing_schedules() -> int:
    """Q-3 [A]: from 15 December, warn about departments with no schedule for next year."""
    from queue_booking.services import schedule_warning_check

    return len(schedule_warning_check())
