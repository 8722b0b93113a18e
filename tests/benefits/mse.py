"""Registered MSE acts for the disability benefits' tests (the register's real path, signed with the
test PKI), and the state data the disability benefits ask (B-7) in the demo backend."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from benefits.statesystems import DISABILITY_DB, PERSONS
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.acts.models import StaffSignatory
from portal.statedata.models import DemoRecord
from portal.statedata.systems import RECIPIENT_STATUS
from tests.portal.acts.conftest import STAFF_IIN, register
from tests.portal.factories import AtuFactory, DepartmentFactory, PersonFactory


def staff_and_department():
    atu = AtuFactory()
    department = DepartmentFactory(atus=[atu])
    user = User.objects.create(username=f"expert{department.pk}", department=department, is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    StaffSignatory.objects.create(user=user, iin=STAFF_IIN)
    return user, department, atu


def state_data(person, *, group="2", cause="general_illness", established_on, registered=True, pension=False):
    DemoRecord.objects.create(system=PERSONS, key=person.iin, data={"registered": registered})
    DemoRecord.objects.create(
        system=DISABILITY_DB,
        key=person.iin,
        data={"group": group, "cause": cause, "established_on": established_on.isoformat()},
    )
    if pension:
        DemoRecord.objects.create(
            system=RECIPIENT_STATUS, key=person.iin, valid_from=dt.date(2020, 1, 1), data={"kinds": ["age_pension"]}
        )


def act_for(
    capture,
    *,
    person=None,
    examined_on=dt.date(2026, 3, 2),
    group="2",
    cause="general_illness",
    category="adult",
    with_state_data=True,
    pension=False,
    **fields,
):
    """Register an act (its ``act_registered`` runs on commit: ``capture`` is the on-commit fixture)."""
    user, department, atu = staff_and_department()
    person = person or PersonFactory(registration_atu=atu)
    if with_state_data:
        state_data(person, group=group, cause=cause, established_on=examined_on, pension=pension)
    term = fields.pop("term_until", dt.date(2027, 12, 1))
    with capture(execute=True):
        act = register(
            actor_user=user,
            person=person,
            department=department,
            examined_on=examined_on,
            group=group,
            cause=cause,
            category=category,
            term_until=term,
            **fields,
        )
    return act
