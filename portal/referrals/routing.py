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

A check may keep a record of its refusals (anonymous counts for its reports): ``on_refused`` is
called as ``on_refused(referral=<unsaved Referral>, examinations=<list of dicts>, errors=<its
items>)`` after the intake's transaction has rolled back, so what it writes is its own transaction
and nothing of the refused referral is stored with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from portal.errors import ErrorItem
    from portal.referrals.models import Referral

Router = Callable[["Referral"], "str | None"]
IntakeCheck = Callable[..., "list[ErrorItem]"]
RefusalRecorder = Callable[..., object]  # its answer is not read

logger = logging.getLogger(__name__)

_routers: list[tuple[int, str, Router]] = []
_intake_checks: list[tuple[str, IntakeCheck, RefusalRecorder | None]] = []
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


@dataclass(frozen=True)
class IntakeRefusal:
    """One check's refusal of an unsaved referral, kept to be recorded after the rollback."""

    referral: Referral
    examinations: list[dict]
    items: list[ErrorItem]
    on_refused: RefusalRecorder | None = None


def register_intake_check(
    check: IntakeCheck,
    *,
    examples: dict[str, Callable[[], list[ErrorItem]]] | None = None,
    on_refused: RefusalRecorder | None = None,
) -> None:
    """Add ``check`` to the intake; ``examples`` (name -> items, called when the schema is built, in
    its request's language) document its refusals in the intake API's 400 answer; ``on_refused``
    records a refusal once the intake's transaction has rolled back (see the module's notes)."""
    _intake_examples.update(examples or {})
    name = f"{check.__module__}.{check.__qualname__}"
    if any(n == name for n, _c, _r in _intake_checks):
        return
    _intake_checks.append((name, check, on_refused))


def intake_error_examples() -> dict[str, list[ErrorItem]]:
    return {name: make() for name, make in _intake_examples.items()}


def intake_check_refusals(*, referral, examinations: list[dict]) -> list[IntakeRefusal]:
    """Every registered check's refusal of the unsaved ``referral`` with its ``examinations``."""
    refusals: list[IntakeRefusal] = []
    for _name, check, on_refused in _intake_checks:
        items = check(referral=referral, examinations=examinations)
        if items:
            refusals.append(IntakeRefusal(referral, examinations, items, on_refused))
    return refusals


def intake_check_errors(*, referral, examinations: list[dict]) -> list[ErrorItem]:
    """Every registered check's refusal items of the unsaved ``referral`` with its ``examinations``."""
    return [item for r in intake_check_refusals(referral=referral, examinations=examinations) for item in r.items]


def intake_refusals_record(refusals: list[IntakeRefusal]) -> None:
    """Let each refusing check record its refusal; called outside the intake's (rolled back)
    transaction. A recorder that fails is logged (no personal data) and the refusal is answered all
    the same: a missing count must not turn the MIS's 400 into a 500."""
    for refusal in refusals:
        if refusal.on_refused is None:
            continue
        try:
            refusal.on_refused(referral=refusal.referral, examinations=refusal.examinations, errors=refusal.items)
        except Exception:
            logger.exception("intake refusal not recorded by %s", refusal.on_refused.__qualname__)
