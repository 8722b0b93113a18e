"""S-4 (places, field plans), S-5 (the decision's data), S-6 (refusal grounds) in the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from portal.acts.models import ExaminationPlan, MseAct, ServiceRefusal
from portal.acts.services import examination_plan_create, service_refusal_register
from portal.errors import ApplicationError, NotFoundError
from portal.signatures.models import SignatureVerification
from tests.portal.acts.conftest import register
from tests.portal.factories import PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def refused(**kwargs) -> set[str]:
    with pytest.raises(ApplicationError) as exc:
        register(**kwargs)
    assert not MseAct.objects.exists()
    # refused before any signature is checked: nothing verified, nothing half-saved
    assert not SignatureVerification.objects.exists()
    return {item.code for item in exc.value.items}


@pytest.fixture
def who(staff_user, person, department):
    return {"actor_user": staff_user, "person": person, "department": department}


# S-4 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("place", ["department", "hospital", "specialised", "penitentiary", "remand", "home", "remote"])
def test_s4_every_place_of_the_standard_is_registered(who, place):
    act = register(**who, place=place)
    assert act.place == place


def test_s4_in_absentia_needs_consent(who):
    assert refused(**who, place="in_absentia") == {"absentia_consent_required"}
    act = register(**who, place="in_absentia", absentia_consent=True)
    assert act.absentia_consent is True


def test_s4_staff_plan_a_home_visit_from_a_referral_of_their_department(staff_user, referral):
    plan = examination_plan_create(
        actor_user=staff_user, referral=referral, place="home", planned_on=dt.date(2026, 12, 3)
    )
    assert (plan.department, plan.person, plan.place) == (staff_user.department, referral.person, "home")


@pytest.mark.parametrize("place", ["department", "in_absentia", "remote"])
def test_s4_only_a_field_session_or_home_visit_is_planned(staff_user, referral, place):
    with pytest.raises(ApplicationError) as exc:
        examination_plan_create(actor_user=staff_user, referral=referral, place=place, planned_on=dt.date(2026, 12, 3))
    assert exc.value.items[0].code == "plan_place"
    assert not ExaminationPlan.objects.exists()


def test_s4_a_plan_in_the_past_is_refused(staff_user, referral):
    with pytest.raises(ApplicationError) as exc:
        examination_plan_create(
            actor_user=staff_user, referral=referral, place="hospital", planned_on=dt.date(2020, 1, 1)
        )
    assert exc.value.items[0].code == "plan_in_past"


def test_s4_a_referral_of_another_departments_person_is_not_found(staff_user):
    stranger = ReferralFactory(person=PersonFactory())  # registered in an ATU the department does not serve
    with pytest.raises(NotFoundError):
        examination_plan_create(actor_user=staff_user, referral=stranger, place="home", planned_on=dt.date(2026, 12, 3))
    assert not ExaminationPlan.objects.exists()


def test_s4_the_same_day_is_planned_once(staff_user, referral):
    examination_plan_create(actor_user=staff_user, referral=referral, place="home", planned_on=dt.date(2026, 12, 3))
    with pytest.raises(ApplicationError) as exc:
        examination_plan_create(
            actor_user=staff_user, referral=referral, place="hospital", planned_on=dt.date(2026, 12, 3)
        )
    assert exc.value.code == "plan_exists"


# S-5: the decision's data ----------------------------------------------------------------------


def test_s5_recognised_without_a_group_is_refused(who):
    assert "group_required" in refused(**who, group="")


def test_s5_a_group_without_recognition_is_refused(who):
    assert "group_without_recognition" in refused(**who, recognised=False, group="2", term_until=None)


def test_s5_not_recognised_is_registered_without_group_or_term(who):
    act = register(**who, recognised=False, group="", cause="", term_until=None)
    assert (act.recognised, act.group, act.term_until, act.without_term) == (False, "", None, False)


def test_s5_a_term_and_without_term_together_are_refused(who):
    assert "term_and_without_term" in refused(**who, without_term=True)


def test_s5_neither_term_nor_without_term_is_refused(who):
    assert "term_required" in refused(**who, term_until=None)


def test_s5_an_adult_may_be_recognised_without_term(who):
    act = register(**who, term_until=None, without_term=True)
    assert act.without_term is True


def test_s5_a_child_is_never_recognised_without_term(staff_user, department, atu):
    child = PersonFactory(registration_atu=atu, birth_date=dt.date(2015, 6, 1))
    codes = refused(
        actor_user=staff_user, person=child, department=department, category="child", term_until=None, without_term=True
    )
    assert codes == {"without_term_child"}


def test_s5_the_category_follows_the_age_on_the_examination_day(who):
    # born 15.03.1985, examined 02.03.2026: an adult
    assert refused(**who, category="child") == {"category_age"}


@pytest.mark.parametrize(("general", "ok"), [(29, False), (30, True), (100, True), (101, False)])
def test_s5_loss_of_general_working_capacity_is_30_to_100_percent(who, general, ok):
    if ok:
        assert register(**who, general_capacity_loss=general).general_capacity_loss == general
    else:
        assert refused(**who, general_capacity_loss=general) == {"general_capacity_loss_range"}


@pytest.mark.parametrize(("professional", "ok"), [(4, False), (5, True), (100, True), (101, False)])
def test_s5_loss_of_professional_working_capacity_is_5_to_100_percent(who, professional, ok):
    if ok:
        assert register(**who, professional_capacity_loss=professional).professional_capacity_loss == professional
    else:
        assert refused(**who, professional_capacity_loss=professional) == {"professional_capacity_loss_range"}


def test_s5_the_term_ends_after_the_examination(who):
    assert refused(**who, term_until=dt.date(2026, 3, 2)) == {"term_before_examination"}


def test_s5_a_referral_of_another_person_is_refused(who):
    other = ReferralFactory()
    assert "referral_other_person" in refused(**who, referral=other)


def test_s5_the_database_refuses_a_group_without_recognition(who):
    act = register(**who)
    with pytest.raises(IntegrityError), transaction.atomic():
        MseAct.objects.filter(pk=act.pk).update(recognised=False)


# S-6 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ground", ["unreliable_documents", "rules_noncompliance"])
def test_s6_the_service_is_refused_on_one_of_the_two_grounds(staff_user, person, department, referral, ground):
    refusal = service_refusal_register(
        actor_user=staff_user,
        person=person,
        department=department,
        referral=referral,
        ground=ground,
        details="Справка не соответствует данным МИС",
        decided_on=dt.date(2026, 11, 20),
    )
    assert refusal.ground == ground


def test_s6_any_other_ground_is_refused(staff_user, person, department):
    with pytest.raises(ApplicationError) as exc:
        service_refusal_register(
            actor_user=staff_user,
            person=person,
            department=department,
            ground="no_reason",
            details="",
            decided_on=dt.date(2026, 11, 20),
        )
    assert {i.code for i in exc.value.items} == {"ground_invalid", "details_required"}
    assert not ServiceRefusal.objects.exists()
