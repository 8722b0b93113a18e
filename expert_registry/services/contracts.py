"""E-6 (point 12-1): the included doctor signs the contract with their EDS within 3 working days.

The term counts in working days of ``portal.workcal`` from the day after inclusion (the Civil Code:
a term starts the day after the event): included on Thursday 19.03.2026, before Nauryz, the doctor
signs by Friday 27.03.2026. The signature goes through the core's one verifier
(``portal.signatures.services.signature_verify``) against the doctor's own IIN over the contract's
canonical text, stored when the contract is offered. Signed -> the expert is active. Not signed by
the last day -> the daily beat refuses with N-E4, once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from expert_registry import errors, locks
from expert_registry.models import Application, Expert, ExpertContract
from expert_registry.services.experts import expert_status_change
from expert_registry.services.notices import cabinet_message
from portal.errors import ApplicationError, ConflictError, ErrorCode
from portal.signatures.messages import signature_reason_message
from portal.signatures.services import signature_verify
from portal.workcal.services import add_working_days

# E-6: "в течение 3 (трех) рабочих дней"
SIGN_WORKING_DAYS = 3
SIGNATURE_PURPOSE = "expert_contract"


def contract_sign_by(included_on: dt.date) -> dt.date:
    """The last day to sign: the 3rd working day after the day of inclusion."""
    return add_working_days(included_on, SIGN_WORKING_DAYS)


def contract_text(*, application: Application, included_on: dt.date, sign_by: dt.date) -> str:
    """The canonical text the doctor signs: the parties, the subject, the terms, the dates. Built once and
    stored, so the bytes verified are the bytes shown."""
    person = application.person
    announcement = application.announcement
    forms = ", ".join(str(g) for g in application.nosology_groups.order_by("number"))
    return "\n".join(
        [
            "ДОГОВОР возмездного оказания услуг врача эксперта",
            "в рамках пилотного проекта по привлечению врачей к проактивному заочному оказанию государственной "
            'услуги "Установление инвалидности и/или степени утраты трудоспособности и/или определение '
            'необходимых мер социальной защиты"',
            f"Заказчик: {announcement.body_name_ru}, {announcement.postal_address}",
            f"Исполнитель (врач эксперт): {person.full_name}, ИИН {person.iin}",
            f"Нозологические формы: {forms}",
            f"Оплата и её условия: {announcement.pay_terms_ru}",
            f"Включён(а) в реестр экспертов: {included_on:%d.%m.%Y}",
            f"Подписать ЭЦП до: {sign_by:%d.%m.%Y} включительно",
            f"Номер договора: {application.public_id}",
        ]
    )


def contract_offer(*, application: Application, on_date: dt.date) -> ExpertContract:
    """At inclusion (inside the transaction that includes): the contract to sign, the expert pending it."""
    sign_by = contract_sign_by(on_date)
    contract = ExpertContract.objects.create(
        application=application,
        expert=application.expert,
        content=contract_text(application=application, included_on=on_date, sign_by=sign_by),
        included_on=on_date,
        sign_by=sign_by,
    )
    expert_status_change(
        expert=application.expert, to_status=Expert.Status.CONTRACT_PENDING, actor=None, on_date=on_date
    )
    cabinet_message(
        application=application,
        text=_("Sign the contract with your electronic signature within 3 working days, by %(date)s.")
        % {"date": date_format(sign_by, "d.m.Y")},
    )
    return contract


def _refuse_late(contract: ExpertContract) -> ApplicationError:
    return ApplicationError(errors.CONTRACT_LATE.format(date=date_format(contract.sign_by, "d.m.Y")), field="signature")


def contract_sign(*, contract: ExpertContract, signature: str, now: dt.datetime | None = None) -> ExpertContract:
    """Verify the doctor's signature over the contract's text and make the expert active.

    Refused, with the reason and nothing changed: past the last day, a signature not over this text,
    a certificate of someone else (another IIN), any reason the verifier gives. The verification row
    stays whatever the outcome (the verifier runs before the transaction)."""
    now = now or timezone.now()
    if contract.status != ExpertContract.Status.PENDING:
        raise ConflictError(errors.CONTRACT_NOT_PENDING, field="contract")
    if timezone.localdate(now) > contract.sign_by:
        raise _refuse_late(contract)
    if not signature.strip():
        raise ApplicationError(errors.SIGNATURE_REQUIRED, field="signature")
    person = contract.application.person
    result = signature_verify(
        cms=signature,
        content=contract.content_bytes,
        expected_iin=person.iin,
        purpose=SIGNATURE_PURPOSE,
        document=contract,
    )
    if not result.valid:
        raise ApplicationError(
            ErrorCode(f"signature_{result.reason}", str(signature_reason_message(result.reason))), field="signature"
        )
    return _contract_signed(
        contract_id=contract.pk, signature=signature, verification_id=result.verification.pk, now=now
    )


@transaction.atomic
def _contract_signed(*, contract_id: int, signature: str, verification_id: int, now: dt.datetime) -> ExpertContract:
    contract = locks.contract_for_update(contract_id)
    if contract.status != ExpertContract.Status.PENDING:
        raise ConflictError(errors.CONTRACT_NOT_PENDING, field="contract")
    if timezone.localdate(now) > contract.sign_by:
        raise _refuse_late(contract)
    contract.status, contract.signed_at = ExpertContract.Status.SIGNED, now
    contract.signature, contract.verification_id = signature.strip(), verification_id
    contract.save(update_fields=["status", "signed_at", "signature", "verification", "updated_at"])
    expert_status_change(
        expert=contract.expert, to_status=Expert.Status.ACTIVE, actor=None, on_date=timezone.localdate(now)
    )
    cabinet_message(application=contract.application, text=_("Your contract is signed. You are an active expert."))
    return contract


@transaction.atomic
def contracts_refuse_unsigned(*, today: dt.date | None = None) -> list[int]:
    """Beat: the contracts whose last day to sign has passed are refused, N-E4 once each. Safe to run again."""
    today = today or timezone.localdate()
    refused = []
    late = ExpertContract.objects.filter(status=ExpertContract.Status.PENDING, sign_by__lt=today)
    for contract_id in late.values_list("pk", flat=True):
        contract = locks.contract_for_update(contract_id)
        if contract.status != ExpertContract.Status.PENDING:
            continue
        contract.status, contract.refused_at = ExpertContract.Status.REFUSED, timezone.now()
        contract.save(update_fields=["status", "refused_at", "updated_at"])
        from expert_registry.services.testing import application_refuse

        application = locks.application_for_update(contract.application_id)
        application_refuse(application=application, reasons=["contract_not_signed"])
        refused.append(contract_id)
    return refused
