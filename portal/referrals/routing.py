"""Where a referral goes: the in-person queue, or the remote pilot.

Apps hook in at start-up with ``register_router(priority, router)``; a router takes a referral and
returns a ``Referral.Route`` or ``None`` (not mine). Lower priority runs first; the first answer
wins; with no answer the referral goes to the in-person examination, the legal default.

After routing, ``referral_routed`` is sent inside the intake transaction: a receiver's outbox rows
(an SMS, say) commit or roll back with the referral.

An app that refuses some submissions (the remote pilot's mandatory examinations, P-4) registers an
intake check with ``register_intake_check(check)``: ``check(referral=<unsaved Referral>,
examinations=<list of dicts>)`` returns a list of ``ErrorItem``; any item refuses the submission and
nothing is stored. Checks run inside the intake's transaction, after the core's own checks passed
and after the signature was verified (P-5), only for a new referral (an identical resend is not
checked again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from portal.errors import ErrorItem
    from portal.referrals.models import Referral

Router = Callable[["Referral"], "str | None"]
IntakeCheck = Callable[..., "list[ErrorItem]"]

_routers: list[tuple[int, str, Router]] = []
_intake_checks: list[tuple[str, IntakeCheck]] = []
# what the API schema shows of each check's refusals: name -> a callable giving the example's items
_intake_examples: dict[str, Callable[[], list[ErrorItem]]] = {}

# sent with sender=Referral, referral=<Referral>, route=<str>
referral_routed = Signal()


def register_router(priority: int, router: Router) -> None:
    name = f"{router.__module__}.{router.__qualname__}"
    if any(n == name for _, n, _r in _routers):
        return
    _routers.append((priority, name, router))
    _routers.sort(key=lambda r: r[0])


def route_for(referral) -> str:
    from portal.referrals.models import Referral

    for _priority, _name, router in _routers:
        route = router(referral)
        if route:
            return route
    return Referral.Route.IN_PERSON


def register_intake_check(
    check: IntakeCheck, *, examples: dict[str, Callable[[], list[ErrorItem]]] | None = None
) -> None:
    """Add ``check`` to the intake; ``examples`` (name -> items, called when the schema is built, in
    its request's language) document its refusals in the intake API's 400 answer."""
    _intake_examples.update(examples or {})
    name = f"{check.__module__}.{check.__qualname__}"
    if any(n == name for n, _c in _intake_checks):
        return
    _intake_checks.append((name, check))


def intake_error_examples() -> dict[str, list[ErrorItem]]:
    return {name: make() for name, make in _intake_examples.items()}


def intake_check_errors(*, referral, examinations: list[dict]) -> list[ErrorItem]:
    """Every registered check's refusals of the unsaved ``referral`` with its ``examinations``."""
    errors: list[ErrorItem] = []
    for _name, check in _intake_checks:
        errors.extend(check(referral=referral, examinations=examinations))
    return errors
