"""Celery tasks of the registry: thin, named, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="expert_registry.refuse_untested", soft_time_limit=300, time_limit=360)
def refuse_untested() -> int:
    """E-5: N-E4 for candidates whose 10-day term ended without the test."""
    from expert_registry.services.testing import applications_refuse_untested

    return len(applications_refuse_untested())


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
