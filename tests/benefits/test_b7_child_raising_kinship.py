"""B-7, B-10: the benefit for raising a child with disability asks births (civil registry),
guardianship (education database) and adoption (Torelik) through the port whether the applicant
raises the child; no link is a refusal on B-10 (2); a system that does not answer leaves it waiting."""

import datetime as dt

import pytest
from django.utils import timezone

from benefits.models import Application, ApplicationCheck, Decision, DisabilityOffer
from benefits.programmes.disability import DocumentsNeeded, StateSystemUnavailable, raises_the_child
from benefits.services_disability import disability_decision_form, disability_offer_consent
from benefits.statesystems import ADOPTION, CIVIL_REGISTRY_BIRTH, GUARDIANSHIP
from portal.statedata.models import DemoRecord
from tests.benefits.mse import act_for
from tests.portal.factories import GuardianshipFactory, PersonFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _child_raising(capture, born=dt.date(2015, 6, 1), examined_on=dt.date(2026, 3, 2)):
    child = PersonFactory(birth_date=born)
    parent = PersonFactory()
    GuardianshipFactory(ward=child, representative=parent)
    act = act_for(capture, person=child, category="child", cause="child", examined_on=examined_on)
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.person == parent
    [application] = disability_offer_consent(
        offer=offer,
        chosen=["child_raising"],
        consent_personal_data=True,
        now=timezone.make_aware(dt.datetime.combine(examined_on + dt.timedelta(days=8), dt.time(10)), TZ),
    )
    assert not hasattr(application, "decision")  # not the automatic path: staff form it
    return application, child, parent


def test_b7_birth_record_naming_the_applicant_assigns(django_capture_on_commit_callbacks):
    application, child, parent = _child_raising(django_capture_on_commit_callbacks)
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH, key=child.iin, data={"birth_date": "2015-06-01", "parent_iins": [parent.iin]}
    )
    decision = disability_decision_form(application=application)
    assert decision.kind == "assigned"
    check = ApplicationCheck.objects.get(application=application, code="b7_parent_child_link")
    assert check.passed
    assert check.source == "civil_registry.birth"


def test_b7_guardianship_record_naming_the_applicant_assigns(django_capture_on_commit_callbacks):
    application, child, parent = _child_raising(django_capture_on_commit_callbacks)
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH, key=child.iin, data={"birth_date": "2015-06-01", "parent_iins": []}
    )
    DemoRecord.objects.create(system=GUARDIANSHIP, key=child.iin, data={"carer_iins": [parent.iin]})
    assert disability_decision_form(application=application).kind == "assigned"
    check = ApplicationCheck.objects.get(application=application, code="b7_parent_child_link")
    assert check.passed
    assert check.source == "education.guardianship"


def test_b7_no_parent_child_link_refuses_on_ground_2(django_capture_on_commit_callbacks):
    application, child, _parent = _child_raising(django_capture_on_commit_callbacks)
    other = PersonFactory()
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH, key=child.iin, data={"birth_date": "2015-06-01", "parent_iins": [other.iin]}
    )
    decision = disability_decision_form(application=application)
    assert decision.kind == "refused"
    assert decision.ground_code == "b10_2_noncompliant"
    assert not ApplicationCheck.objects.get(application=application, code="b7_parent_child_link").passed


@pytest.mark.parametrize("silent", [CIVIL_REGISTRY_BIRTH, GUARDIANSHIP, ADOPTION])
def test_b7_kinship_system_unavailable_the_decision_waits(django_capture_on_commit_callbacks, settings, silent):
    application, child, _parent = _child_raising(django_capture_on_commit_callbacks)
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_BIRTH, key=child.iin, data={"birth_date": "2015-06-01", "parent_iins": []}
    )
    settings.STATEDATA_BACKENDS = {silent: "shep"}
    settings.STATEDATA_SHEP_URL = ""
    with pytest.raises(StateSystemUnavailable):
        disability_decision_form(application=application)
    assert not Decision.objects.filter(application=application).exists()  # never a wrong refusal
    assert not ApplicationCheck.objects.filter(application=application).exists()  # nothing half-saved
    assert Application.objects.get(pk=application.pk).stage == "accepted"


