"""Every periodic task of the portal, in one place, each with when and why.

django-celery-beat keeps schedules in the database so operators can change them in the admin;
``beat_schedule_sync`` (run after every migrate) creates the entries below when missing and never
overwrites an operator's edit of the time. Times are Asia/Almaty.

Apps add their entries here: ``name: (task name, crontab kwargs, why)``.
"""

from __future__ import annotations

SCHEDULE: dict[str, tuple[str, dict, str]] = {
    # key: (task name, crontab fields, why)
    # Operators: proves beat, broker and worker are alive; /healthz reports its age.
    "portal: heartbeat": ("portal.heartbeat", {"minute": "*"}, "every minute: worker and beat liveness"),
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
