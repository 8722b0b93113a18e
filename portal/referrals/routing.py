"""Where a referral goes: the in-person queue, or the remote pilot.

Apps hook in at start-up with ``register_router(priority, router)``; a router takes a referral and
returns a ``Referral.Route`` or ``None`` (not mine). Lower priority runs first; the first answer
wins; with no answer the referral goes to the in-person examination, the legal default.

After routing, ``referral_routed`` is sent inside the intake transaction: a receiver's outbox rows
(an SMS, say) commit or roll back with the referral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from portal.referrals.models import Referral

Router = Callable[["Referral"], "str | None"]

_routers: list[tuple[int, str, Router]] = []

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
