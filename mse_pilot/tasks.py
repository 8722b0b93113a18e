"""Celery tasks of the remote pilot: thin, named, idempotent (each run reads the state afresh)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="mse_pilot.distribute", soft_time_limit=540, time_limit=600)
def distribute() -> int:
    """P-6, E-8: assign every waiting draft act its panel; those that must wait stay waiting."""
    from mse_pilot.services import cases_distribute_all

    return len(cases_distribute_all().assigned)


@shared_task(name="mse_pilot.redistribute", soft_time_limit=300, time_limit=360)
def redistribute() -> int:
    """E-9: late cases of excluded or incapacitated experts go to another expert."""
    from mse_pilot.services import assignments_redistribute

    return len(assignments_redistribute().redistributed)


@shared_task(name="mse_pilot.warn_due_soon", soft_time_limit=300, time_limit=360)
def warn_due_soon() -> int:
    """X-6: the due-soon SMS to experts, once per assignment."""
    from mse_pilot.services import due_soon_warn

    return len(due_soon_warn())
