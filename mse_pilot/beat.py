"""The remote pilot's periodic tasks (collected by ``portal.beat``): name -> (task, crontab fields, why).

Times are Asia/Almaty.
"""

BEAT_SCHEDULE: dict[str, tuple[str, dict[str, str], str]] = {
    # P-6, E-8: every minute, the waiting list is distributed (acts that wait are tried again).
    "mse_pilot: distribute": ("mse_pilot.distribute", {"minute": "*"}, "P-6/E-8 distribution of draft acts"),
    # E-9: every 10 minutes, late cases of excluded or incapacitated experts are redistributed.
    "mse_pilot: redistribute": (
        "mse_pilot.redistribute",
        {"minute": "*/10"},
        "E-9 redistribution of an unavailable expert's late cases",
    ),
    # every 5 minutes, the due-soon SMS to experts.
    "mse_pilot: warn due soon": ("mse_pilot.warn_due_soon", {"minute": "*/5"}, "X-6 due-soon SMS to the expert"),
    # Item 7: every 10 minutes, decided cases whose act is not registered yet (a verifier down).
    "mse_pilot: register pending acts": (
        "mse_pilot.register_pending_acts",
        {"minute": "5-59/10"},
        "P-8 registration of decided remote cases' acts",
    ),
}
