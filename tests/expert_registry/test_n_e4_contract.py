"""N-E4 for a contract not signed within 3 working days (E-6): the daily job refuses once."""

import datetime as dt

import pytest

from expert_registry.models import Application, CabinetMessage, Expert, ExpertContract
from expert_registry.services.contracts import contract_sign, contracts_refuse_unsigned
from expert_registry.tasks import refuse_unsigned_contracts
from notifications.models import Message
from portal.errors import ConflictError
from tests.expert_registry.test_e5_testing import bank  # noqa: F401
from tests.expert_registry.test_e6_contract import LAST_DAY, at, included
from tests.signing import sign_content

pytestmark = pytest.mark.django_db


def test_n_e4_contract_not_signed_in_3_working_days_refused_by_the_daily_job_once(bank):  # noqa: F811
    contract = included()
    # the last day is Friday 27.03.2026: nothing on it, the refusal on the day after, once
    assert contracts_refuse_unsigned(today=dt.date(2026, 3, 27)) == []
    assert contracts_refuse_unsigned(today=dt.date(2026, 3, 28)) == [contract.pk]
    assert contracts_refuse_unsigned(today=dt.date(2026, 3, 29)) == []
    contract.refresh_from_db()
    assert contract.status == ExpertContract.Status.REFUSED
    assert Application.objects.get(pk=contract.application_id).status == Application.Status.REFUSED
    assert Expert.objects.get(pk=contract.expert_id).status == Expert.Status.REFUSED
    messages = Message.objects.filter(template__key="expert_refused", recipient=contract.application.person)
    assert messages.count() == 1
    assert "не подписанием договора в течение 3 (трех) рабочих дней" in messages.get().text
    assert "тестирования" not in messages.get().text
    assert CabinetMessage.objects.filter(application=contract.application, text_ru__contains="договора").exists()
    # a signature that comes afterwards changes nothing
    iin = contract.application.person.iin
    with pytest.raises(ConflictError):
        contract_sign(contract=contract, signature=sign_content(contract.content_bytes, iin=iin), now=at(LAST_DAY))


def test_n_e4_signed_contract_is_not_refused(bank):  # noqa: F811
    contract = included()
    iin = contract.application.person.iin
    contract_sign(contract=contract, signature=sign_content(contract.content_bytes, iin=iin), now=at(LAST_DAY))
    assert contracts_refuse_unsigned(today=dt.date(2026, 4, 1)) == []
    assert not Message.objects.filter(template__key="expert_refused").exists()


def test_n_e4_the_beat_task_runs_the_refusal(bank, monkeypatch):  # noqa: F811
    included()
    # the task uses today's date: past 27.03.2026 on the test machine the refusal is made
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 3, 30))
    assert refuse_unsigned_contracts() == 1
    assert refuse_unsigned_contracts() == 0
