"""Every row lock of the benefits app (the disability offer, then a dependant; never the other way).

No lock for the funeral payment: one application per deceased (B-3 (3)) is the database's partial unique index
``benefits_one_funeral_application_per_deceased``; two concurrent filings both pass the check and the
second insert fails inside its savepoint, which ``funeral_application_file`` turns into a
non-acceptance with the ground "already filed".
"""

from __future__ import annotations

from benefits.models import Dependant, DisabilityOffer


def disability_offer_for_update(offer_id: int) -> DisabilityOffer:
    """S-7, B-12: the offer's row, so that two answers to one offer (two tabs, a retried SMS reply)
    file its applications once: the second waits, then sees the offer answered."""
    return DisabilityOffer.objects.select_for_update().get(pk=offer_id)


def dependant_for_update(dependant_id: int) -> Dependant:
    """B-16: one dependant's row, so that two notices of one school suspend the share once."""
    return Dependant.objects.select_for_update().get(pk=dependant_id)
