"""The registry's periodic tasks (collected by ``portal.beat``): name -> (task, crontab fields, why).

Times are Asia/Almaty.
"""

BEAT_SCHEDULE: dict[str, tuple[str, dict[str, str], str]] = {
    # E-5: every day 00:30, N-E4 for candidates whose 10-calendar-day test term ended the day before.
    "experts: refuse untested": (
        "expert_registry.refuse_untested",
        {"minute": "30", "hour": "0"},
        "E-5 test not taken in 10 calendar days",
    ),
}
