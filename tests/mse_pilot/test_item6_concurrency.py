"""Item 6, E-8: one conclusion signed twice at once is stored once; the last two members of a panel
signing at once decide the case once and register one act (PostgreSQL: real concurrent
connections; ``mse_pilot/locks.py``: the assignment, then the case)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from mse_pilot.models import Conclusion, RemoteCase
from mse_pilot.services import conclusion_sign
from portal.acts.models import MseAct
from portal.errors import ConflictError
from tests.mse_pilot.workspace import distributed_case, draft, sign, signature_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has one writer at a time, so there is no race",
    ),
]


def at_once(calls: list[Callable[[], object]]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_item6_the_same_conclusion_signed_twice_at_once_is_stored_once():
    case, experts = distributed_case()
    head = experts["expert_head"]
    d = draft()
    signature = signature_for(case, head, d)

    def call() -> object:
        return conclusion_sign(person_id=head.person_id, case_public_id=case.public_id, draft=d, signature=signature)

    errors = at_once([call, call])
    assert len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    assert errors[0].code == "conclusion_already_signed"
    assert Conclusion.objects.filter(case=case).count() == 1
    assert MseAct.objects.filter(person=case.person).count() == 1


def test_e8_majority_the_last_two_members_signing_at_once_decide_the_case_once():
    case, experts = distributed_case("expert_head", "chief_specialist", "doctor_expert")
    sign(case, experts["expert_head"])
    calls = []
    for role in ("chief_specialist", "doctor_expert"):
        expert = experts[role]
        d = draft()
        signature = signature_for(case, expert, d)
        calls.append(
            lambda e=expert, d=d, s=signature: conclusion_sign(
                person_id=e.person_id, case_public_id=case.public_id, draft=d, signature=s
            )
        )
    assert at_once(calls) == []
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED
    assert MseAct.objects.filter(person=case.person).count() == 1
