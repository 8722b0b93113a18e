"""Reads of referrals, and X-8: which people and referrals an integrator may act on.

An integrator acts only for its own people: a hospital system (MIS) for the people who have a
referral from one of its medical organisations (``MedicalOrganisation.integrator``), and for their
legal representatives acting for them; on nothing else. An integrator without organisations (the
State Corporation, a gateway, a department's system) acts for nobody by this rule; a department's
system works its own department's queue instead (``portal.accounts.selectors``). Every API that
takes a person or a referral from an integrator goes through these functions, and answers what is
outside them exactly as it answers a nonexistent object (404).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.people.models import Person
from portal.people.selectors import active_guardianships, ward_list
from portal.prepared import PreparedQuery
from portal.referrals.models import Referral


def referral_list_for_citizen(*, person: Person) -> QuerySet[Referral]:
    """The citizen's own referrals and their wards', newest first."""
    ward_ids = list(ward_list(representative=person).values_list("pk", flat=True))
    return (
        Referral.objects.filter(person_id__in=[person.pk, *ward_ids])
        .select_related("person", "medical_organisation")
        .order_by("-signed_at")
    )


def referrals_visible_to_integrator(*, integrator) -> QuerySet[Referral]:
    """X-8: the referrals signed in the integrator's own medical organisations."""
    if integrator is None:
        return Referral.objects.none()
    return Referral.objects.filter(medical_organisation__integrator=integrator)


def _referral_one_among(qs: QuerySet[Referral], *, public_id, integrator_id: int | None) -> QuerySet[Referral]:
    """``qs``'s referral with ``public_id`` (a query of one row at most); for an integrator
    (``integrator_id``) only among the referrals of its own organisations (X-8)."""
    from portal.accounts.models import Integrator

    qs = qs.filter(public_id=public_id)
    if integrator_id is not None:
        visible = referrals_visible_to_integrator(integrator=Integrator(pk=integrator_id))
        qs = qs.filter(pk__in=visible.values("pk"))
    return qs.order_by("pk")[:1]


class ReferralByPublicId:
    """One referral by public id from ``base()`` (its annotations, joins, locks), read by a query built
    and prepared once (``portal.prepared``): any referral for a citizen's session (the services check
    who may act), for an integrator only one of its own organisations' (X-8), else ``None`` as for a
    referral that does not exist. ``sample`` makes the samples of this lookup's public id unique."""

    def __init__(self, base: Callable[[], QuerySet[Referral]], *, sample: int):
        self._any = PreparedQuery(
            lambda public_id: _referral_one_among(base(), public_id=public_id, integrator_id=None),
            public_id=uuid.UUID(int=sample),
        )
        self._own = PreparedQuery(
            lambda public_id, integrator_id: _referral_one_among(
                base(), public_id=public_id, integrator_id=integrator_id
            ),
            public_id=uuid.UUID(int=sample + 1),
            integrator_id=918273645546370 + sample % 1000,
        )

    def first(self, *, public_id: uuid.UUID, integrator_id: int | None) -> Referral | None:
        if integrator_id is None:
            found: Referral | None = self._any.first(public_id=public_id)
        else:
            found = self._own.first(public_id=public_id, integrator_id=integrator_id)
        return found


def persons_visible_to_integrator(*, integrator) -> QuerySet[Person]:
    """X-8: the people with a referral from one of the integrator's medical organisations."""
    person_ids = referrals_visible_to_integrator(integrator=integrator).values("person_id")
    return Person.objects.filter(pk__in=person_ids)


def integrator_may_act_for(*, integrator, person: Person, day: dt.date | None = None) -> bool:
    """X-8: ``person`` has a referral from the integrator's organisations, or is today the legal
    representative of someone who has (the representative books and cancels for the ward).
    One rule, ``integrator_may_act_for_expression``, read for one person."""
    if integrator is None or person is None:
        return False
    return (
        Person.objects.filter(pk=person.pk)
        .filter(integrator_may_act_for_expression(integrator=integrator, person_ref=OuterRef("pk"), day=day))
        .exists()
    )


def integrator_may_act_for_expression(*, integrator, person_ref, day: dt.date | None = None) -> Q | Exists:
    """``integrator_may_act_for`` as an expression over ``person_ref`` (an ``OuterRef`` to a person's
    id), for reading the person and the X-8 answer in one query."""
    if integrator is None:
        return Q(pk__in=[])
    day = day or timezone.localdate()
    visible = referrals_visible_to_integrator(integrator=integrator)
    return Exists(visible.filter(person_id=person_ref)) | Exists(
        active_guardianships(day).filter(representative_id=person_ref, ward_id__in=visible.values("person_id"))
    )


def referral_list_for_integrator(*, integrator, person: Person) -> QuerySet[Referral]:
    """The referrals of ``person`` and their wards that the integrator's organisations signed."""
    return referral_list_for_citizen(person=person).filter(medical_organisation__integrator=integrator)
