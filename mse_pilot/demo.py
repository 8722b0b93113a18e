"""Demo data of the remote pilot (called by ``manage.py load_demo``): a window and a programme open
today, so that a referral of the pilot's nosological forms routes to it (P-1) and its draft act is
distributed to the nosology pilot's panel (P-6).

Act 001's window, as migration 0002 seeds it from ``act_data.WINDOW`` (22.06.2025-21.06.2026,
assumed from the last signature), stays as the act gives it. When no window is open today, the demo
assumes an extension by a new order: a window of a year around today, named and noted as demo data
(as the queue's demo does for its act, Q-1), and the nosology pilot's programme for the same days.
Safe to run again: nothing is duplicated, an old demo extension is moved to today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from mse_pilot import selectors
from mse_pilot.act_data import PROGRAMMES, WINDOW
from mse_pilot.models import PilotWindow, Programme, ProgrammeSeat

DEMO_WINDOW_NAME = f"{WINDOW['name']} (demo extension)"
DEMO_PROGRAMME_CODE = "nosology-pilot-001-demo"
NOTE = "Demo data only: act 001's window (assumed 22.06.2025-21.06.2026) has ended; an extension is assumed."


def _demo_days(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=30), today + dt.timedelta(days=335)


def _window(today: dt.date) -> PilotWindow | None:
    """The demo extension, when no window of the act is open today."""
    open_now = selectors.pilot_window_open_on(day=today)
    if open_now is not None and open_now.name != DEMO_WINDOW_NAME:
        return None
    starts_on, ends_on = _demo_days(today)
    window, created = PilotWindow.objects.get_or_create(
        name=DEMO_WINDOW_NAME,
        defaults={
            "order_reference": "demo: assumed extension by a new order",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "assumed": True,
            "note": NOTE,
        },
    )
    if not created and not window.is_open_on(today):
        window.starts_on, window.ends_on = starts_on, ends_on
        window.save(update_fields=["starts_on", "ends_on", "updated_at"])
    return window


def _programme(window: PilotWindow) -> Programme:
    """The nosology pilot's panel (one extraterritorial expert-head, P-6) for the demo window's days."""
    act: dict[str, Any] = next(p for p in PROGRAMMES if p["code"] == "nosology-pilot-001")
    fields: dict[str, Any] = {k: v for k, v in act.items() if k not in ("code", "seats", "note")}
    fields |= {
        "name_ru": f"{act['name_ru']} (демо)",
        "name_kk": f"{act['name_kk']} (демо)",
        "name_en": f"{act['name_en']} (demo)",
        "order_reference": window.order_reference,
        "starts_on": window.starts_on,
        "ends_on": window.ends_on,
        "assumed": True,
        "note": NOTE,
    }
    programme, _ = Programme.objects.update_or_create(code=DEMO_PROGRAMME_CODE, defaults=fields)
    for role, count, from_on, until_on, position in act["seats"]:
        ProgrammeSeat.objects.update_or_create(
            programme=programme,
            role=role,
            defaults={"count": count, "from_on": from_on, "until_on": until_on, "position": position},
        )
    return programme


@transaction.atomic
def seed(*, stdout: Any, now: dt.datetime | None = None) -> None:
    today = timezone.localdate(now or timezone.now())
    stdout.write("mse_pilot: remote pilot demo\n")
    window = _window(today)
    if window is None:
        stdout.write("  act 001's window is open today: no demo extension\n")
        return
    _programme(window)
    stdout.write(f"  demo extension of the window and the nosology pilot's programme: {window}\n")
