"""Builders of the distribution tests: experts of the registry and draft acts on the waiting list."""

from __future__ import annotations

import datetime as dt

from expert_registry.models import Expert
from expert_registry.services.experts import expert_register_staff
from mse_pilot.deadlines import decision_due_at
from mse_pilot.models import RemoteCase
from portal.nosology.models import NosologyGroup
from tests.factories import DepartmentFactory, PersonFactory, ReferralFactory, RegionFactory

AKMOLA = "110000000"  # the persons' region (PersonFactory's default)
ALMATY_CITY = "750000000"
ASTANA = "710000000"


def group(number: int = 2) -> NosologyGroup:
    return NosologyGroup.objects.get(number=number)


def staff_expert(position: str = Expert.Position.EXPERT_HEAD, *, kato: str = ALMATY_CITY, groups=(2,)) -> Expert:
    department = DepartmentFactory(region=RegionFactory(kato=kato, name_ru=f"регион {kato}"))
    return expert_register_staff(
        person=PersonFactory(),
        position=position,
        department=department,
        nosology_groups=[group(n) for n in groups],
        actor=None,
        on_date=dt.date(2024, 1, 1),
    )


def doctor_expert(*, kato: str | None = None, groups=(2,)) -> Expert:
    expert = Expert.objects.create(
        person=PersonFactory(),
        kind=Expert.Kind.INDEPENDENT,
        position=Expert.Position.DOCTOR_EXPERT,
        region=RegionFactory(kato=kato, name_ru=f"регион {kato}") if kato else None,
        status=Expert.Status.ACTIVE,
        status_since=dt.date(2024, 1, 1),
    )
    expert.nosology_groups.set([group(n) for n in groups])
    return expert


def draft_act(received_at: dt.datetime, *, number: int = 2, person=None) -> RemoteCase:
    referral = ReferralFactory(**({"person": person} if person else {}))
    return RemoteCase.objects.create(
        referral=referral,
        person=referral.person,
        nosology_group=group(number),
        received_at=received_at,
        due_at=decision_due_at(received_at),
        due_reading="same_day",
    )
