"""Reads of the benefits app, each narrowed to who asks: the applicant (their own applications), the
integrator (the applications it filed, X-8), staff (their department's or region's applications).

Staff's area (rule 6, Q-12): an application belongs to the area where its person is permanently
registered: the applicant when the applicant is a person known to the portal, else (a legal entity
paying for a funeral, an applicant not on record) the person the benefit concerns (``subject_iin``).
Department staff reach the applications of the ATUs their department serves, provider staff those of
their region; superusers, Committee staff and operators every region's. Anyone else, including a
staff account with a benefits permission that names no department or region, reaches none: an
account set up half-way sees nothing rather than the country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from benefits.models import Application, Decision, DecisionKind, Dependant, InformationRequest, Programme, Stage
from portal.acts.models import MseAct
from portal.admin_scoping import NOWHERE, may_edit_national_data, staff_scope
from portal.deadlines.registry import DeadlineItem, DeadlineScope
from portal.people.models import Person
from portal.people.selectors import ward_list
from portal.territory.selectors import atus_served_by

_M = TypeVar("_M", bound=Model)
AreaRule = Callable[[int], Q]


def staff_area(user: Any) -> tuple[str, int] | None:
    """``("department", pk)``, ``("region", pk)``, ``NOWHERE``, or None for the national view.

    The core's ``staff_scope``, except that only national staff (superusers, Committee staff,
    operators) get the national view: any other account without an area gets ``NOWHERE``.
    """
    scope = staff_scope(user)
    if scope is None and not may_edit_national_data(user):
        return NOWHERE
    return scope


def area_rules(prefix: str = "") -> tuple[AreaRule, AreaRule]:
    """The rules (department pk -> Q, region pk -> Q) reaching an application at ``prefix``
    (``""`` for an application, ``"application__"`` for a decision or a journal entry)."""

    def of_people(people: Q) -> Q:
        persons = Person.objects.filter(people).values("iin")
        return Q((f"{prefix}applicant__isnull", True), (f"{prefix}subject_iin__in", persons))

    def department(pk: int) -> Q:
        atus = atus_served_by(pk).values("pk")
        return Q((f"{prefix}applicant__registration_atu__in", atus)) | of_people(Q(registration_atu__in=atus))

    def region(pk: int) -> Q:
        return Q((f"{prefix}applicant__registration_atu__region", pk)) | of_people(Q(registration_atu__region=pk))

    return department, region


def in_staff_area(queryset: QuerySet[_M], user: Any, *, prefix: str = "") -> QuerySet[_M]:
    """``queryset`` narrowed to the applications of ``user``'s area (the module's docstring)."""
    scope = staff_area(user)
    if scope is None:
        return queryset
    if scope == NOWHERE:
        return queryset.none()
    kind, pk = scope
    department, region = area_rules(prefix)
    return queryset.filter(department(pk) if kind == "department" else region(pk))


def applications_of_person(*, person: Person) -> QuerySet[Application]:
    """The person's own applications (as the applicant), newest first."""
    return Application.objects.filter(applicant=person).select_related("decision").order_by("-submitted_at")


def application_of_person(*, person: Person, public_id: Any) -> Application | None:
    return applications_of_person(person=person).filter(public_id=public_id).first()


def paid_carer_shares(*, iin: str) -> QuerySet[Dependant]:
    """B-15: the paid carer's shares of survivor benefits of the person with this IIN (the carer's own)."""
    return Dependant.objects.filter(
        iin=iin, relation=Dependant.Relation.CARER, status=Dependant.Status.ACTIVE
    ).order_by("-pk")


def applications_of_person_and_wards(*, person: Person) -> QuerySet[Application]:
    """The person's own applications and their wards' (a live guardianship: the legal representative
    applies and follows for the ward), newest first."""
    ward_ids = ward_list(representative=person).values("pk")
    return (
        Application.objects.filter(Q(applicant=person) | Q(applicant__in=ward_ids))
        .select_related("decision", "assignment")
        .order_by("-submitted_at")
    )


def application_of_person_or_ward(*, person: Person, public_id: Any) -> Application | None:
    return applications_of_person_and_wards(person=person).filter(public_id=public_id).first()


def disability_act_of(*, person: Person, on: dt.date) -> MseAct | None:
    """B-6: the person's registered MSE act that establishes disability on ``on`` (the latest examined;
    one whose term ended before ``on`` establishes nothing), or None."""
    return (
        MseAct.objects.filter(person=person, recognised=True, examined_on__lte=on)
        .filter(Q(without_term=True) | Q(term_until__isnull=True) | Q(term_until__gte=on))
        .order_by("-examined_on", "-registered_at")
        .first()
    )


