"""Fixtures of the register of MSE acts: a department with its staff member and their signing IIN,
a person with a referral, and ``register``, which signs an act's canonical content with the test PKI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.acts.models import StaffSignatory
from portal.acts.services import act_register, department_code
from portal.acts.signing import act_signed_content
from portal.validators import iin_build
from tests.portal.factories import AtuFactory, DepartmentFactory, PersonFactory, ReferralFactory
from tests.signing import sign_content

STAFF_IIN = iin_build(dt.date(1980, 2, 2), female=True, serial=700)
OTHER_STAFF_IIN = iin_build(dt.date(1981, 3, 3), female=False, serial=720)
EXAMINED_ON = dt.date(2026, 3, 2)


@pytest.fixture
def atu(db):
    return AtuFactory()


@pytest.fixture
def department(atu):
    return DepartmentFactory(atus=[atu])


@pytest.fixture
def staff_user(department):
    user = User.objects.create(username="expert", department=department, is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    StaffSignatory.objects.create(user=user, iin=STAFF_IIN)
    return user


@pytest.fixture
def person(atu):
    return PersonFactory(registration_atu=atu, birth_date=dt.date(1985, 3, 15))


@pytest.fixture
def referral(person):
    return ReferralFactory(person=person)


def decision(**overrides):
    values = {
        "kind": "primary",
        "place": "department",
        "examined_on": EXAMINED_ON,
        "recognised": True,
        "group": "2",
        "cause": "general_illness",
        "category": "adult",
        "term_until": dt.date(2027, 3, 1),
        "without_term": False,
        "general_capacity_loss": None,
        "professional_capacity_loss": None,
        "ipr_social": True,
        "ipr_professional": False,
        "needs_help_and_care": False,
    }
    values.update(overrides)
    return values


def sign_act(*, person, department, referral, signer_iin=STAFF_IIN, content_iin=STAFF_IIN, **fields):
    content = act_signed_content(
        person_iin=person.iin,
        department=department_code(department),
        referral=str(referral.public_id) if referral is not None else None,
        signer_iin=content_iin,
        **decision(**fields),
    )
    return sign_content(content, iin=signer_iin)


def register(*, actor_user, person, department, referral=None, signature=None, signed_fields=None, **fields):
    """``act_register`` with the decision ``fields`` and a signature over them (or over ``signed_fields``)."""
    absentia_consent = fields.pop("absentia_consent", False)
    if signature is None:
        signature = sign_act(
            person=person, department=department, referral=referral, **(signed_fields if signed_fields else fields)
        )
    return act_register(
        actor_user=actor_user,
        person=person,
        department=department,
        referral=referral,
        signature=signature,
        absentia_consent=absentia_consent,
        **decision(**fields),
    )
