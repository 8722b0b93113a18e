"""One access rule per entry point: who may call a view, and which objects it lets them reach.

Every page view and every API view declares its rule next to its code, so a reader (and a test:
``tests/portal/test_sec4_access_rules.py``) sees who may use it without reading the body::

    @allow(citizen(OWN_OR_WARDS))
    @citizen_required
    def ticket(request, public_id): ...

    class BookingListApi(APIView):
        access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=QueueScope.BOOKINGS_READ))

A rule is a list of grants; a grant names a kind of caller (``Caller``), the token scope it needs
(integrators only) and the object check (``ObjectCheck``): the part of the data the view lets that
caller reach. Every grant has an object check; a view of public data says so (``PUBLIC``).

The declaration describes; it does not enforce. The view enforces it with the usual means
(``citizen_required``, ``HasScope``, a selector narrowed to the person or the department), and
the declaration must say what the view actually checks. A new app declares its views the same
way, adding its own object checks as ``ObjectCheck`` constants in its own module when none of
these fits (``ObjectCheck("own_application", "the applicant's own applications and their wards'")``).

Part of the shared core: apps import it; it imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

_View = TypeVar("_View", bound=Callable[..., Any])


class Caller(StrEnum):
    """Who is calling: the roles of ``portal.accounts.roles`` as an entry point sees them."""

    ANONYMOUS = "anonymous"  # anyone, signed in or not
    SIGNED_IN = "signed_in"  # any signed-in account (session), whatever its role
    CITIZEN = "citizen"  # a signed-in person: for themselves and, as representative, their wards
    DEPARTMENT_STAFF = "department_staff"  # staff of one MSE department
    PROVIDER_STAFF = "provider_staff"  # staff of the provider in one region
    COMMITTEE_STAFF = "committee_staff"  # the Committee: national
    OPERATOR = "operator"  # runs the portal: national
    STAFF = "staff"  # any staff account (``is_staff``), whatever its role and area
    INTEGRATOR = "integrator"  # an external system with an API token (MIS, State Corporation, gateway)
    SIGNED_CALLBACK = "signed_callback"  # a gateway's callback proved by a signature of its body


@dataclass(frozen=True)
class ObjectCheck:
    """Which objects a caller reaches through a view: a short code and a sentence for people."""

    code: str
    description: str

    def __str__(self):
        return self.code


PUBLIC = ObjectCheck("public", "none needed: public data, nothing personal")
SIGN_IN = ObjectCheck(
    "sign_in", "signing in: a code goes only to the registered phone of the IIN given; nothing of the person is shown"
)
OWN_ACCOUNT = ObjectCheck("own_account", "the caller's own account and session only")
OWN_OR_WARDS = ObjectCheck(
    "own_or_wards", "the signed-in person's own data and their wards' (a live guardianship); others' are not found"
)
STAFF_DEPARTMENT = ObjectCheck("staff_department", "the staff member's own department; others' are not found")
STAFF_REGION = ObjectCheck("staff_region", "the departments of the staff member's region")
INTEGRATORS_PEOPLE = ObjectCheck(
    "integrators_people",
    "the integrator's own people: those with a referral from one of its medical organisations, those "
    "referrals and their bookings and messages (X-8); others' are not found",
)
INTEGRATORS_DEPARTMENT = ObjectCheck(
    "integrators_department", "queue operations of the department the integrator is bound to (X-8)"
)
ALL_ROWS = ObjectCheck("all_rows", "every row, not narrowed to a person or an area")
SIGNED_BODY = ObjectCheck("signed_body", "the one message the signed body names; a wrong signature reads nothing")
DEVELOPMENT_ONLY = ObjectCheck(
    "development_only", "exists only in development (DEBUG): not found in production, whoever asks"
)


@dataclass(frozen=True)
class Grant:
    """One kind of caller, the scope its token needs (integrators), and what it reaches."""

    caller: Caller
    check: ObjectCheck | None
    scope: str | None = None  # integrators: the token scope; None: any valid token

    def __str__(self):
        scope = f" [{self.scope}]" if self.scope else ""
        return f"{self.caller}{scope}: {self.check}"


@dataclass(frozen=True)
class AccessRule:
    """Who may use an entry point. Decorates a function view; assigned as ``access_rule`` on a class."""

    grants: tuple[Grant, ...]

    def __call__(self, view: _View) -> _View:
        view.access_rule = self  # type: ignore[attr-defined]
        return view

    def __str__(self):
        return "; ".join(str(g) for g in self.grants)


def allow(*grants: Grant) -> AccessRule:
    """The access rule of a view: ``@allow(...)`` on a function, ``access_rule = allow(...)`` on a class."""
    return AccessRule(grants)


def access_rule_of(view) -> AccessRule | None:
    """The rule a URL pattern's callback declares: on the function, or on its view class itself.

    A class view must declare its own rule: one inherited from a base class does not count, so a
    subclass that changes what it does cannot pass unnoticed under its parent's rule.
    """
    cls = getattr(view, "view_class", None)
    if cls is not None:
        return cls.__dict__.get("access_rule")
    return getattr(view, "access_rule", None)


# Short constructors, so that a declaration reads as a sentence.
def anonymous(check: ObjectCheck) -> Grant:
    return Grant(Caller.ANONYMOUS, check)


def signed_in(check: ObjectCheck) -> Grant:
    return Grant(Caller.SIGNED_IN, check)


def citizen(check: ObjectCheck) -> Grant:
    return Grant(Caller.CITIZEN, check)


def department_staff(check: ObjectCheck) -> Grant:
    return Grant(Caller.DEPARTMENT_STAFF, check)


def provider_staff(check: ObjectCheck) -> Grant:
    return Grant(Caller.PROVIDER_STAFF, check)


def committee_staff(check: ObjectCheck) -> Grant:
    return Grant(Caller.COMMITTEE_STAFF, check)


def operator(check: ObjectCheck) -> Grant:
    return Grant(Caller.OPERATOR, check)


def staff(check: ObjectCheck) -> Grant:
    return Grant(Caller.STAFF, check)


def integrator(check: ObjectCheck, *, scope: str | None = None) -> Grant:
    return Grant(Caller.INTEGRATOR, check, scope=scope)


def signed_callback(check: ObjectCheck) -> Grant:
    return Grant(Caller.SIGNED_CALLBACK, check)
