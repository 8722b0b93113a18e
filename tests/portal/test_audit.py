"""X-5: state changes of the shared core are audited: who, when, from what, to what."""

import datetime as dt

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.utils import timezone

from portal.accounts.models import User
from portal.referrals.models import Referral
from tests.factories import AtuFactory, DepartmentFactory, MedicalOrganisationFactory, PersonFactory, ReferralFactory
from tests.signing import signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return User.objects.create_user(username="staff-audit", password="demo-pass-2026", is_staff=True)


def last_update(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.UPDATE).latest("timestamp")


def test_x5_person_change_logged_with_actor_and_before_after(staff):
    person = PersonFactory(phone="+77015550001")
    with set_actor(staff):
        person.phone = "+77015550002"
        person.save()
    entry = last_update(person)
    assert entry.actor == staff
    assert entry.changes_dict["phone"] == ["+77015550001", "+77015550002"]
    assert entry.timestamp <= timezone.now()


def test_x5_referral_state_change_logged_with_actor_and_before_after(staff):
    referral = ReferralFactory(status=Referral.Status.ROUTED)
    with set_actor(staff):
        referral.status = Referral.Status.CLOSED
        referral.save()
    entry = last_update(referral)
    assert entry.actor == staff
    assert entry.changes_dict["status"] == ["routed", "closed"]


def test_x5_department_change_and_its_atus_logged(staff):
    department = DepartmentFactory(room_ru="5")
    atu = AtuFactory()
    with set_actor(staff):
        department.room_ru = "12"
        department.save()
        department.atus.add(atu)
    entry = last_update(department)
    assert entry.actor == staff
    entries = list(LogEntry.objects.get_for_object(department).filter(actor=staff))
    assert [e.changes_dict["room_ru"] for e in entries if "room_ru" in e.changes_dict] == [["5", "12"]]
    assert any("atus" in e.changes_dict for e in entries)


def test_x5_creation_and_deletion_are_logged_too(staff):
    with set_actor(staff):
        person = PersonFactory()
        pk = person.pk
        person.delete()
    actions = set(
        LogEntry.objects.filter(content_type__model="person", object_pk=str(pk)).values_list("action", flat=True)
    )
    assert {LogEntry.Action.CREATE, LogEntry.Action.DELETE} <= actions


def test_x5_api_change_by_integrator_token_names_the_integrator_as_actor(api_client, integrator):
    organisation = MedicalOrganisationFactory(integrator=integrator)
    person = PersonFactory()
    response = api_client.post(
        "/api/v1/referrals/",
        signed(
            {
                "person_iin": person.iin,
                "organisation_bin": organisation.bin,
                "external_id": "031-audit-1",
                "icd10": "Q90",
                "signed_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
                "vkk_chair_name": "Ахметова Г. С.",
            }
        ),
        format="json",
    )
    assert response.status_code == 201
    referral = Referral.objects.get(external_id="031-audit-1")
    entries = LogEntry.objects.get_for_object(referral)
    assert entries.filter(action=LogEntry.Action.CREATE).get().actor == integrator.user
    routed = entries.filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert routed.actor == integrator.user
    assert routed.changes_dict["status"] == ["received", "routed"]


def test_x5_staff_session_change_names_the_staff_member(client, staff):
    # an admin edit goes through the request: the audit middleware takes the signed-in user
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    person = PersonFactory(phone="+77015550003")
    response = client.post(
        f"/admin/people/person/{person.pk}/change/",
        {
            "iin": person.iin,
            "last_name": "Новикова",
            "first_name": person.first_name,
            "patronymic": person.patronymic,
            "birth_date": person.birth_date.isoformat(),
            "phone": person.phone,
            "preferred_language": person.preferred_language,
            "registration_atu": person.registration_atu_id,
            "registration_address": person.registration_address,
            "wardships-TOTAL_FORMS": "0",
            "wardships-INITIAL_FORMS": "0",
            "wardships-MIN_NUM_FORMS": "0",
            "wardships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = last_update(person)
    assert entry.actor == staff
    assert entry.changes_dict["last_name"] == [person.last_name, "Новикова"]


def test_x5_password_hash_never_in_the_audit_log(staff):
    with set_actor(staff):
        staff.set_password("another-demo-pass-2026")
        staff.save()
    for entry in LogEntry.objects.get_for_object(staff):
        assert "password" not in entry.changes_dict
