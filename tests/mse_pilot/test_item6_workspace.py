"""Item 6: the expert's workspace: their own assigned cases with due times, one case with the
referral, every examination and the person's earlier acts, the conclusion checked and signed with
the expert's EDS. Refused with a clear reason, nothing half-saved and audited: someone not on the
panel, a member the case was redistributed away from, a second signature, someone else's certificate."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone

from expert_registry.models import WorkRecord
from mse_pilot.models import Conclusion, PanelAssignment, RemoteCase
from mse_pilot.services import conclusion_sign
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.acts.models import MseAct
from portal.errors import ApplicationError, ApplicationErrors, ConflictError, NotFoundError
from portal.referrals.models import ReferralExamination
from portal.signatures.models import SignatureVerification
from tests.mse_pilot.workspace import assignment, distributed_case, draft, sign, signature_for
from tests.portal.factories import PersonFactory
from tests.signing import sign_content

pytestmark = pytest.mark.django_db


def login(client, expert):
    user = User.objects.create(username=f"expert-{expert.pk}", person=expert.person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(user)
    return user


def form_data(**overrides):
    values = {
        "recognised": "yes",
        "group": "2",
        "cause": "since_childhood",
        "term_until": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
        "reasons": "Кариотип 47,XX,+21.",
        "rehabilitation_needs": "Санаторно-курортное лечение.",
    }
    values.update(overrides)
    return values


def test_item6_the_expert_sees_their_own_assigned_cases_with_due_times(client):
    mine, experts = distributed_case()
    other, _others = distributed_case()
    login(client, experts["expert_head"])
    page = client.get("/ru/pilot/workspace/").content.decode()
    assert str(mine.public_id) in page
    assert str(other.public_id) not in page
    due = timezone.localtime(assignment(mine, experts["expert_head"]).due_at)
    assert f"{due:%d.%m.%Y %H:%M}" in page


def test_item6_someone_who_is_not_an_expert_has_no_workspace(client):
    user = User.objects.create(username="citizen", person=PersonFactory())
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(user)
    assert client.get("/ru/pilot/workspace/").status_code == 404


def test_item6_the_case_shows_the_referral_every_examination_and_earlier_acts_and_logs_the_reads(client):
    case, experts = distributed_case()
    ReferralExamination.objects.create(referral=case.referral, code="karyotype", title="Кариотипирование")
    ReferralExamination.objects.create(referral=case.referral, code="pmpc_conclusion", title="Заключение ПМПК")
    earlier_case, earlier_experts = distributed_case(person=case.person)
    sign(earlier_case, earlier_experts["expert_head"])
    earlier_act = MseAct.objects.get(person=case.person)
    login(client, experts["expert_head"])
    page = client.get(f"/ru/pilot/workspace/{case.public_id}/").content.decode()
    assert case.referral.external_id in page
    assert 'data-exam="karyotype"' in page
    assert 'data-exam="pmpc_conclusion"' in page
    assert f'data-act="{earlier_act.number}"' in page
    reads = set(PersonalDataAccess.objects.filter(person=case.person).values_list("subject", "purpose"))
    # the purpose is the remote examination, not a reading of the register, even for the earlier acts
    assert reads >= {("referral", "remote_examination"), ("mse_act", "remote_examination")}
    assert not {purpose for _subject, purpose in reads} & {"mse_register", "administration"}


def test_item6_another_experts_case_is_not_found(client):
    case, _experts = distributed_case()
    _other_case, others = distributed_case()
    login(client, others["expert_head"])
    assert client.get(f"/ru/pilot/workspace/{case.public_id}/").status_code == 404
    assert client.post(f"/ru/pilot/workspace/{case.public_id}/", form_data()).status_code == 404
    assert client.post(f"/ru/pilot/workspace/{case.public_id}/decline/", {"reason": "x"}).status_code == 404


def test_item6_the_page_gives_the_canonical_content_and_the_signed_conclusion_is_recorded(client):
    case, experts = distributed_case()
    head = experts["expert_head"]
    login(client, head)
    page = client.post(f"/ru/pilot/workspace/{case.public_id}/", form_data()).content.decode()
    content = re.search(r'data-content="([^"]+)"', page).group(1)
    import base64

    signed = base64.b64decode(content)
    assert b'"place":"remote"' in signed
    assert head.person.iin.encode() in signed
    assert "Кариотип 47,XX,+21.".encode() in signed  # the reasons are signed (the annex)
    signature = sign_content(signed, iin=head.person.iin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/ru/pilot/workspace/{case.public_id}/", {**form_data(), "signature": signature})
    assert response.status_code == 302
    conclusion = Conclusion.objects.get(case=case)
    assert conclusion.reasons == "Кариотип 47,XX,+21."
    assert conclusion.rehabilitation_needs == "Санаторно-курортное лечение."
    assert assignment(case, head).status == PanelAssignment.Status.DONE
    assert WorkRecord.objects.get(expert=head, case_ref=str(case.public_id)).decided_at is not None
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED


def test_item6_the_decision_is_checked_per_field_before_signing(client):
    case, experts = distributed_case()
    login(client, experts["expert_head"])
    response = client.post(
        f"/ru/pilot/workspace/{case.public_id}/",
        form_data(group="", general_capacity_loss="20", reasons="  "),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "data-content" not in page
    with pytest.raises(ApplicationErrors) as exc:
        conclusion_sign(
            person_id=experts["expert_head"].person_id,
            case_public_id=case.public_id,
            draft=draft(group="", general_capacity_loss=20, reasons=" "),
            signature="x",
        )
    fields = {item.field: item.code for item in exc.value.items}
    assert fields == {
        "reasons": "reasons_required",
        "group": "group_required",
        "general_capacity_loss": "general_capacity_loss_range",  # Social Code art. 155: 30-100%
    }
    assert not Conclusion.objects.exists()


def test_item6_a_signature_with_someone_elses_certificate_is_refused_nothing_saved_and_audited():
    case, experts = distributed_case()
    head = experts["expert_head"]
    d = draft()
    stranger = PersonFactory()
    with pytest.raises(ApplicationError) as exc:
        conclusion_sign(
            person_id=head.person_id,
            case_public_id=case.public_id,
            draft=d,
            signature=signature_for(case, head, d, iin=stranger.iin),
        )
    assert exc.value.field == "signature"
    assert not Conclusion.objects.exists()
    assert assignment(case, head).status == PanelAssignment.Status.ASSIGNED
    audit = SignatureVerification.objects.get(purpose="mse_pilot_conclusion")
    assert (audit.outcome, audit.reason) == ("invalid", "iin_mismatch")


def test_item6_a_conclusion_changed_after_signing_is_refused():
    case, experts = distributed_case()
    head = experts["expert_head"]
    signature = signature_for(case, head, draft())
    with pytest.raises(ApplicationError) as exc:
        conclusion_sign(
            person_id=head.person_id,
            case_public_id=case.public_id,
            draft=draft(reasons="Другие основания."),
            signature=signature,
        )
    assert exc.value.code == "signature_content_mismatch"
    assert not Conclusion.objects.exists()


def test_item6_someone_not_on_the_panel_is_refused():
    case, _experts = distributed_case()
    _other, others = distributed_case()
    outsider = others["expert_head"]
    with pytest.raises(NotFoundError) as exc:
        conclusion_sign(person_id=outsider.person_id, case_public_id=case.public_id, draft=draft(), signature="x")
    assert exc.value.code == "not_on_panel"
    assert not Conclusion.objects.filter(case=case).exists()


def test_item6_a_second_signature_of_the_same_conclusion_is_refused(caplog):
    case, experts = distributed_case()
    head = experts["expert_head"]
    d = draft()
    signature = signature_for(case, head, d)
    with TestCase.captureOnCommitCallbacks(execute=True):
        conclusion_sign(person_id=head.person_id, case_public_id=case.public_id, draft=d, signature=signature)
    with pytest.raises(ConflictError) as exc:
        conclusion_sign(person_id=head.person_id, case_public_id=case.public_id, draft=d, signature=signature)
    assert exc.value.code == "conclusion_already_signed"
    assert exc.value.status == 409
    assert Conclusion.objects.filter(case=case).count() == 1
    assert MseAct.objects.filter(person=case.person).count() == 1
    assert "conclusion refused" in caplog.text


def test_item6_after_the_case_was_redistributed_away_the_conclusion_is_refused(client):
    case, experts = distributed_case()
    head = experts["expert_head"]
    d = draft()
    signature = signature_for(case, head, d)
    member = assignment(case, head)
    member.status = PanelAssignment.Status.REDISTRIBUTED  # E-9 took it to another expert
    member.save()
    with pytest.raises(ConflictError) as exc:
        conclusion_sign(person_id=head.person_id, case_public_id=case.public_id, draft=d, signature=signature)
    assert exc.value.code == "case_redistributed"
    assert not Conclusion.objects.exists()
    login(client, head)
    page = client.post(
        f"/ru/pilot/workspace/{case.public_id}/", {**form_data(), "signature": signature}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 409
    assert not Conclusion.objects.exists()
