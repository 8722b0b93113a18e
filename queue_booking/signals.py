"""Receivers of the core's signals. Thin: each calls one service."""

from __future__ import annotations


def on_referral_routed(sender, *, referral, route, **kwargs) -> None:
    """Q-4: N-Q1 for an in-person referral of a pilot region, in the intake's transaction."""
    from queue_booking.services import referral_invite

    referral_invite(referral=referral)
