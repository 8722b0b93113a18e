"""The ``demo`` backend: answers from ``DemoRecord`` rows (admin and tests). No row: ``not_found``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from portal.statedata.backends import FOUND, NOT_FOUND, RawAnswer
from portal.statedata.models import DemoRecord
from portal.statedata.systems import System

NAME = "demo"


def query(*, system: System, key: str, on: dt.date | None) -> RawAnswer:
    rows = DemoRecord.objects.filter(system=system.code, key=key)
    if on is not None:
        rows = rows.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
    row = rows.order_by("-valid_from", "-pk").first()
    if row is None:
        return RawAnswer(NOT_FOUND)
    return RawAnswer(FOUND, row.data if isinstance(row.data, dict) else {}, reference=f"demo:{row.pk}")
