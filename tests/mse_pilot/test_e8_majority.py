"""E-8 [A]: with a panel of three each member gives a conclusion; the act follows the majority;
with no majority, or when a member declines, the case goes to the methodology department
([A] the Committee's staff), who decide it; methodology control marks conclusions upheld or not,
and that and each decision's timeliness go into the expert's work record (E-10's input)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone

from expert_registry.models import WorkRecord
from mse_pilot.models import Conclusion, PanelAssignment, RemoteCase
from mse_pilot.services import (
    assignment_decline,
    case_methodology_decide,
    case_methodology_redistribute,
    cases_distribute,
    conclusion_review,
)
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.acts.models import MseAct
from portal.errors import ApplicationError, ForbiddenError
from tests.mse_pilot.panel import ALMATY_CITY, ASTANA, doctor_expert, staff_expert
from tests.mse_pilot.workspace import assignment, distributed_case, sign

pytestmark = pytest.mark.django_db

PANEL = ("expert_head", "chief_specialist", "doctor_expert")


def staff_or_doctor(role):
    if role == "doctor_expert":
        return doctor_expert()
    return staff_expert(role, kato=ASTANA if role == "expert_head" else ALMATY_CITY)


def methodology_user(name="methodology"):
    user = User.objects.create(username=name, is_staff=True)
    user.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))
    return user


def test_e8_majority_two_of_three_agree_and_the_act_follows_them():
    case, experts = distributed_case(*PANEL)
    assert case.panel.count() == 3
    first = sign(case, experts["expert_head"], group="3")
    sign(case, experts["chief_specialist"], group="2")
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.ASSIGNED  # waits for every member
    third = sign(case, experts["doctor_expert"], group="3")
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED
    assert case.deciding_conclusion_id == first.pk  # the earliest-signed of the majority
    assert case.act.group == "3"
    assert case.act.signer_iin == experts["expert_head"].person.iin
    assert third.group == "3"


def test_e8_majority_not_recognised_by_two_of_three():
    case, experts = distributed_case(*PANEL)
    sign(case, experts["expert_head"], recognised=False, group="", cause="", term_until=None)
    sign(case, experts["chief_specialist"], group="2")
    sign(case, experts["doctor_expert"], recognised=False, group="", cause="", term_until=None)
    case.refresh_from_db()
    assert case.act.recognised is False
    assert case.act.group == ""


def test_e8_majority_none_of_three_agree_the_case_goes_to_methodology_who_decide(client):
    case, experts = distributed_case(*PANEL)
    sign(case, experts["expert_head"], group="1")
    chosen = sign(case, experts["chief_specialist"], group="2")
    sign(case, experts["doctor_expert"], group="3")
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.METHODOLOGY
    assert "no majority" in case.methodology_reason
    assert not MseAct.objects.filter(person=case.person).exists()
    staff = methodology_user()
    client.force_login(staff)
    page = client.get("/ru/pilot/methodology/").content.decode()
    assert f'data-case="{case.public_id}"' in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/ru/pilot/methodology/{case.public_id}/", {"action": "decide", "conclusion": str(chosen.public_id)}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED
    assert case.decided_by == staff
    assert case.act.group == "2"
    assert case.act.signer_iin == experts["chief_specialist"].person.iin


def test_e8_majority_a_member_who_declines_sends_the_case_to_methodology():
    case, experts = distributed_case(*PANEL)
    sign(case, experts["expert_head"])
    doctor = experts["doctor_expert"]
    assignment_decline(person_id=doctor.person_id, case_public_id=case.public_id, reason="Конфликт интересов")
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.METHODOLOGY
    assert case.methodology_reason == "a member declined"
    assert assignment(case, doctor).status == PanelAssignment.Status.DECLINED
    # the one-expert pilot: a decline goes to methodology too
    single, solo = distributed_case()
    assignment_decline(person_id=solo["expert_head"].person_id, case_public_id=single.public_id, reason="Болезнь")
    single.refresh_from_db()
    assert single.stage == RemoteCase.Stage.METHODOLOGY


def test_e8_majority_a_decline_needs_a_reason_and_a_declined_member_cannot_sign():
    case, experts = distributed_case()
    head = experts["expert_head"]
    with pytest.raises(ApplicationError) as exc:
        assignment_decline(person_id=head.person_id, case_public_id=case.public_id, reason="  ")
    assert exc.value.field == "reason"
    assignment_decline(person_id=head.person_id, case_public_id=case.public_id, reason="Болезнь")
    with pytest.raises(ApplicationError) as exc:
        sign(case, head)
    assert exc.value.code == "assignment_declined"
    assert not Conclusion.objects.exists()


def test_e8_majority_methodology_sends_a_case_back_to_the_waiting_list():
    case, experts = distributed_case(*PANEL)
    for role in PANEL:  # the new panel's members
        staff_or_doctor(role)
    assignment_decline(person_id=experts["expert_head"].person_id, case_public_id=case.public_id, reason="Болезнь")
    case_methodology_redistribute(actor_user=methodology_user(), case=case)
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.WAITING
    assert set(case.panel.values_list("status", flat=True)) == {"redistributed"}
    # a new panel decides alone: the old members' decline does not count
    cases_distribute(now=timezone.now())
    new_head = case.panel.get(status="assigned", role="expert_head").expert
    assert new_head != experts["expert_head"]
    sign(case, new_head)
    sign(case, case.panel.get(status="assigned", role="chief_specialist").expert)
    sign(case, case.panel.get(status="assigned", role="doctor_expert").expert)
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED


def test_e8_majority_only_methodology_staff_decide_and_review(client):
    case, experts = distributed_case()
    assignment_decline(person_id=experts["expert_head"].person_id, case_public_id=case.public_id, reason="Болезнь")
    department_staff = User.objects.create(username="dept", is_staff=True)
    department_staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    with pytest.raises(ForbiddenError):
        case_methodology_redistribute(actor_user=department_staff, case=case)
    client.force_login(department_staff)
    assert client.get("/ru/pilot/methodology/").status_code == 403
    assert client.get(f"/ru/pilot/methodology/{case.public_id}/").status_code == 403
    citizen = User.objects.create(username="expert", person=experts["expert_head"].person)
    citizen.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(citizen)
    assert client.get("/ru/pilot/methodology/").status_code in (302, 403)
    with pytest.raises(ApplicationError) as exc:
        case_methodology_decide(actor_user=methodology_user(), case=case, conclusion_public_id="nope")
    assert exc.value.code == "conclusion_other_case"


def test_e8_majority_methodology_control_and_timeliness_go_into_the_work_record(client):
    case, experts = distributed_case()
    head = experts["expert_head"]
    member = assignment(case, head)
    member.due_at = timezone.now() - dt.timedelta(hours=1)  # the expert signs after the due time
    member.save()
    conclusion = sign(case, head)
    assert conclusion.on_time is False
    record = WorkRecord.objects.get(expert=head, case_ref=str(case.public_id))
    assert record.decided_at == conclusion.signed_at
    staff = methodology_user()
    client.force_login(staff)
    response = client.post(
        f"/ru/pilot/methodology/{case.public_id}/", {"action": "not_upheld", "conclusion": str(conclusion.public_id)}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.upheld is False
    conclusion_review(actor_user=staff, conclusion=conclusion, upheld=True)
    record.refresh_from_db()
    assert record.upheld is True
    conclusion.refresh_from_db()
    assert conclusion.reviewed_by == staff
