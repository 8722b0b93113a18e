"""E-8 (act 002, item 18): a draft act goes to two extraterritorial MSE experts (one head, one chief
specialist) and one doctor-expert; to doctor-experts only until 30 November inclusive (2024, the
amendment's year: the act names no year)."""

import datetime as dt

import pytest

from expert_registry.models import Expert
from mse_pilot.models import PanelAssignment, Programme
from mse_pilot.services import cases_distribute
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import AKMOLA, ALMATY_CITY, ASTANA, doctor_expert, draft_act, staff_expert

pytestmark = pytest.mark.django_db

P = Expert.Position


def test_e8_the_doctor_engagement_pilot_is_seeded_with_its_panel_and_the_30_november_limit():
    programme = Programme.objects.get(code="doctor-engagement-002")
    seats = [(s.role, s.count, s.until_on) for s in programme.seats.all()]
    assert seats == [
        ("expert_head", 1, None),
        ("chief_specialist", 1, None),
        ("doctor_expert", 1, dt.date(2024, 11, 30)),
    ]
    assert programme.assumed


def _pool():
    head = staff_expert(P.EXPERT_HEAD, kato=ASTANA)
    chief = staff_expert(P.CHIEF_SPECIALIST, kato=ALMATY_CITY)
    doctor = doctor_expert()  # an independent doctor with no region: another region than anyone's
    staff_expert(P.EXPERT_HEAD, kato=AKMOLA)  # the person's region: never
    return head, chief, doctor


def test_e8_on_30_november_2024_the_panel_is_head_chief_specialist_and_doctor_expert():
    head, chief, doctor = _pool()
    case = draft_act(almaty(2024, 11, 29, 17, 0))
    cases_distribute(now=almaty(2024, 11, 30, 12, 0))  # Saturday 30 November: still doctor-experts
    panel = {a.role: a.expert_id for a in PanelAssignment.objects.filter(case=case)}
    assert panel == {"expert_head": head.pk, "chief_specialist": chief.pk, "doctor_expert": doctor.pk}
    assert {a.reason["programme"] for a in PanelAssignment.objects.filter(case=case)} == {"doctor-engagement-002"}


def test_e8_from_1_december_2024_no_doctor_expert_is_assigned():
    head, chief, _doctor = _pool()
    case = draft_act(almaty(2024, 11, 30, 17, 0))
    cases_distribute(now=almaty(2024, 12, 2, 10, 0))
    panel = {a.role: a.expert_id for a in PanelAssignment.objects.filter(case=case)}
    assert panel == {"expert_head": head.pk, "chief_specialist": chief.pk}


def test_e8_a_missing_member_leaves_the_whole_act_waiting():
    staff_expert(P.EXPERT_HEAD, kato=ASTANA)
    staff_expert(P.CHIEF_SPECIALIST, kato=ASTANA)
    case = draft_act(almaty(2024, 11, 28, 9, 0))
    run = cases_distribute(now=almaty(2024, 11, 28, 10, 0))  # no doctor-expert in the registry
    assert run.waiting == [str(case.public_id)]
    assert not PanelAssignment.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert "doctor_expert 1: no eligible expert" in case.no_expert_reason


def test_e8_a_doctor_expert_of_the_persons_region_is_not_chosen():
    staff_expert(P.EXPERT_HEAD, kato=ASTANA)
    staff_expert(P.CHIEF_SPECIALIST, kato=ASTANA)
    doctor_expert(kato=AKMOLA)
    other = doctor_expert(kato=ALMATY_CITY)
    case = draft_act(almaty(2024, 11, 28, 9, 0))
    cases_distribute(now=almaty(2024, 11, 28, 10, 0))
    assert PanelAssignment.objects.get(case=case, role="doctor_expert").expert == other
