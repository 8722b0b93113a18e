"""The work record the remote pilot writes (item 8's input): case received, decided, upheld or not,
or withdrawn (redistributed away, E-9).

The pilot calls these services; this app never imports the pilot. Each call is idempotent by
``(expert, case_ref)``: a repeat changes nothing.

A case received or decided opens the expert's result row of that month if it has none
(``evaluation_months_open``), so the run on the 1st fills rows in place (E-10).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from expert_registry.models import Expert, WorkRecord
from expert_registry.services.evaluation import evaluation_months_open
from portal.bulk import bulk_insert


@transaction.atomic
def work_record_case_received(
    *, expert: Expert, case_ref: str, received_at: dt.datetime, due_at: dt.datetime
) -> WorkRecord:
    record, created = WorkRecord.objects.get_or_create(
        expert=expert, case_ref=case_ref, defaults={"received_at": received_at, "due_at": due_at}
    )
    if created:
        evaluation_months_open(entries=[(expert.pk, received_at)])
    return record


@transaction.atomic
def work_record_case_decided(*, expert: Expert, case_ref: str, decided_at: dt.datetime) -> WorkRecord:
    record = WorkRecord.objects.select_for_update().get(expert=expert, case_ref=case_ref)
    if record.decided_at is None and record.withdrawn_at is None:
        record.decided_at = decided_at
        record.save(update_fields=["decided_at", "updated_at"])
        evaluation_months_open(entries=[(expert.pk, decided_at)])
    return record


@transaction.atomic
def work_record_case_withdrawn(*, expert: Expert, case_ref: str, withdrawn_at: dt.datetime) -> WorkRecord | None:
    """E-9: the case was redistributed away from ``expert``: their open entry is closed as withdrawn,
    so it is no longer an open case (the pool's load) and E-10 never counts it as received, decided or
    late. A decided entry is left as it is; a repeat changes nothing; no entry, nothing to close."""
    record = WorkRecord.objects.select_for_update().filter(expert=expert, case_ref=case_ref).first()
    if record is not None and record.decided_at is None and record.withdrawn_at is None:
        record.withdrawn_at = withdrawn_at
        record.save(update_fields=["withdrawn_at", "updated_at"])
    return record


@transaction.atomic
def work_record_case_reviewed(*, expert: Expert, case_ref: str, upheld: bool) -> WorkRecord:
    """Methodology control's verdict on the expert's conclusion (E-10's quality)."""
    record = WorkRecord.objects.select_for_update().get(expert=expert, case_ref=case_ref)
    record.upheld = upheld
    record.save(update_fields=["upheld", "updated_at"])
    return record


@transaction.atomic
def work_records_cases_received(*, records: list[tuple[Expert, str, dt.datetime, dt.datetime]]) -> int:
    """``work_record_case_received`` for many (expert, case_ref, received_at, due_at) at once, for
    the pilot's distributor: one INSERT of the records and one of the months they open; a row that
    exists is left as it is (idempotent)."""
    rows = [WorkRecord(expert_id=e.pk, case_ref=ref, received_at=at, due_at=due) for e, ref, at, due in records]
    inserted = bulk_insert(rows, ignore_conflicts=True)
    evaluation_months_open(entries=[(row.expert_id, row.received_at) for row in rows])
    return inserted
