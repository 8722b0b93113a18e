"""P-8: the conclusion signed with the EDS goes to the register of MSE acts; every refusal says why,
is audited, and leaves no act behind."""

from __future__ import annotations

import base64

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.accounts.models import User
from portal.acts.models import MseAct, StaffSignatory
from portal.acts.signals import act_registered
from portal.errors import ApplicationError, ForbiddenError
from portal.signatures.models import SignatureVerification
from portal.signatures.testing import sign_cms
from portal.signatures.testpki import ca_certificate, new_key, person_certificate
from tests.portal.acts.conftest import OTHER_STAFF_IIN, STAFF_IIN, register, sign_act
from tests.portal.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    return {item.code for item in exc.value.items}


def test_p8_an_act_signed_by_the_staff_member_is_registered_with_its_verification(
    staff_user, person, department, referral
):
    act = register(actor_user=staff_user, person=person, department=department, referral=referral)
    assert act.number == f"11-{department.number}-2026-00001"
    assert act.signer_iin == STAFF_IIN
    verification = act.signature_verification
    assert verification.outcome == "valid"
    assert verification.signer_iin == STAFF_IIN
    assert verification.purpose == "mse_act"
    assert verification.document_type == ContentType.objects.get_for_model(MseAct)
    assert verification.document_id == str(act.pk)
    assert act.registered_by == staff_user


def test_p8_act_numbers_are_consecutive_per_department_and_year(staff_user, person, department, referral):
    first = register(actor_user=staff_user, person=person, department=department)
    second = register(actor_user=staff_user, person=person, department=department)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number.endswith("-2026-00002")
    other = DepartmentFactory()
    other_staff = User.objects.create(username="other", department=other, is_staff=True)
    StaffSignatory.objects.create(user=other_staff, iin=STAFF_IIN)
    third = register(actor_user=other_staff, person=person, department=other)
    assert third.sequence == 1


def test_p8_act_registered_is_sent_after_commit(staff_user, person, department, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, *, act, **kwargs):
        received.append((sender, act.pk))

    act_registered.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            act = register(actor_user=staff_user, person=person, department=department)
        assert received == []  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        act_registered.disconnect(receiver)
    assert received == [(MseAct, act.pk)]


def test_p8_a_failing_receiver_does_not_undo_the_act(
    staff_user, person, department, django_capture_on_commit_callbacks
):
    def breaks(sender, **kwargs):
        raise RuntimeError("benefits down")

    act_registered.connect(breaks)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            act = register(actor_user=staff_user, person=person, department=department)
    finally:
        act_registered.disconnect(breaks)
    assert MseAct.objects.filter(pk=act.pk).exists()


def test_p8_someone_elses_certificate_is_refused_and_audited(staff_user, person, department):
    signature = sign_act(person=person, department=department, referral=None, signer_iin=OTHER_STAFF_IIN)
    with pytest.raises(ApplicationError) as exc:
        register(actor_user=staff_user, person=person, department=department, signature=signature)
    assert exc.value.code == "signature_not_yours"
    assert exc.value.field == "signature"
    assert not MseAct.objects.exists()
    row = SignatureVerification.objects.get()
    assert (row.outcome, row.reason, row.expected_iin, row.signer_iin) == (
        "invalid",
        "iin_mismatch",
        STAFF_IIN,
        OTHER_STAFF_IIN,
    )


def test_p8_content_that_differs_from_what_was_signed_is_refused(staff_user, person, department):
    with pytest.raises(ApplicationError) as exc:
        register(actor_user=staff_user, person=person, department=department, group="3", signed_fields={"group": "2"})
    assert exc.value.code == "signature_content_mismatch"
    assert not MseAct.objects.exists()


def test_p8_a_self_made_root_is_refused(staff_user, person, department):
    root_key = new_key()
    root = ca_certificate(key=root_key, name="Self-made root")
    key = new_key()
    cert = person_certificate(key=key, iin=STAFF_IIN, issuer=root, issuer_key=root_key)
    from portal.acts.services import department_code
    from portal.acts.signing import act_signed_content
    from tests.portal.acts.conftest import decision

    content = act_signed_content(
        person_iin=person.iin, department=department_code(department), referral=None, signer_iin=STAFF_IIN, **decision()
    )
    signature = base64.b64encode(sign_cms(content, key, cert)).decode()
    with pytest.raises(ApplicationError) as exc:
        register(actor_user=staff_user, person=person, department=department, signature=signature)
    assert exc.value.code == "signature_untrusted"
    assert not MseAct.objects.exists()


@pytest.mark.parametrize("blob", ["not a signature at all", base64.b64encode(b"0" * 100).decode(), "A" * 200_000])
def test_p8_a_blob_that_is_not_cms_is_refused_never_a_500(staff_user, person, department, blob):
    with pytest.raises(ApplicationError) as exc:
        register(actor_user=staff_user, person=person, department=department, signature=blob)
    assert exc.value.code == "signature_unreadable"
    assert not MseAct.objects.exists()
    assert SignatureVerification.objects.get().outcome == "invalid"


def test_p8_staff_of_another_department_cannot_register(staff_user, person):
    other = DepartmentFactory()
    with pytest.raises(ForbiddenError) as exc:
        register(actor_user=staff_user, person=person, department=other)
    assert exc.value.code == "not_staff"
    assert not MseAct.objects.exists()


def test_p8_a_staff_member_without_a_recorded_certificate_iin_is_refused(person, department):
    user = User.objects.create(username="nocert", department=department, is_staff=True)
    with pytest.raises(ApplicationError) as exc:
        register(actor_user=user, person=person, department=department)
    assert "signer_unknown" in codes(exc)
    assert not SignatureVerification.objects.exists()


def test_p8_an_empty_signature_is_refused(staff_user, person, department):
    with pytest.raises(ApplicationError) as exc:
        register(actor_user=staff_user, person=person, department=department, signature="")
    assert "signature_required" in codes(exc)
