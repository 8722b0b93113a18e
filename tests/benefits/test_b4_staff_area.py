"""B-4 (approval by the provider's authorised person), B-9 (the staff's page) and Q-12 (staff see the
personal data of their own area only), rule 6 of the house: benefits staff see and act on the
applications of their own department or region; Committee staff and operators on every region's.

Two regions: A (district A, department A serving it) and B (district B). One funeral payment draft
decision each, formed today: the applicant registered in A, the applicant registered in B.
"""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from benefits import urls as benefit_urls
from benefits.models import Application, Assignment, Decision, DisabilityOffer, JournalEntry, Stage
from benefits.selectors import decisions_of_area
from benefits.services import decisions_approve, decisions_signed_content, funeral_application_file
from benefits.services_disability import disability_offer_consent
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.deadlines.registry import DeadlineScope
from portal.deadlines.selectors import radar_rows
from portal.errors import NotFoundError
from portal.signatures.models import SignatureVerification
from portal.validators import bin_build, iin_build
from tests.benefits.conftest import DECEASED, OTHER_DECEASED, died, registered
from tests.benefits.helpers import staff
from tests.benefits.mse import act_for
from tests.portal.factories import AtuFactory, DepartmentFactory, PersonFactory, RegionFactory
from tests.signing import sign_content

pytestmark = pytest.mark.django_db
APPROVE = "benefits.approve_decision"


@pytest.fixture
def area():
    region_a = RegionFactory()  # Akmola, 110000000
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    district_a = AtuFactory(region=region_a)
    district_b = AtuFactory(region=region_b, kato="711000000")
    department_a = DepartmentFactory(region=region_a, atus=[district_a])
    person_a = PersonFactory(registration_atu=district_a)
    person_b = PersonFactory(registration_atu=district_b)
    for iin in (DECEASED, OTHER_DECEASED):
        died(iin, timezone.localdate() - dt.timedelta(days=20))
    draft_a = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=person_a, confirmed_by="sms_code"
    ).decision
    draft_b = funeral_application_file(
        deceased_iin=OTHER_DECEASED, channel="portal", applicant=person_b, confirmed_by="sms_code"
    ).decision
    return SimpleNamespace(
        region_a=region_a,
        region_b=region_b,
        district_a=district_a,
        district_b=district_b,
        department_a=department_a,
        person_a=person_a,
        person_b=person_b,
        draft_a=draft_a,
        draft_b=draft_b,
    )


def provider_a(*perms: str, area) -> User:
    return staff(Role.PROVIDER_STAFF, *perms, region=area.region_a)


def _unapproved(*decisions) -> bool:
    for d in decisions:
        d.refresh_from_db()
        d.application.refresh_from_db()
        if d.approved_at is not None or d.application.stage != Stage.DECISION_DRAFT:
            return False
    return True


# --- B-4: the approval page ------------------------------------------------------------------------


def test_b4_region_a_staff_do_not_see_region_bs_draft_on_the_approval_page(client, area):
    user = provider_a(APPROVE, area=area)
    client.force_login(user)
    page = client.get(reverse("benefits:approve"), {"day": timezone.localdate().isoformat()})
    assert page.status_code == 200
    assert [d.pk for d in page.context["drafts"]] == [area.draft_a.pk]
    html = page.content.decode()
    assert area.draft_a.application.number in html
    assert area.draft_b.application.number not in html
    assert str(area.draft_b.public_id) not in html
    # named by its id (a crafted link): still not shown
    crafted = client.get(reverse("benefits:approve"), {"ids": str(area.draft_b.public_id)})
    assert crafted.context["drafts"] == []


def test_b4_posting_region_bs_decision_is_not_found_and_nothing_changes(client, area):
    user = provider_a(APPROVE, area=area)
    client.force_login(user)
    # a signature the approver really made over B's content: the area check still refuses it
    content = decisions_signed_content(decisions=[area.draft_b], approver_iin=user.person.iin)
    response = client.post(
        reverse("benefits:approve"),
        {"ids": str(area.draft_b.public_id), "signature": sign_content(content, iin=user.person.iin)},
    )
    assert response.status_code == 404
    assert _unapproved(area.draft_b)
    assert not SignatureVerification.objects.exists()  # refused before the verifier is asked
    # slipped into region A's own batch: the whole batch is refused, A's draft stays a draft too
    both = [area.draft_a, area.draft_b]
    content = decisions_signed_content(decisions=both, approver_iin=user.person.iin)
    response = client.post(
        reverse("benefits:approve"),
        {
            "ids": f"{area.draft_a.public_id},{area.draft_b.public_id}",
            "signature": sign_content(content, iin=user.person.iin),
        },
    )
    assert response.status_code == 404
    assert _unapproved(area.draft_a, area.draft_b)


