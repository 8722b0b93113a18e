"""Reads of the register of MSE acts: a citizen's own and wards', an integrator's people (X-8),
a staff member's department or region."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from portal.accounts.models import Integrator
from portal.acts.models import ExaminationPlan, MseAct, ServiceRefusal
from portal.people.models import Person
from portal.people.selectors import ward_list
from portal.referrals.models import Referral
from portal.referrals.selectors import persons_visible_to_integrator
from portal.territory.models import MseDepartment
from portal.territory.selectors import atus_served_by


def _acts() -> QuerySet[MseAct]:
    return MseAct.objects.select_related("person", "department", "department__region", "referral")


def act_list_for_citizen(*, person: Person) -> QuerySet[MseAct]:
    """The person's own acts and their wards' (a live guardianship), newest first."""
    ward_ids = list(ward_list(representative=person).values_list("pk", flat=True))
    return _acts().filter(person_id__in=[person.pk, *ward_ids])


def act_list_for_person(*, person: Person) -> QuerySet[MseAct]:
    """The person's own acts only (not their wards'), newest first: what an examining expert reads."""
    return _acts().filter(person=person).order_by("-examined_on", "-pk")


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


def act_get_for_citizen(*, person: Person, public_id: str) -> MseAct | None:
    """One of the person's own or wards' acts, with its signature verification; None for any other."""
    return (
        act_list_for_citizen(person=person).select_related("signature_verification").filter(public_id=public_id).first()
    )


def act_list_for_referral(*, referral: Referral) -> QuerySet[MseAct]:
    """The acts registered on a referral (an in-person visit enters one)."""
    return MseAct.objects.filter(referral=referral).order_by("-registered_at")


def referral_list_for_department(*, department: MseDepartment) -> QuerySet[Referral]:
    """S-4, S-6: the open referrals (received or routed, in person) of the people the department
    serves (their registration address), newest first."""
    return (
        Referral.objects.select_related("person", "medical_organisation")
        .filter(
            person__registration_atu__in=atus_served_by(department.pk),
            status__in=[Referral.Status.RECEIVED, Referral.Status.ROUTED],
        )
        .exclude(route=Referral.Route.REMOTE_PILOT)
        .order_by("-signed_at", "-pk")
    )


def plan_list_for_department(*, department: MseDepartment) -> QuerySet[ExaminationPlan]:
    return ExaminationPlan.objects.select_related("person", "referral").filter(department=department)


def refusal_list_for_department(*, department: MseDepartment) -> QuerySet[ServiceRefusal]:
    return ServiceRefusal.objects.select_related("person", "referral").filter(department=department)
