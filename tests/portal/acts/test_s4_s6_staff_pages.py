"""S-4, S-6 on the department's pages: staff plan a field session or home visit from a referral of
their department, and register a refusal of the service on one of the law's two grounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from portal.acts.models import ExaminationPlan, ServiceRefusal
from tests.portal.factories import PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    yield
    clear_url_caches()


def test_s4_the_department_page_lists_its_referrals_with_plan_and_refusal_links(client, staff_user, referral):
    foreign = ReferralFactory(person=PersonFactory())  # a person the department does not serve
    client.force_login(staff_user)
    html = client.get(reverse("acts:staff-referrals")).content.decode()
    assert reverse("acts:staff-plan", kwargs={"referral_id": referral.public_id}) in html
    assert reverse("acts:staff-refusal", kwargs={"referral_id": referral.public_id}) in html
    assert str(foreign.public_id) not in html


def test_s4_staff_plan_a_home_visit_on_the_page(client, staff_user, referral, department):
    client.force_login(staff_user)
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        reverse("acts:staff-plan", kwargs={"referral_id": referral.public_id}),
        {"place": "home", "planned_on": day.isoformat(), "address": "ул. Абая, 1"},
    )
    assert response.status_code == 302
    plan = ExaminationPlan.objects.get()
    assert (plan.place, plan.planned_on, plan.department, plan.created_by) == ("home", day, department, staff_user)


def test_s4_a_plan_in_the_past_is_refused_on_its_field(client, staff_user, referral):
    client.force_login(staff_user)
    response = client.post(
        reverse("acts:staff-plan", kwargs={"referral_id": referral.public_id}),
        {"place": "hospital", "planned_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_planned_on_error"' in html
    assert "The planned date is in the past." in html
    assert not ExaminationPlan.objects.exists()


def test_s4_the_department_is_not_a_place_to_plan(client, staff_user, referral):
    client.force_login(staff_user)
    response = client.post(
        reverse("acts:staff-plan", kwargs={"referral_id": referral.public_id}),
        {"place": "department", "planned_on": timezone.localdate().isoformat()},
    )
    assert 'id="id_place_error"' in response.content.decode()
    assert not ExaminationPlan.objects.exists()


def test_s4_a_referral_of_another_department_is_not_found_on_the_pages(client, staff_user):
    foreign = ReferralFactory(person=PersonFactory())
    client.force_login(staff_user)
    for name in ("acts:staff-plan", "acts:staff-refusal"):
        assert client.get(reverse(name, kwargs={"referral_id": foreign.public_id})).status_code == 404


def test_s6_staff_register_a_refusal_on_one_of_the_two_grounds(client, staff_user, referral, department):
    client.force_login(staff_user)
    response = client.post(
        reverse("acts:staff-refusal", kwargs={"referral_id": referral.public_id}),
        {
            "ground": "unreliable_documents",
            "details": "The diagnosis in form 031/u differs from the medical record.",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    refusal = ServiceRefusal.objects.get()
    assert (refusal.ground, refusal.person, refusal.referral, refusal.department) == (
        "unreliable_documents",
        referral.person,
        referral,
        department,
    )


def test_s6_any_other_ground_and_empty_details_are_refused_on_their_fields(client, staff_user, referral):
    client.force_login(staff_user)
    response = client.post(
        reverse("acts:staff-refusal", kwargs={"referral_id": referral.public_id}),
        {"ground": "no_queue", "details": "   ", "decided_on": timezone.localdate().isoformat()},
    )
    html = response.content.decode()
    assert 'id="id_ground_error"' in html
    assert 'id="id_details_error"' in html
    assert not ServiceRefusal.objects.exists()


def test_s6_a_citizen_cannot_open_the_staff_pages(client, citizen, referral):
    client.force_login(citizen)
    assert client.get(reverse("acts:staff-referrals")).status_code == 403
    assert client.get(reverse("acts:staff-refusal", kwargs={"referral_id": referral.public_id})).status_code == 403