def test_b4_the_days_batch_approves_only_region_as_drafts(client, area):
    user = provider_a(APPROVE, area=area)
    client.force_login(user)
    page = client.get(reverse("benefits:approve"), {"day": timezone.localdate().isoformat()})
    assert page.context["ids"] == str(area.draft_a.public_id)
    text = page.context["text"].encode()
    assert "count 1" in page.context["text"]
    response = client.post(
        reverse("benefits:approve"),
        {"ids": page.context["ids"], "signature": sign_content(text, iin=user.person.iin)},
    )
    assert response.status_code == 302
    area.draft_a.refresh_from_db()
    assert area.draft_a.approved_by == user
    assert _unapproved(area.draft_b)


def test_b4_department_staff_reach_the_atus_their_department_serves(area):
    user = staff(Role.DEPARTMENT_STAFF, APPROVE, department=area.department_a)
    content = decisions_signed_content(decisions=[area.draft_b], approver_iin=user.person.iin)
    with pytest.raises(NotFoundError) as error:
        decisions_approve(
            public_ids=[area.draft_b.public_id], approver=user, cms=sign_content(content, iin=user.person.iin)
        )
    assert error.value.code == "decision_not_found"
    assert _unapproved(area.draft_b)
    content = decisions_signed_content(decisions=[area.draft_a], approver_iin=user.person.iin)
    [approved] = decisions_approve(
        public_ids=[area.draft_a.public_id], approver=user, cms=sign_content(content, iin=user.person.iin)
    )
    assert approved.pk == area.draft_a.pk


def test_b4_committee_staff_keep_the_national_batch(client, area):
    client.force_login(staff(Role.COMMITTEE_STAFF, APPROVE))
    page = client.get(reverse("benefits:approve"), {"day": timezone.localdate().isoformat()})
    assert {d.pk for d in page.context["drafts"]} == {area.draft_a.pk, area.draft_b.pk}


def test_b4_staff_with_the_permission_but_no_area_or_national_role_see_no_draft(client, area):
    client.force_login(staff(None, APPROVE))
    page = client.get(reverse("benefits:approve"), {"day": timezone.localdate().isoformat()})
    assert page.status_code == 200
    assert page.context["drafts"] == []


def _filed_by_an_organisation(area, *, deceased: str, bin_: str):
    """The funeral payment of a person of region B, died 10 days ago, filed by an organisation that the
    legal entities database knows (B-5: no registration document asked)."""
    PersonFactory(iin=deceased, registration_atu=area.district_b)
    died(deceased, timezone.localdate() - dt.timedelta(days=10))
    registered(bin_)
    return funeral_application_file(
        deceased_iin=deceased,
        channel="goscorp",
        applicant_bin=bin_,
        applicant_name='ТОО "Ритуал"',
        confirmed_by="staff",
    )


def test_b4_a_legal_entitys_application_belongs_to_the_region_of_the_deceased(area):
    application = _filed_by_an_organisation(
        area,
        deceased=iin_build(dt.date(1948, 1, 1), female=False, serial=4321),
        bin_=bin_build(dt.date(2001, 1, 1), serial=143),
    )
    assert application.applicant is None
    region_a, region_b = provider_a(APPROVE, area=area), staff(Role.PROVIDER_STAFF, APPROVE, region=area.region_b)
    assert not decisions_of_area(user=region_a).filter(pk=application.decision.pk).exists()
    assert decisions_of_area(user=region_b).filter(pk=application.decision.pk).exists()


