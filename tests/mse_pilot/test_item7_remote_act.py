"""Item 7: a decided remote case's act is registered; the person gets one SMS in their language
(the core's "result ready", sent on ``act_registered``: the pilot sends no second one), and sees
in the cabinet the case's stage and due time, then the results."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from mse_pilot.models import RemoteCase
from notifications.models import Message
from portal.accounts.models import User
from portal.accounts.roles import Role
from tests.mse_pilot.workspace import distributed_case, person_with_department, sign
from tests.portal.factories import GuardianshipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "сараптаманың нәтижесі дайын"), ("ru", "экспертизы готов"), ("en", "your MSE result is ready")],
)
def test_item7_the_person_gets_one_sms_in_their_language_when_the_act_is_registered(language, expected):
    person, _department = person_with_department(preferred_language=language)
    case, experts = distributed_case(person=person)
    sign(case, experts["expert_head"])
    case.refresh_from_db()
    # the register's one "result ready" (the benefits' S-7 offer that follows is theirs, not a second result SMS)
    messages = [m for m in Message.objects.filter(recipient=person) if not m.template.key.startswith("benefit_")]
    assert [m.template.key for m in messages] == ["act_result_ready"]  # one SMS, not two
    assert messages[0].language == language
    assert expected in messages[0].text
    assert case.act.number in messages[0].text


def cabinet_user(client, person):
    user = User.objects.create(username=f"citizen-{person.pk}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(user)
    return user


def test_item7_the_cabinet_shows_the_stage_and_due_time_then_the_result(client):
    person, _department = person_with_department()
    case, experts = distributed_case(person=person)
    _other, _ = distributed_case()  # someone else's case
    cabinet_user(client, person)
    assert "/pilot/mine/" in client.get("/ru/queue/").content.decode()  # linked from the cabinet
    page = client.get("/ru/pilot/mine/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'data-case="{case.public_id}"' in page
    assert f'data-case="{_other.public_id}"' not in page
    assert 'data-stage="assigned"' in page
    assert f"{timezone.localtime(case.due_at):%d.%m.%Y %H:%M}" in page
    sign(case, experts["expert_head"])
    case.refresh_from_db()
    page = client.get("/ru/pilot/mine/").content.decode()
    assert 'data-stage="registered"' in page
    assert case.act.number in page
    assert "/acts/results/" in page
    results = client.get("/ru/acts/results/").content.decode()  # the core's results page
    assert case.act.number in results


def test_item7_a_representative_sees_the_wards_remote_case(client):
    ward, _department = person_with_department()
    parent = PersonFactory(registration_atu=ward.registration_atu)
    GuardianshipFactory(representative=parent, ward=ward, valid_from=timezone.localdate().replace(year=2020))
    case, _experts = distributed_case(person=ward)
    cabinet_user(client, parent)
    page = client.get("/ru/pilot/mine/").content.decode()
    assert f'data-case="{case.public_id}"' in page
    assert RemoteCase.objects.filter(person=ward).count() == 1
