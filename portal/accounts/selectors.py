"""Reads of accounts: X-8 for a department's system (which departments an integrator serves)."""

from __future__ import annotations


def integrator_of(user):
    """The integrator whose service account ``user`` is, or None."""
    return getattr(user, "integrator", None) if user is not None and user.is_authenticated else None


def integrator_serves_department(*, integrator, department_id: int | None) -> bool:
    """X-8: queue operations by API only for an integrator bound to that department (admin:
    Integrator -> MSE departments served)."""
    if integrator is None or department_id is None:
        return False
    return integrator.departments.filter(pk=department_id).exists()
