"""The roles exist after migrate, with the permissions of the shared core."""

import pytest
from django.contrib.auth.models import Group

from portal.accounts.roles import ROLE_LABELS, Role

pytestmark = pytest.mark.django_db


def perms(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_group_exists_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(ROLE_LABELS) <= names
    assert {
        Role.CITIZEN,
        Role.DEPARTMENT_STAFF,
        Role.PROVIDER_STAFF,
        Role.COMMITTEE_STAFF,
        Role.DOCTOR_EXPERT,
        Role.INTEGRATOR,
        Role.OPERATOR,
    } <= names


def test_department_staff_read_people_and_referrals_only():
    p = perms(Role.DEPARTMENT_STAFF)
    assert {"people.view_person", "people.view_guardianship", "referrals.view_referral"} <= p
    assert "people.change_person" not in p
    assert "referrals.change_referral" not in p


def test_provider_staff_keep_atus_departments_and_read_the_calendar():
    p = perms(Role.PROVIDER_STAFF)
    assert {
        "territory.view_atu",
        "territory.add_atu",
        "territory.change_atu",
        "territory.change_msedepartment",
        "workcal.view_calendarexception",
    } <= p


def test_sec3_only_committee_staff_and_operators_edit_the_national_calendar():
    edit = {"workcal.add_calendarexception", "workcal.change_calendarexception", "workcal.delete_calendarexception"}
    assert edit <= perms(Role.COMMITTEE_STAFF)
    assert edit <= perms(Role.OPERATOR)
    assert edit & perms(Role.PROVIDER_STAFF) == set()
    assert edit & perms(Role.DEPARTMENT_STAFF) == set()


def test_operator_manages_integrators_locks_and_calendar():
    p = perms(Role.OPERATOR)
    assert {
        "accounts.add_integrator",
        "accounts.change_apitoken",
        "axes.delete_accessattempt",
        "workcal.add_calendarexception",
    } <= p
    assert "accounts.delete_integrator" not in p


def test_committee_staff_read_medical_organisations():
    assert {"referrals.view_medicalorganisation", "people.view_person"} <= perms(Role.COMMITTEE_STAFF)


def test_citizens_and_integrators_get_no_core_model_permissions():
    for role in (Role.CITIZEN, Role.INTEGRATOR):
        core = {p for p in perms(role) if p.split(".")[0] in {"people", "referrals", "territory", "accounts"}}
        assert core == set()


def test_staff_user_permissions_come_from_the_group(django_user_model):
    user = django_user_model.objects.create_user(username="dept", password="x-demo-pass-123")
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("people.view_person")
    assert not user.has_perm("people.delete_person")
    assert user.has_role(Role.DEPARTMENT_STAFF)


def test_staff_read_their_message_log_and_operators_edit_the_texts():
    for role in (Role.DEPARTMENT_STAFF, Role.PROVIDER_STAFF, Role.OPERATOR):
        p = perms(role)
        assert {"notifications.view_message", "notifications.change_message"} <= p  # log and resend
        assert "notifications.delete_message" not in p
    assert "notifications.change_template" in perms(Role.OPERATOR)
    assert "notifications.change_template" not in perms(Role.DEPARTMENT_STAFF)
