"""P-6, E-8: two distributors at once never assign one act twice nor overload one expert (PostgreSQL:
real concurrent connections; ``mse_pilot/locks.py``: SKIP LOCKED on the acts, the experts' slots)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from expert_registry.models import WorkRecord
from mse_pilot.models import PanelAssignment, RemoteCase
from mse_pilot.services import cases_distribute_all
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import ASTANA, draft_act, staff_expert

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has one writer at a time, so there is no race",
    ),
]


def test_p6_concurrent_distributors_assign_each_act_once_and_balance_the_load():
    experts = [staff_expert(kato=ASTANA) for _ in range(4)]
    cases = [draft_act(almaty(2025, 11, 25, 8, m)) for m in range(40)]
    n = 4
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            cases_distribute_all(now=almaty(2025, 11, 25, 10, 0), limit=3)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert RemoteCase.objects.filter(stage="assigned").count() == len(cases)
    per_case = Counter(PanelAssignment.objects.values_list("case_id", flat=True))
    assert set(per_case.values()) == {1}
    assert len(per_case) == len(cases)
    loads = Counter(PanelAssignment.objects.values_list("expert_id", flat=True))
    assert sorted(loads.values()) == [10, 10, 10, 10]
    assert WorkRecord.objects.filter(expert__in=experts).count() == len(cases)
