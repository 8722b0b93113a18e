"""Item 7: draft decisions approved by an authorised staff member with an electronic signature through
the one verifier, one by one or a day's batch; an unsigned, wrongly signed or someone else's signature
is refused with the reason and nothing is saved."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from benefits.models import Decision, Stage
from benefits.services import decisions_approve, decisions_signed_content, funeral_application_file
from portal.accounts.roles import Role
from portal.errors import ApplicationError
from portal.signatures.models import SignatureVerification
from tests.benefits.conftest import DECEASED, OTHER_DECEASED, died
from tests.portal.factories import PersonFactory, UserFactory
from tests.signing import sign_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver():
    user = UserFactory(is_staff=True, person=PersonFactory())
    user.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))  # national: every region's drafts
    user.user_permissions.add(Permission.objects.get(codename="approve_decision"))
    return user


def _drafts(n=2):
    out = []
    for iin in (DECEASED, OTHER_DECEASED)[:n]:
        died(iin, timezone.localdate() - dt.timedelta(days=20))
        application = funeral_application_file(
            deceased_iin=iin, channel="portal", applicant=PersonFactory(), confirmed_by="sms_code"
        )
        out.append(application.decision)
    return out


def _signed(decisions, approver, signer_iin=None):
    content = decisions_signed_content(decisions=decisions, approver_iin=approver.person.iin)
    return sign_content(content, iin=signer_iin or approver.person.iin)


def test_item7_batch_approved_with_the_approvers_signature(approver):
    drafts = _drafts()
    approved = decisions_approve(
        public_ids=[d.public_id for d in drafts], approver=approver, cms=_signed(drafts, approver)
    )
    assert len(approved) == 2
    for d in Decision.objects.all():
        assert d.approved_at is not None
        assert d.approved_by == approver
        assert d.approval_signature.outcome == "valid"
        assert d.application.stage == Stage.APPROVED


def test_item7_signature_of_someone_else_is_refused_nothing_saved(approver):
    drafts = _drafts()
    stranger = PersonFactory()
    with pytest.raises(ApplicationError) as error:
        decisions_approve(
            public_ids=[d.public_id for d in drafts],
            approver=approver,
            cms=_signed(drafts, approver, signer_iin=stranger.iin),
        )
    assert error.value.code == "signature_iin_mismatch"
    assert error.value.field == "signature"
    assert not Decision.objects.filter(approved_at__isnull=False).exists()
    assert SignatureVerification.objects.get().reason == "iin_mismatch"  # the refused attempt is on record


def test_item7_unsigned_is_refused(approver):
    drafts = _drafts(1)
    with pytest.raises(ApplicationError) as error:
        decisions_approve(public_ids=[drafts[0].public_id], approver=approver, cms="")
    assert error.value.code == "signature_missing"
    assert not Decision.objects.filter(approved_at__isnull=False).exists()


def test_item7_signature_over_another_batch_is_refused(approver):
    drafts = _drafts()
    cms = _signed(drafts[:1], approver)  # signed the first only, submits both
    with pytest.raises(ApplicationError) as error:
        decisions_approve(public_ids=[d.public_id for d in drafts], approver=approver, cms=cms)
    assert error.value.code == "signature_content_mismatch"
    assert not Decision.objects.filter(approved_at__isnull=False).exists()


def test_item7_staff_without_the_permission_is_refused():
    drafts = _drafts(1)
    user = UserFactory(is_staff=True, person=PersonFactory())
    with pytest.raises(ApplicationError) as error:
        decisions_approve(public_ids=[drafts[0].public_id], approver=user, cms=_signed(drafts, user))
    assert error.value.code == "not_authorised"


def test_item7_an_approved_decision_is_not_approved_twice(approver):
    drafts = _drafts(1)
    cms = _signed(drafts, approver)
    decisions_approve(public_ids=[drafts[0].public_id], approver=approver, cms=cms)
    with pytest.raises(ApplicationError) as error:
        decisions_approve(public_ids=[drafts[0].public_id], approver=approver, cms=cms)
    assert error.value.code == "decisions_changed"


def test_item7_approval_page_signs_a_days_batch(client, approver):
    drafts = _drafts()
    client.force_login(approver)
    day = timezone.localdate().isoformat()
    page = client.get(reverse("benefits:approve"), {"day": day})
    assert page.status_code == 200
    text = page.context["text"].encode()
    assert text == decisions_signed_content(decisions=drafts, approver_iin=approver.person.iin)
    response = client.post(
        reverse("benefits:approve"),
        {"ids": page.context["ids"], "signature": sign_content(text, iin=approver.person.iin)},
    )
    assert response.status_code == 302
    assert Decision.objects.filter(approved_at__isnull=False).count() == 2


def test_item7_approval_page_shows_the_reason_of_a_wrong_signature(client, approver):
    drafts = _drafts(1)
    client.force_login(approver)
    ids = str(drafts[0].public_id)
    response = client.post(reverse("benefits:approve"), {"ids": ids, "signature": "bm90IGEgY21z"})
    assert response.status_code == 400
    assert response.context["error"]
    assert not Decision.objects.filter(approved_at__isnull=False).exists()


def test_item7_approval_page_refused_without_the_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("benefits:approve")).status_code == 403


def test_item7_admin_action_leads_to_the_approval_page(client, approver):
    drafts = _drafts(1)
    approver.user_permissions.add(Permission.objects.get(codename="view_decision"))
    client.force_login(approver)
    response = client.post(
        reverse("admin:benefits_decision_changelist"),
        {"action": "approve_with_signature", "_selected_action": [drafts[0].pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('benefits:approve')}?ids={drafts[0].public_id}"
