"""Celery tasks of the registry: thin, named, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="expert_registry.refuse_untested", soft_time_limit=300, time_limit=360)
def refuse_untested() -> int:
    """E-5: N-E4 for candidates whose 10-day term ended without the test."""
    from expert_registry.services.testing import applications_refuse_untested

    return len(applications_refuse_untested())


@shared_task(name="expert_registry.state_checks_run", soft_time_limit=120, time_limit=150)
def state_checks_run(application_id: int) -> bool:
    """E-3: ask the state systems about one application's open documents."""
    from expert_registry.services.statechecks import application_state_checks_run

    return application_state_checks_run(application_id=application_id)


@shared_task(name="expert_registry.state_checks_retry", soft_time_limit=600, time_limit=660)
def state_checks_retry() -> int:
    """E-3: ask again every system that did not answer; one application at a time."""
    from expert_registry.services.statechecks import application_state_checks_run, applications_with_open_checks

    return sum(1 for pk in applications_with_open_checks() if application_state_checks_run(application_id=pk))


@shared_task(name="expert_registry.refuse_unsigned_contracts", soft_time_limit=300, time_limit=360)
def refuse_unsigned_contracts() -> int:
    """E-6: N-E4 for doctors who did not sign the contract in 3 working days."""
    from expert_registry.services.contracts import contracts_refuse_unsigned

    return len(contracts_refuse_unsigned())


@shared_task(name="expert_registry.poll_state_events", soft_time_limit=1800, time_limit=1900)
def poll_state_events() -> int:
    """E-7 (2)-(4): exclude the experts whom a court, emigration or death takes out of the registry."""
    from expert_registry.services.exclusion import experts_state_events_poll

    return len(experts_state_events_poll())


@shared_task(name="expert_registry.evaluate_month", soft_time_limit=1800, time_limit=2000)
def evaluate_month() -> int:
    """E-10: every expert's evaluation of the month before (safe to repeat)."""
    from expert_registry.services.evaluation import evaluation_month_run

    return evaluation_month_run()


@shared_task(name="expert_registry.evaluate_year", soft_time_limit=3600, time_limit=3700)
def evaluate_year() -> int:
    """E-10: every expert's evaluation of the year (safe to repeat)."""
    from expert_registry.services.evaluation import evaluation_year_run

    return evaluation_year_run()
