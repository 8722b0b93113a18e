"""The notifications' periodic tasks (collected by ``portal.beat``): name -> (task, crontab fields, why)."""

BEAT_SCHEDULE: dict[str, tuple[str, dict, str]] = {
    # Every minute, send what the outbox still holds (broker outage, lost worker, retry backoff over,
    # quiet hours ended at 08:00).
    "notifications: dispatch due SMS": ("notifications.dispatch_due", {}, "Re-dispatch SMS left in the outbox."),
    # Every 5 minutes, ask the gateway for delivery statuses it has not reported.
    "notifications: poll SMS statuses": (
        "notifications.poll_statuses",
        {"minute": "*/5"},
        "Poll the SMS gateway for delivery statuses.",
    ),
}