def applications_of_integrator(*, integrator: Any) -> QuerySet[Application]:
    """X-8: an integrator (the State Corporation) sees the applications it filed, no others."""
    return Application.objects.filter(filed_by_integrator=integrator).select_related("decision")


def decisions_to_approve(
    *, user: Any, day: dt.date | None = None, public_ids: list[Any] | None = None
) -> QuerySet[Decision]:
    """Draft decisions of ``user``'s area awaiting approval (item 7): a day's batch (formed that day)
    or the ones named."""
    rows = (
        decisions_of_area(user=user)
        .filter(
            approved_at__isnull=True,
            kind__in=[DecisionKind.ASSIGNED, DecisionKind.REFUSED],
            application__stage=Stage.DECISION_DRAFT,
        )
        .select_related("application")
    )
    if day is not None:
        rows = rows.filter(created_at__date=day)
    if public_ids is not None:
        rows = rows.filter(public_id__in=public_ids)
    return rows.order_by("created_at", "pk")


def decisions_of_area(*, user: Any) -> QuerySet[Decision]:
    """Every decision of ``user``'s area, whatever its state."""
    return in_staff_area(Decision.objects.all(), user, prefix="application__")


def disability_applications_waiting(*, user: Any) -> QuerySet[Application]:
    """B-9: the disability benefit applications of ``user``'s area whose decision staff have yet to
    form, the nearest due first."""
    return (
        in_staff_area(Application.objects.all(), user)
        .filter(programme=Programme.DISABILITY, stage=Stage.ACCEPTED, decision__isnull=True)
        .select_related("assignment")
        .order_by("decision_due_at", "pk")
    )


def application_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """X-6: each accepted application without an approved decision, due by its ``decision_due_at``
    (B-1/B-3: 1 or 3 working days by channel; B-9: 7, +5 once more documents are asked; B-14: 7).
    An area sees the applications of its staff area (``area_rules``, as the approval and B-9 pages do:
    the applicant's registration, or for an organisation's application the person it concerns)."""
    department, region = area_rules()
    rows = scope.filter(
        Application.objects.filter(stage__in=[Stage.ACCEPTED, Stage.DECISION_DRAFT], decision_due_at__isnull=False),
        department=department,
        region=region,
    ).values_list("pk", "public_id", "number", "programme", "decision_due_at", "applicant__registration_atu__region_id")
    programmes = dict(Programme.choices)
    return [
        DeadlineItem(
            kind="benefit_application",
            label=f"{gettext('Decision on the application')} · {programmes.get(programme, programme)}",
            reference=number or str(public_id),
            url=reverse("admin:benefits_application_change", args=[pk]),
            due_at=due_at,
            region_id=region_id,
        )
        for pk, public_id, number, programme, due_at, region_id in rows
    ]


def information_requests_of_person(*, person: Person) -> QuerySet[InformationRequest]:
    """B-9: the requests about the person's own and their wards' applications, with the answers."""
    return (
        InformationRequest.objects.filter(application__in=applications_of_person_and_wards(person=person).values("pk"))
        .select_related("application")
        .order_by("-asked_at", "-pk")
    )


def information_requests_open(*, user: Any) -> QuerySet[InformationRequest]:
    """B-9: the requests of ``user``'s area that wait for staff's answer, the nearest due first."""
    return (
        in_staff_area(InformationRequest.objects.all(), user, prefix="application__")
        .filter(answered_at__isnull=True)
        .select_related("application")
        .order_by("due_at", "pk")
    )


def information_request_deadlines(scope: DeadlineScope, now: dt.datetime) -> list[DeadlineItem]:
    """X-6: each request for information staff have yet to answer, due 30 minutes after it arrived
    (B-9); an area sees the requests about its applications (the area of B-4's row)."""
    department, region = area_rules("application__")
    rows = scope.filter(
        InformationRequest.objects.filter(answered_at__isnull=True), department=department, region=region
    ).values_list("public_id", "application__number", "due_at", "application__applicant__registration_atu__region_id")
    return [
        DeadlineItem(
            kind="benefit_information",
            label=gettext("Answer to a request for information on a benefit application"),
            reference=number or str(public_id),
            url=reverse("benefits:staff-information") + f"#request-{public_id}",
            due_at=due_at,
            region_id=region_id,
        )
        for public_id, number, due_at, region_id in rows
    ]