def test_b7_social_benefit_of_a_child_does_not_ask_kinship(django_capture_on_commit_callbacks, settings):
    child = PersonFactory(birth_date=dt.date(2015, 6, 1))
    GuardianshipFactory(ward=child, representative=PersonFactory())
    act = act_for(
        django_capture_on_commit_callbacks,
        person=child,
        category="child",
        cause="child",
        examined_on=dt.date(2026, 3, 2),
    )
    [application] = disability_offer_consent(
        offer=DisabilityOffer.objects.get(act=act),
        chosen=["social"],
        consent_personal_data=True,
        channel="goscorp",
    )
    settings.STATEDATA_BACKENDS = {CIVIL_REGISTRY_BIRTH: "shep", GUARDIANSHIP: "shep", ADOPTION: "shep"}
    settings.STATEDATA_SHEP_URL = ""
    assert disability_decision_form(application=application).kind == "assigned"


# --- point 7's cut-off: the civil registry holds births registered after 13.08.2007 --------------------


def test_b7_no_birth_record_of_a_child_born_on_13_august_2007_asks_for_the_birth_certificate():
    child, parent = PersonFactory(birth_date=dt.date(2007, 8, 13)), PersonFactory()
    with pytest.raises(DocumentsNeeded) as caught:
        raises_the_child(applicant_iin=parent.iin, child_iin=child.iin, child_born=dt.date(2007, 8, 13))
    assert (caught.value.system, caught.value.document) == ("civil_registry.birth", "birth_certificate")


def test_b7_no_birth_record_of_a_child_born_on_14_august_2007_is_no_link():
    child, parent = PersonFactory(birth_date=dt.date(2007, 8, 14)), PersonFactory()
    assert raises_the_child(applicant_iin=parent.iin, child_iin=child.iin, child_born=dt.date(2007, 8, 14)) is None


def test_b7_born_before_the_cut_off_but_under_guardianship_needs_no_document():
    child, parent = PersonFactory(birth_date=dt.date(2007, 8, 12)), PersonFactory()
    DemoRecord.objects.create(system=GUARDIANSHIP, key=child.iin, data={"carer_iins": [parent.iin]})
    assert raises_the_child(applicant_iin=parent.iin, child_iin=child.iin, child_born=dt.date(2007, 8, 12)) == (
        "education.guardianship"
    )


def test_b7_born_on_13_august_2007_without_a_record_the_decision_waits_for_the_certificate(
    django_capture_on_commit_callbacks,
):
    # examined 2 June 2025: the child is 17
    application, _child, _parent = _child_raising(
        django_capture_on_commit_callbacks, born=dt.date(2007, 8, 13), examined_on=dt.date(2025, 6, 2)
    )
    with pytest.raises(DocumentsNeeded):
        disability_decision_form(application=application)
    assert not Decision.objects.filter(application=application).exists()  # never refused on the registry's gap
    assert Application.objects.get(pk=application.pk).stage == "accepted"


def test_b7_born_on_14_august_2007_without_a_record_refuses_on_ground_2(django_capture_on_commit_callbacks):
    application, _child, _parent = _child_raising(
        django_capture_on_commit_callbacks, born=dt.date(2007, 8, 14), examined_on=dt.date(2025, 6, 2)
    )
    decision = disability_decision_form(application=application)
    assert (decision.kind, decision.ground_code) == ("refused", "b10_2_noncompliant")


def test_b7_staff_page_says_to_request_the_birth_certificate(client, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group, Permission
    from django.urls import reverse

    from portal.accounts.roles import Role
    from tests.portal.factories import UserFactory

    application, _child, _parent = _child_raising(
        django_capture_on_commit_callbacks, born=dt.date(2007, 8, 13), examined_on=dt.date(2025, 6, 2)
    )
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))
    user.user_permissions.add(Permission.objects.get(codename="change_application", content_type__app_label="benefits"))
    client.force_login(user)
    url = reverse("benefits:staff-disability-act", kwargs={"public_id": application.public_id})
    page = client.post(url, {"action": "form_decision"}, follow=True).content.decode()
    assert "13.08.2007" in page
    assert not Decision.objects.filter(application=application).exists()
