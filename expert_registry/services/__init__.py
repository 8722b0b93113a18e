"""Writes of the registry of doctor-experts, split by subdomain."""

# What the remote pilot calls (it reaches this app through ``expert_registry.services`` only).
from expert_registry.services.work import (
    work_record_case_decided,
    work_record_case_received,
    work_record_case_reviewed,
    work_record_case_withdrawn,
    work_records_cases_received,
)

__all__ = [
    "work_record_case_decided",
    "work_record_case_received",
    "work_record_case_reviewed",
    "work_record_case_withdrawn",
    "work_records_cases_received",
]
