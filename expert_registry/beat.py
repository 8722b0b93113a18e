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
    # E-10: the 1st at 02:00 evaluates the month before; repeated on the 2nd-4th (idempotent: the same
    # rows are updated, with reviews that came late), so the result stands by the 5th.
    "experts: evaluate the month": (
        "expert_registry.evaluate_month",
        {"minute": "0", "hour": "2", "day_of_month": "1-4"},
        "E-10 monthly evaluation by the 5th",
    ),
    # E-10: the yearly evaluation by 20 December (1 January - 30 November), on the 1st and the 19th.
    "experts: evaluate the year": (
        "expert_registry.evaluate_year",
        {"minute": "30", "hour": "2", "day_of_month": "1,19", "month_of_year": "12"},
        "E-10 yearly evaluation by 20 December",
    ),
}
