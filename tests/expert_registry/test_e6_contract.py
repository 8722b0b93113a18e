"""E-6: the included doctor signs the contract with their EDS within 3 working days (across Nauryz),
through the core's one verifier against the doctor's own IIN; signed -> active."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from expert_registry.models import Expert, ExpertContract
from expert_registry.services.contracts import contract_sign, contract_sign_by
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.errors import ApplicationError, ConflictError
from portal.signatures.models import SignatureVerification
from tests.expert_registry.test_e5_testing import bank, candidate, take  # noqa: F401
from tests.factories import PersonFactory
from tests.signing import sign_content

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
# Thursday 19.03.2026; 21-25.03.2026 are days off (Nauryz and its transfers); the 3rd working day
# after the inclusion is Friday 27.03.2026.
INCLUDED_ON = dt.date(2026, 3, 19)
LAST_DAY = dt.date(2026, 3, 27)


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY)


def included():
    application = candidate(notified_on=dt.date(2026, 3, 12))
    take(application, 7, "positive", INCLUDED_ON)
    return ExpertContract.objects.get(application=application)


def test_e6_three_working_days_across_nauryz_with_literal_dates(bank):  # noqa: F811
    assert contract_sign_by(dt.date(2026, 3, 19)) == dt.date(2026, 3, 27)
    # without a holiday: Monday 02.03.2026 -> Thursday 05.03.2026
    assert contract_sign_by(dt.date(2026, 3, 2)) == dt.date(2026, 3, 5)
    contract = included()
    assert (contract.included_on, contract.sign_by) == (INCLUDED_ON, LAST_DAY)
    assert contract.expert.status == Expert.Status.CONTRACT_PENDING
    assert "27.03.2026" in contract.content
    assert contract.application.person.iin in contract.content


def test_e6_signed_on_the_last_day_makes_the_expert_active(bank):  # noqa: F811
    contract = included()
    iin = contract.application.person.iin
    signed = contract_sign(
        contract=contract, signature=sign_content(contract.content_bytes, iin=iin), now=at(LAST_DAY, 23)
    )
    assert signed.status == ExpertContract.Status.SIGNED
    assert signed.verification.outcome == "valid"
    assert signed.verification.signer_iin == iin
    assert signed.verification.purpose == "expert_contract"
    expert = Expert.objects.get(pk=contract.expert_id)
    assert (expert.status, expert.status_since) == (Expert.Status.ACTIVE, LAST_DAY)
    with pytest.raises(ConflictError) as exc:
        contract_sign(contract=signed, signature=sign_content(contract.content_bytes, iin=iin), now=at(LAST_DAY))
    assert exc.value.code == "contract_not_pending"


def test_e6_someone_elses_certificate_refused_with_the_reason(bank):  # noqa: F811
    contract = included()
    other = PersonFactory().iin
    with pytest.raises(ApplicationError) as exc:
        contract_sign(contract=contract, signature=sign_content(contract.content_bytes, iin=other), now=at(LAST_DAY))
    assert exc.value.code == "signature_iin_mismatch"
    assert exc.value.field == "signature"
    assert "someone else's certificate" in str(exc.value.message)
    contract.refresh_from_db()
    assert contract.status == ExpertContract.Status.PENDING
    assert Expert.objects.get(pk=contract.expert_id).status == Expert.Status.CONTRACT_PENDING
    # the verifier's row stays, naming the contract
    row = SignatureVerification.objects.get(purpose="expert_contract")
    assert (row.outcome, row.reason, row.document_id) == ("invalid", "iin_mismatch", str(contract.pk))


def test_e6_another_text_signed_is_refused(bank):  # noqa: F811
    contract = included()
    iin = contract.application.person.iin
    with pytest.raises(ApplicationError) as exc:
        contract_sign(
            contract=contract, signature=sign_content(b"another contract", iin=iin, detached=False), now=at(LAST_DAY)
        )
    assert exc.value.code == "signature_content_mismatch"


def test_e6_signed_after_the_deadline_refused_with_the_reason(bank):  # noqa: F811
    contract = included()
    iin = contract.application.person.iin
    # Saturday 28.03.2026, the day after the last one
    with pytest.raises(ApplicationError) as exc:
        contract_sign(
            contract=contract,
            signature=sign_content(contract.content_bytes, iin=iin),
            now=at(dt.date(2026, 3, 28), 0),
        )
    assert exc.value.code == "contract_deadline_passed"
    assert "27.03.2026" in str(exc.value.message)
    contract.refresh_from_db()
    assert contract.status == ExpertContract.Status.PENDING
    assert not SignatureVerification.objects.exists()


def test_e6_contract_page_shows_the_text_and_the_signing_widget(bank, client, settings):  # noqa: F811
    contract = included()
    person = contract.application.person
    user = User.objects.create(username=f"u{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    url = reverse("expert_registry:contract", args=[contract.public_id])
    # another person's contract is not found
    stranger = User.objects.create(username="stranger", person=PersonFactory())
    stranger.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-signing" in html
    assert 'data-target="id_signature"' in html
    assert "27.03.2026" in html
    # the page signs at the machine's today: move the last day past it
    ExpertContract.objects.filter(pk=contract.pk).update(sign_by=dt.date(2999, 12, 31))
    # a signature by someone else is refused on the page with the reason
    refused = client.post(url, {"signature": sign_content(contract.content_bytes, iin=PersonFactory().iin)})
    assert refused.status_code == 400
    assert "someone else" in refused.content.decode()
    done = client.post(url, {"signature": sign_content(contract.content_bytes, iin=person.iin)})
    assert done.status_code == 302
    assert Expert.objects.get(pk=contract.expert_id).status == Expert.Status.ACTIVE
