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
    # E-3: every 15 minutes, ask again the state systems that did not answer about an application.
    "experts: retry state checks": (
        "expert_registry.state_checks_retry",
        {"minute": "*/15"},
        "E-3 a state system did not answer: the check stays open and is asked again",
    ),
    # E-6: every day 00:40, N-E4 for doctors whose 3-working-day term to sign ended the day before.
    "experts: refuse unsigned contracts": (
        "expert_registry.refuse_unsigned_contracts",
        {"minute": "40", "hour": "0"},
        "E-6 contract not signed within 3 working days",
    ),
    # E-7 (2)-(4): every day 02:00, ask the courts, migration and civil registry about the registry's experts.
    "experts: poll state events": (
        "expert_registry.poll_state_events",
        {"minute": "0", "hour": "2"},
        "E-7 automatic exclusion on grounds 2-4",
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
