"""Reads of the register of MSE acts: a citizen's own and wards', an integrator's people (X-8),
a staff member's department or region."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from portal.accounts.models import Integrator
from portal.acts.models import MseAct
from portal.people.models import Person
from portal.people.selectors import ward_list
from portal.referrals.selectors import persons_visible_to_integrator


def _acts() -> QuerySet[MseAct]:
    return MseAct.objects.select_related("person", "department", "department__region", "referral")


def act_list_for_citizen(*, person: Person) -> QuerySet[MseAct]:
    """The person's own acts and their wards' (a live guardianship), newest first."""
    ward_ids = list(ward_list(representative=person).values_list("pk", flat=True))
    return _acts().filter(person_id__in=[person.pk, *ward_ids])


def acts_visible_to_integrator(*, integrator: Integrator | None) -> QuerySet[MseAct]:
    """X-8: the acts of the integrator's own people (a referral from one of its organisations)."""
    if integrator is None:
        return MseAct.objects.none()
    return _acts().filter(person__in=persons_visible_to_integrator(integrator=integrator))


def act_list_filter(
    acts: QuerySet[MseAct],
    *,
    registered_from: dt.date | None = None,
    registered_to: dt.date | None = None,
    region_kato: str | None = None,
    recognised: bool | None = None,
) -> QuerySet[MseAct]:
    """The register's filters: the examination period (inclusive), the department's region, the decision."""
    if registered_from is not None:
        acts = acts.filter(examined_on__gte=registered_from)
    if registered_to is not None:
        acts = acts.filter(examined_on__lte=registered_to)
    if region_kato:
        acts = acts.filter(department__region__kato=region_kato)
    if recognised is not None:
        acts = acts.filter(recognised=recognised)
    return acts.order_by("-examined_on", "-pk")
