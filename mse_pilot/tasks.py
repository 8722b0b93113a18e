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


@shared_task(name="mse_pilot.register_act", soft_time_limit=120, time_limit=150)
def register_act(case_id: int) -> bool:
    """Item 7, P-8: register a decided case's act (idempotent: a registered case is left as it is)."""
    from mse_pilot.services import case_act_register

    return case_act_register(case_id=case_id) is not None


@shared_task(name="mse_pilot.register_pending_acts", soft_time_limit=300, time_limit=360)
def register_pending_acts() -> int:
    """Item 7: decided cases whose act could not be registered yet are tried again."""
    from mse_pilot.services import cases_act_register_pending

    return cases_act_register_pending()
