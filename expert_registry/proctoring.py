"""E-5: the proctoring conclusion of a test session comes through one port.

A backend is a callable ``conclusion_of(attempt) -> str | None`` (a ``TestAttempt.Proctoring``
value, or None while the proctoring system has not concluded). The manual backend, the only one
for now, answers None: Committee staff record the conclusion in the admin
(``services.testing.attempt_proctoring_record``). A system's backend would push or be polled and
call the same service.
"""

from __future__ import annotations

from typing import Protocol

from expert_registry.models import TestAttempt


class ProctoringBackend(Protocol):
    def conclusion_of(self, attempt: TestAttempt) -> str | None: ...


class ManualProctoring:
    """Staff record the conclusion by hand; nothing is known until they do."""

    def conclusion_of(self, attempt: TestAttempt) -> str | None:
        return None


def proctoring_backend() -> ProctoringBackend:
    return ManualProctoring()
