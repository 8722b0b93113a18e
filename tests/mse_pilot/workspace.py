"""Builders of the workspace tests: a programme in force around today, a case distributed to its
panel, and an expert's conclusion signed with the test PKI over its canonical content."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from expert_registry.models import Expert
from mse_pilot.models import Conclusion, PanelAssignment, Programme, ProgrammeSeat, RemoteCase
from mse_pilot.services import ConclusionDraft, cases_distribute, conclusion_content, conclusion_sign
from tests.mse_pilot.panel import ALMATY_CITY, ASTANA, doctor_expert, group, staff_expert
from tests.portal.factories import DepartmentFactory, PersonFactory, ReferralFactory

P = Expert.Position


def programme(*roles: str) -> Programme:
    """A programme in force around today with one seat per role, ahead of the seeded ones."""
    today = timezone.localdate()
    prog = Programme.objects.create(
        code=f"test-{len(roles)}-{Programme.objects.count()}",
        name_kk="сынақ",
        name_ru="тест",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        priority=1,
    )
    for n, role in enumerate(roles):
        ProgrammeSeat.objects.create(programme=prog, role=role, count=1, position=n)
    return prog


def person_with_department(**fields):
    person = PersonFactory(**fields)
    department = DepartmentFactory(atus=[person.registration_atu])
    return person, department


def distributed_case(*roles: str, person=None, referral=None) -> tuple[RemoteCase, dict[str, Expert]]:
    """A draft act of form 2 received an hour ago, distributed to a panel of ``roles`` (default: one
    expert-head), each expert from another region than the person's."""
    roles = roles or ("expert_head",)
    programme(*roles)
    experts: dict[str, Expert] = {}
    for role in roles:
        if role == "doctor_expert":
            experts[role] = doctor_expert()
        else:
            experts[role] = staff_expert(role, kato=ASTANA if role == "expert_head" else ALMATY_CITY)
    if referral is None:
        if person is None:
            person, _department = person_with_department()
        referral = ReferralFactory(person=person)
    now = timezone.now()
    case = RemoteCase.objects.create(
        referral=referral,
        person=referral.person,
        nosology_group=group(2),
        received_at=now - dt.timedelta(hours=1),
        due_at=now + dt.timedelta(hours=8),
        due_reading="same_day",
    )
    cases_distribute(now=now)
    case.refresh_from_db()
    return case, experts


def draft(**overrides) -> ConclusionDraft:
    values = {
        "recognised": True,
        "group": "2",
        "cause": "since_childhood",
        "term_until": timezone.localdate() + dt.timedelta(days=365),
        "reasons": "Кариотип 47,XX,+21; умеренные нарушения функций.",
        "rehabilitation_needs": "Психолого-педагогическая коррекция; санаторно-курортное лечение.",
    }
    values.update(overrides)
    return ConclusionDraft(**values)


def assignment(case: RemoteCase, expert: Expert) -> PanelAssignment:
    return PanelAssignment.objects.filter(case=case, expert=expert).order_by("-pk").first()


def signature_for(case: RemoteCase, expert: Expert, d: ConclusionDraft, *, iin: str | None = None) -> str:
    from tests.signing import sign_content

    built = conclusion_content(assignment=assignment(case, expert), draft=d, examined_on=timezone.localdate())
    return sign_content(built.content, iin=iin or expert.person.iin)


def sign(case: RemoteCase, expert: Expert, **overrides) -> Conclusion:
    """The expert's signed conclusion; what runs after commit (the act's registration) runs too."""
    d = draft(**overrides)
    signature = signature_for(case, expert, d)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return conclusion_sign(person_id=expert.person_id, case_public_id=case.public_id, draft=d, signature=signature)
