"""Receivers of the core's signals. Thin: each calls one service."""

from __future__ import annotations


def on_referral_routed(sender, *, referral, route, **kwargs) -> None:
    """Q-4: N-Q1 for an in-person referral of a pilot region, in the intake's transaction."""
    from queue_booking.services import referral_invite

    referral_invite(referral=referral)


def on_calendar_changed(sender, *, dates, actor_user=None, now=None, **kwargs) -> str | None:
    """A day off or working day of the core calendar changed: apply it to the slots (Q-2, X-3)."""
    from django.utils.translation import ngettext

    from queue_booking.services import calendar_days_apply

    moved = calendar_days_apply(days=set(dates), actor_user=actor_user, now=now)
    if not moved:
        return None
    return ngettext(
        "%(n)s booking of the electronic queue fell on a day that is no longer a working day: "
        'it moved to "to rebook" and the person was sent an SMS.',
        "%(n)s bookings of the electronic queue fell on a day that is no longer a working day: "
        'they moved to "to rebook" and the people were sent an SMS.',
        len(moved),
    ) % {"n": len(moved)}
