"""B-7, B-10: the benefit for raising a child with disability asks births (civil registry),
guardianship (education database) and adoption (Torelik) through the port whether the applicant
raises the child; no link is a refusal on B-10 (2); a system that does not answer leaves it waiting."""

import datetime as dt

import pytest
from django.utils import timezone

from benefits.models import Application, ApplicationCheck, Decision, DisabilityOffer
from benefits.programmes.disability import StateSystemUnavailable
from benefits.services_disability import disability_decision_form, disability_offer_consent
from benefits.statesystems import ADOPTION, CIVIL_REGISTRY_BIRTH, GUARDIANSHIP
from portal.statedata.models import DemoRecord
from tests.benefits.mse import act_for
from tests.portal.factories import GuardianshipFactory, PersonFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _child_raising(capture):
    child = PersonFactory(birth_date=dt.date(2015, 6, 1))
    parent = PersonFactory()
    GuardianshipFactory(ward=child, representative=parent)
    act = act_for(capture, person=child, category="child", cause="child", examined_on=dt.date(2026, 3, 2))
    offer = DisabilityOffer.objects.get(act=act)
    assert offer.person == parent
    [application] = disability_offer_consent(
        offer=offer,
        chosen=["child_raising"],
        consent_personal_data=True,
        now=timezone.make_aware(dt.datetime(2026, 3, 10, 10), TZ),
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
