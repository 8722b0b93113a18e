"""Whom an API call acts for: the signed-in citizen, or the person an integrator names.

X-8 and "no personal data in URLs": an integrator names the citizen it acts for in the
``X-Citizen-IIN`` request header, on every API that acts for a citizen, never in the URL or the
query string (which land in access logs). It may name only its own people
(``portal.referrals.selectors.integrator_may_act_for``); anyone else is answered as a person
nobody registered.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from portal.accounts.models import Integrator
from portal.accounts.permissions import is_integrator_call
from portal.errors import ApplicationError, ForbiddenError, NotFoundError
from portal.people.errors import PERSON_UNKNOWN
from portal.people.models import Person
from portal.prepared import PreparedQuery
from portal.referrals.selectors import integrator_may_act_for_expression
from portal.validators import validate_iin

CITIZEN_IIN_HEADER = "X-Citizen-IIN"
FIELD = "citizen_iin"

MSG_IIN_REQUIRED = _("An integrator acting for a citizen names the citizen's IIN in the X-Citizen-IIN header.")
MSG_NOT_CITIZEN = _("Sign in as a citizen to use this operation.")

CITIZEN_IIN_PARAMETER = OpenApiParameter(
    CITIZEN_IIN_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Integrators only, and then required: the IIN of the citizen the call acts for (the person "
        "examined, or their legal representative). Only people with a referral from one of the "
        "integrator's medical organisations (or their legal representatives) can be named; anyone "
        "else is answered 404 person_unknown, as an IIN nobody registered. Citizens signed in with "
        "a session act for themselves and omit it. Never put an IIN in the URL."
    ),
)


def named_iin(request) -> str:
    """The IIN of the ``X-Citizen-IIN`` header, checked (400 ``citizen_iin_required`` / IIN errors)."""
    iin = (request.headers.get(CITIZEN_IIN_HEADER) or "").strip()
    if not iin:
        raise ApplicationError(MSG_IIN_REQUIRED, code="citizen_iin_required", field=FIELD)
    try:
        validate_iin(iin)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code=exc.code or "iin_invalid", field=FIELD) from None
    return iin


def _person_for_integrator(iin: str, integrator_id: int, day: dt.date):
    return (
        Person.objects.filter(iin=iin)
        .annotate(
            may_act=integrator_may_act_for_expression(
                integrator=Integrator(pk=integrator_id), person_ref=OuterRef("pk"), day=day
            )
        )
        .select_related("registration_atu")
        .order_by("pk")[:1]
    )


# the person and X-8 (``integrator_may_act_for``) in one query, read fresh on every call, built and
# compiled once (portal.prepared)
PERSON_FOR_INTEGRATOR = PreparedQuery(
    _person_for_integrator, iin="prepared-sample-iin-5c1d", integrator_id=918273645546372, day=dt.date(1901, 2, 3)
)


def acting_person(request) -> Person:
    """The person the call acts for: the session's citizen, or the integrator's named person.

    An integrator naming someone who is not its own (or nobody) gets 404 ``person_unknown``.
    """
    if is_integrator_call(request):
        iin = named_iin(request)
        person = PERSON_FOR_INTEGRATOR.first(
            iin=iin, integrator_id=request.user.integrator.pk, day=timezone.localdate()
        )
        if person is None or not person.may_act:
            raise NotFoundError(PERSON_UNKNOWN, field=FIELD)
        return person
    person = getattr(request.user, "person", None)
    if person is None:
        raise ForbiddenError(MSG_NOT_CITIZEN, code="not_citizen")
    return person


def acting_person_known(request, known: Person | None) -> Person:
    """``acting_person``, answered without a query when an integrator names ``known``: the person of
    a row the caller has just read among the integrator's own (a referral of its own organisations),
    for whom X-8 holds by that row. Anyone else named goes through ``acting_person``, with its
    answers (400 for a malformed IIN, 404 ``person_unknown``)."""
    if known is not None and is_integrator_call(request) and named_iin(request) == known.iin:
        return known
    return acting_person(request)


def acting_person_or_none(request) -> Person | None:
    """``acting_person`` for lists: a person the integrator may not name lists nothing, exactly as
    a person with nothing to list (one answer, whoever the IIN belongs to)."""
    try:
        return acting_person(request)
    except NotFoundError:
        return None