def test_x6_b4_a_legal_entitys_application_is_on_the_radar_of_the_deceaseds_region(area):
    # X-6 and rule 6 agree: the radar shows an organisation's application to the area that approves it
    application = _filed_by_an_organisation(
        area,
        deceased=iin_build(dt.date(1949, 2, 2), female=False, serial=4341),
        bin_=bin_build(dt.date(2002, 2, 2), serial=153),
    )
    assert application.applicant is None
    assert application.decision_due_at is not None
    now = timezone.now()

    def numbers(region) -> set[str]:
        rows = radar_rows(scope=DeadlineScope.region(region.pk), now=now, kinds=["benefit_application"])
        return {row.item.reference for row in rows}

    assert application.number in numbers(area.region_b)
    assert application.number not in numbers(area.region_a)


def test_b4_no_iin_travels_in_the_benefits_urls(client, area):
    # every parameter of the benefits' pages is a public id, a code request's id or a signed token
    params = set()
    for pattern in benefit_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        params |= set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
    assert params <= {"public_id", "code_id", "token"}
    # the admin action hands the approval page public ids only
    user = provider_a(APPROVE, "benefits.view_decision", area=area)
    client.force_login(user)
    response = client.post(
        reverse("admin:benefits_decision_changelist"),
        {"action": "approve_with_signature", "_selected_action": [area.draft_a.pk, area.draft_b.pk]},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location == f"{reverse('benefits:approve')}?ids={area.draft_a.public_id}"  # B's not selectable
    for iin in (area.person_a.iin, area.person_b.iin, DECEASED, OTHER_DECEASED):
        assert iin not in location


# --- B-9: the staff's page of disability applications -----------------------------------------------


def _waiting_in_region_a(capture) -> Application:
    # act_for registers the person in a district of region A (the factories' default region)
    act = act_for(capture, examined_on=dt.date(2026, 3, 2), cause="since_childhood", group="1")
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act), chosen=["social"], consent_personal_data=True
    )
    return application


def test_b9_region_b_staff_neither_see_nor_act_on_region_as_application(client, django_capture_on_commit_callbacks):
    application = _waiting_in_region_a(django_capture_on_commit_callbacks)
    due = application.decision_due_at
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    client.force_login(staff(Role.PROVIDER_STAFF, "benefits.change_application", region=region_b))
    page = client.get(reverse("benefits:staff-disability"))
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert application.number not in page.content.decode()
    for action in ("more_documents", "form_decision"):
        url = reverse("benefits:staff-disability-act", kwargs={"public_id": application.public_id})
        assert client.post(url, {"action": action}).status_code == 404
    application.refresh_from_db()
    assert application.decision_due_at == due
    assert Assignment.objects.get(application=application).more_documents_requested_at is None
    assert not Decision.objects.filter(application=application).exists()
    # region A's staff see it and act on it
    region_a = Application.objects.get(pk=application.pk).applicant.registration_atu.region
    client.force_login(staff(Role.PROVIDER_STAFF, "benefits.change_application", region=region_a))
    assert [a.pk for a in client.get(reverse("benefits:staff-disability")).context["rows"]] == [application.pk]
    url = reverse("benefits:staff-disability-act", kwargs={"public_id": application.public_id})
    assert client.post(url, {"action": "more_documents"}).status_code == 302
    assert Assignment.objects.get(application=application).more_documents_requested_at is not None


# --- Q-12: the benefits' admin ---------------------------------------------------------------------


def test_q12_benefits_admin_lists_and_opens_region_as_rows_only(client, area):
    user = provider_a("benefits.view_application", "benefits.view_decision", "benefits.view_journalentry", area=area)
    client.force_login(user)
    number_a, number_b = area.draft_a.application.number, area.draft_b.application.number
    for model in ("application", "decision", "journalentry"):
        page = client.get(reverse(f"admin:benefits_{model}_changelist"))
        assert page.status_code == 200
        html = page.content.decode()
        assert number_a in html, model
        assert number_b not in html, model
    # another region's rows are answered as missing ones
    for model, obj in (
        ("application", area.draft_b.application),
        ("decision", area.draft_b),
        ("journalentry", JournalEntry.objects.get(application=area.draft_b.application)),
    ):
        response = client.get(reverse(f"admin:benefits_{model}_change", args=[obj.pk]))
        assert response.status_code == 302, model
        assert response["Location"] == reverse("admin:index")
    own = reverse("admin:benefits_application_change", args=[area.draft_a.application.pk])
    assert client.get(own).status_code == 200
