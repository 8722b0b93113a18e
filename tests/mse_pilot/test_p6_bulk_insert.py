"""P-6: the distributor writes a run's panels and work records in one statement each
(``portal.bulk.bulk_insert``); what is stored is what ``bulk_create`` would store."""

import datetime as dt

import pytest

from expert_registry.models import WorkRecord
from mse_pilot.models import PanelAssignment
from portal.bulk import bulk_insert
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import ASTANA, draft_act, staff_expert

pytestmark = pytest.mark.django_db


def test_p6_bulk_insert_stores_json_exact_times_defaults_and_null():
    expert, other = staff_expert(kato=ASTANA), staff_expert(kato=ASTANA)
    case = draft_act(almaty(2025, 11, 25, 9, 0))
    sent = almaty(2025, 11, 25, 10, 0) + dt.timedelta(microseconds=123456)
    reason = {"candidates": [{"expert": str(expert.public_id), "open_cases": 0, "why": 'a "quoted" \\ word'}]}
    rows = [
        PanelAssignment(
            case=case,
            person_id=case.person_id,
            expert_id=member.pk,
            role="expert_head",
            seat=seat,
            assigned_at=sent,
            due_at=almaty(2025, 11, 25, 18, 0),
            reason=reason,
            rule_version="P-6 test",
        )
        for seat, member in ((1, expert), (2, other))
    ]
    assert bulk_insert(rows) == 2
    stored = list(PanelAssignment.objects.order_by("seat"))
    assert [a.seat for a in stored] == [1, 2]
    first = stored[0]
    assert first.assigned_at == sent  # microseconds and offset kept
    assert first.due_at == almaty(2025, 11, 25, 18, 0)
    assert first.reason == reason
    assert (first.status, first.decline_reason, first.redistributed_from_id, first.due_soon_sms_at) == (
        "assigned",
        "",
        None,
        None,
    )
    assert first.created_at is not None
    assert first.updated_at is not None


def test_p6_bulk_insert_skips_a_conflicting_row_only_when_asked():
    expert = staff_expert(kato=ASTANA)
    at = almaty(2025, 11, 25, 10, 0)
    WorkRecord.objects.create(expert=expert, case_ref="case-1", received_at=at, due_at=at)
    again = [
        WorkRecord(expert=expert, case_ref="case-1", received_at=at, due_at=at + dt.timedelta(hours=1)),
        WorkRecord(expert=expert, case_ref="case-2", received_at=at, due_at=at),
    ]
    bulk_insert(again, ignore_conflicts=True)
    assert sorted(WorkRecord.objects.values_list("case_ref", "due_at")) == [("case-1", at), ("case-2", at)]
    assert bulk_insert([]) == 0
