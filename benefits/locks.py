"""Every row lock of the benefits app: the decisions of an approval; the disability offer, then a
dependant (never the other way).

- One application per deceased (B-3 (3)) takes no lock: it is the database's partial unique index
  ``benefits_one_funeral_application_per_deceased``; two concurrent filings both pass the check and
  the second insert fails inside its savepoint, which ``funeral_application_file`` turns into a
  non-acceptance with the ground "already filed".
- Approval (item 7) locks the decisions it approves (``decisions_lock``), so two approvers of one
  batch cannot both sign it: the second finds them approved and saves nothing.
- More documents (B-9) lock the application's assignment (``assignment_for_update``), so two staff
  members asking at once extend the term once: the second finds it requested.
- The carers' yearly re-proof (B-15) locks the dependant (``dependant_for_update``): a concurrent run
  finds it renewed or suspended and does nothing more.
- The month's payment list takes no lock: ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` against the
  unique indexes ``benefits_one_payment_a_decision_and_month`` and
  ``benefits_one_payment_a_person_and_month`` makes a concurrent or repeated build add nothing twice.
"""

from __future__ import annotations

from typing import Any

from benefits.models import Assignment, Decision, Dependant, DisabilityOffer


def disability_offer_for_update(offer_id: int) -> DisabilityOffer:
    """S-7, B-12: the offer's row, so that two answers to one offer (two tabs, a retried SMS reply)
    file its applications once: the second waits, then sees the offer answered."""
    return DisabilityOffer.objects.select_for_update().get(pk=offer_id)


def dependant_for_update(dependant_id: int) -> Dependant:
    """B-16: one dependant's row, so that two notices of one school suspend the share once."""
    return Dependant.objects.select_for_update().get(pk=dependant_id)


def decisions_lock(*, public_ids: list[Any]) -> list[Decision]:
    """Lock the named decisions (in primary key order, so two batches never deadlock)."""
    return list(
        Decision.objects.select_for_update(of=("self",))
        .select_related("application")
        .filter(public_id__in=public_ids)
        .order_by("pk")
    )


def assignment_for_update(application_id: int) -> Assignment:
    """B-9: one application's assignment, so that more documents extend its term once."""
    return Assignment.objects.select_for_update().get(application_id=application_id)
