"""P-8, item 7: a decided remote case is registered in the core's register of MSE acts with the
deciding expert's signed conclusion: place "remote", the expert as signer, no staff member."""

import pytest
from django.utils import timezone

from expert_registry.models import WorkRecord
from mse_pilot.models import RemoteCase
from mse_pilot.services import case_act_register, cases_act_register_pending
from portal.acts.models import MseAct
from portal.errors import ApplicationError
from tests.mse_pilot.workspace import distributed_case, sign

pytestmark = pytest.mark.django_db


def test_p8_a_single_experts_signed_conclusion_registers_the_remote_act():
    case, experts = distributed_case()  # the nosology pilot: one expert-head
    head = experts["expert_head"]
    conclusion = sign(case, head)
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED
    act = case.act
    assert act.place == "remote"
    assert act.signer_iin == head.person.iin
    assert act.registered_by is None
    assert act.referral_id == case.referral_id
    assert (act.recognised, act.group, act.cause) == (True, "2", "since_childhood")
    assert act.signature == conclusion.signature
    assert act.signature_verification.outcome == "valid"
    assert act.signature_verification.signer_iin == head.person.iin
    assert act.examined_on == timezone.localdate()
    assert case.deciding_conclusion_id == conclusion.pk
    assert MseAct.objects.filter(person=case.person).count() == 1


def test_p8_registration_is_idempotent():
    case, experts = distributed_case()
    sign(case, experts["expert_head"])
    case.refresh_from_db()
    assert case_act_register(case_id=case.pk) == case.act
    assert cases_act_register_pending() == 0
    assert MseAct.objects.filter(person=case.person).count() == 1


def test_p8_a_refused_registration_is_kept_on_the_case_and_retried_by_beat(monkeypatch):
    case, experts = distributed_case()

    def down(**kwargs):
        raise ApplicationError("down", code="signature_unavailable")

    monkeypatch.setattr("mse_pilot.services.act_register", down)
    sign(case, experts["expert_head"])
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.DECIDED
    assert case.act is None
    assert case.act_error.startswith("signature_unavailable")
    monkeypatch.undo()
    assert cases_act_register_pending() == 1
    case.refresh_from_db()
    assert case.stage == RemoteCase.Stage.REGISTERED
    assert case.act_error == ""


def test_p8_the_expert_decision_goes_to_the_work_record_with_its_time():
    case, experts = distributed_case()
    head = experts["expert_head"]
    conclusion = sign(case, head)
    record = WorkRecord.objects.get(expert=head, case_ref=str(case.public_id))
    assert record.decided_at == conclusion.signed_at
    assert conclusion.on_time is True
