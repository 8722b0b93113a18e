"""Every periodic task of the portal, in one place, each with when and why.

django-celery-beat keeps schedules in the database so operators can change them in the admin;
``beat_schedule_sync`` (run after every migrate) creates the entries below when missing and never
overwrites an operator's edit of the time. Times are Asia/Almaty.

Apps add their entries here: ``name: (task name, crontab kwargs, why)``.
"""

from __future__ import annotations

SCHEDULE: dict[str, tuple[str, dict, str]] = {
    # key: (task name, crontab fields, why)
    # Notifications: every minute, send what the outbox still holds (broker outage, lost worker,
    # retry backoff over, quiet hours ended at 08:00).
    "notifications: dispatch due SMS": ("notifications.dispatch_due", {}, "Re-dispatch SMS left in the outbox."),
    # Notifications: every 5 minutes, ask the gateway for delivery statuses it has not reported.
    "notifications: poll SMS statuses": (
        "notifications.poll_statuses",
        {"minute": "*/5"},
        "Poll the SMS gateway for delivery statuses.",
    ),
    # X-9 [A]: every day 03:30, delete access log rows older than ACCESS_LOG_RETENTION_DAYS.
    "accesslog: purge expired": (
        "accesslog.purge_expired",
        {"minute": "30", "hour": "3"},
        "X-9 access log retention",
    ),
    # Operators: proves beat, broker and worker are alive; /healthz reports its age.
    "portal: heartbeat": ("portal.heartbeat", {"minute": "*"}, "every minute: worker and beat liveness"),
    # every day 09:00 Asia/Almaty, N-Q2 reminders for visits three calendar days ahead.
    "queue: reminders": ("queue_booking.send_reminders", {"minute": "0", "hour": "9"}, "Q-8 reminders"),
    # every minute (one indexed query when nobody is late), annul bookings more than 15
    # minutes late (N-Q4): a 10:00 no-show is annulled at 10:16, not up to five minutes later.
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


def beat_schedule_sync(**_kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, (task, cron, why) in SCHEDULE.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        fields = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
        fields.update(cron)
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Almaty", **fields)
        PeriodicTask.objects.create(name=name, task=task, crontab=schedule, description=why)
