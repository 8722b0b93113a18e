"""The benefits' periodic tasks (collected by ``portal.beat``): name -> (task, crontab fields, why).

Times are Asia/Almaty.
"""

BEAT_SCHEDULE: dict[str, tuple[str, dict[str, str], str]] = {
    # Item 7: days 1-10 at 06:00; the task builds the list only on the month's first working day
    # (holidays and weekends move it), and a second run adds nothing twice.
    "benefits: payment list": (
        "benefits.build_payment_list",
        {"minute": "0", "hour": "6", "day_of_month": "1-10"},
        "item 7 month's payment list",
    ),
    # B-15: every day, carers whose yearly proof that they stopped working ran out are asked again
    "benefits: carers' yearly re-proof": (
        "benefits.carers_reproof",
        {"minute": "30", "hour": "6"},
        "B-15 carers' yearly re-proof",
    ),
}
