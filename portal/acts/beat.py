"""The register's periodic tasks (collected by ``portal.beat``): name -> (task, crontab fields, why).

Times are Asia/Almaty.
"""

BEAT_SCHEDULE: dict[str, tuple[str, dict[str, str], str]] = {
    # every day 10:00 (daytime, outside quiet hours), remind people whose disability term
    # ends within ACT_TERM_REMINDER_DAYS to get a new form 031/u; once per act.
    "acts: term reminders": ("acts.send_term_reminders", {"minute": "0", "hour": "10"}, "X-10 re-examination"),
}
