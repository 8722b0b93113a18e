"""X-6: staff and experts see each case's remaining working hours, "due soon" (a setting, 2 working
hours by default) and "late", the most urgent first; the expert gets one SMS when a case turns due
soon. Working hours: 09:00-18:00 of working days (portal.workcal), Asia/Almaty."""

import pytest
from django.contrib.auth.models import Group

from mse_pilot.models import PanelAssignment
from mse_pilot.selectors import deadline_radar
from mse_pilot.services import cases_distribute, due_soon_warn
from mse_pilot.sms import PilotSms
from notifications.models import Message, Template
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.deadlines.states import deadline_state
from portal.workcal.services import working_hours_left
from tests.mse_pilot.conftest import almaty
from tests.mse_pilot.panel import ASTANA, draft_act, staff_expert

pytestmark = pytest.mark.django_db


def test_x6_working_hours_left_skip_nights_weekends_and_nauryz():
    # Tuesday 10:00 to 18:00: 8 working hours
    assert working_hours_left(almaty(2025, 11, 25, 10, 0), almaty(2025, 11, 25, 18, 0)) == 8
    # Friday 20 March 2026 17:00 to Thursday 26 March 18:00: 1 h on Friday, 21-25 off, 9 h Thursday
    assert working_hours_left(almaty(2026, 3, 20, 17, 0), almaty(2026, 3, 26, 18, 0)) == 10
    # 15 December 2025 16:30 to 17 December 18:00: 1.5 h + (16th off) + 9 h
    assert working_hours_left(almaty(2025, 12, 15, 16, 30), almaty(2025, 12, 17, 18, 0)) == 10.5
    # late: 18:00 Tuesday to 10:00 Wednesday is one working hour late
    assert working_hours_left(almaty(2025, 11, 26, 10, 0), almaty(2025, 11, 25, 18, 0)) == -1


def test_x6_due_soon_within_two_working_hours_by_default_and_a_setting(settings):
    assert deadline_state(remaining=2.0) == "due_soon"
    assert deadline_state(remaining=2.01) == "on_time"
    assert deadline_state(remaining=-0.5) == "late"
    assert deadline_state(remaining=0.0, late=True) == "late"
    settings.DEADLINES_DUE_SOON_WORKING_HOURS = 4
    assert deadline_state(remaining=3.5) == "due_soon"


def _two_cases():
    staff_expert(kato=ASTANA)
    staff_expert(kato=ASTANA)
    early = draft_act(almaty(2025, 11, 24, 9, 0))
    cases_distribute(now=almaty(2025, 11, 24, 10, 0))  # due Mon 24 Nov 18:00
    later = draft_act(almaty(2025, 11, 25, 9, 0))
    cases_distribute(now=almaty(2025, 11, 25, 10, 0))  # due Tue 25 Nov 18:00
    return early, later


def test_x6_radar_sorts_the_late_first_then_due_soon():
    early, later = _two_cases()
    radar = deadline_radar(now=almaty(2025, 11, 25, 16, 30))
    assert [(r.assignment.case_id, r.state, r.hours_left) for r in radar] == [
        (early.pk, "late", -7.5),  # 18:00 Monday to 16:30 Tuesday: 7.5 working hours late
        (later.pk, "due_soon", 1.5),
    ]


def test_x6_the_expert_gets_one_sms_when_a_case_turns_due_soon():
    _early, later = _two_cases()
    # Tuesday 12:00: the Tuesday case has 6 h left (no SMS); the Monday one is late (no due-soon SMS)
    assert due_soon_warn(now=almaty(2025, 11, 25, 12, 0)) == []
    sent = due_soon_warn(now=almaty(2025, 11, 25, 16, 0))
    member = PanelAssignment.objects.get(case=later)
    assert sent == [member.pk]
    message = Message.objects.get(template__key=PilotSms.EXPERT_DUE_SOON)
    assert message.recipient_id == member.expert.person_id
    assert str(later.public_id) in message.text
    assert "25.11.2025 18:00" in message.text
    # once: later runs send nothing more
    assert due_soon_warn(now=almaty(2025, 11, 25, 17, 0)) == []
    assert Message.objects.filter(template__key=PilotSms.EXPERT_DUE_SOON).count() == 1


def test_x6_the_due_soon_template_is_seeded_in_three_languages():
    template = Template.objects.get(key=PilotSms.EXPERT_DUE_SOON)
    assert "{case}" in template.text_ru
    assert "{due}" in template.text_kk
    assert "due by" in template.text_en


def test_x6_staff_page_and_admin_show_the_radar(client, monkeypatch):
    early, later = _two_cases()
    monkeypatch.setattr("django.utils.timezone.now", lambda: almaty(2025, 11, 25, 16, 30))
    user = User.objects.create(username="committee", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))
    client.force_login(user)
    page = client.get("/ru/pilot/radar/").content.decode()
    assert page.index(str(early.public_id)) < page.index(str(later.public_id))
    assert 'data-state="late"' in page
    assert 'data-state="due_soon"' in page
    assert "-7,50" in page
    admin = client.get("/admin/mse_pilot/panelassignment/")
    assert admin.status_code == 200
    assert "-7.50" in admin.content.decode()


def test_x6_an_expert_sees_only_their_own_cases(client):
    early, later = _two_cases()
    mine = PanelAssignment.objects.get(case=early)
    user = User.objects.create(username="expert", person=mine.expert.person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(user)
    page = client.get("/ru/pilot/radar/mine/").content.decode()
    assert str(early.public_id) in page
    assert str(later.public_id) not in page
