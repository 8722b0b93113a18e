"""The monthly reports' periodic task (collected by ``portal.beat``): name -> (task, crontab fields, why).

Times are Asia/Almaty.
"""

BEAT_SCHEDULE: dict[str, tuple[str, dict[str, str], str]] = {
    # on the 1st of every month at 04:15, once the month has closed (late desk entries of the
    # last evening are in), build every registered report of the previous month for the country,
    # each region and each department. Safe to run again: each report's row is replaced.
    "reports: previous month": (
        "reports.build_previous_month",
        {"minute": "15", "hour": "4", "day_of_month": "1"},
        "X-7 monthly monitoring reports",
    ),
}
