"""Celery tasks of the registry: thin, named, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="expert_registry.refuse_untested", soft_time_limit=300, time_limit=360)
def refuse_untested() -> int:
    """E-5: N-E4 for candidates whose 10-day term ended without the test."""
    from expert_registry.services.testing import applications_refuse_untested

    return len(applications_refuse_untested())
