"""E-7: exclusion grounds 1-5 with evidence; 2-4 applied automatically from state-system events;
5 after the planned indicator was missed more than 3 times, and then never again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from expert_registry.models import Application, Expert, ExpertStateEvent
from expert_registry.selectors import expert_pool_for
from expert_registry.services.applications import application_submit
from expert_registry.services.exclusion import (
    expert_exclude,
    expert_indicator_missed_months,
    experts_state_events_poll,
)
from expert_registry.services.experts import expert_status_change
from expert_registry.services.work import work_record_case_decided, work_record_case_received
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.errors import ApplicationError, ConflictError
from portal.nosology.models import NosologyGroup
from portal.statedata.backends import shep
from portal.statedata.models import DemoRecord
from tests.expert_registry.test_e2_applications import INSIDE, announcement, data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
S = Expert.Status


def active_expert(*, since=dt.date(2026, 1, 15), planned=None, person=None):
    """An independent doctor-expert walked through the registry's statuses to active on ``since``."""
    expert = Expert.objects.create(
        person=person or PersonFactory(),
        kind=Expert.Kind.INDEPENDENT,
        position=Expert.Position.DOCTOR_EXPERT,
        status=S.APPLICANT,
        planned_monthly_cases=planned,
    )
    for status in (S.TESTING, S.INCLUDED, S.CONTRACT_PENDING, S.ACTIVE):
        expert = expert_status_change(expert=expert, to_status=status, actor=None, on_date=since)
    expert.nosology_groups.set([NosologyGroup.objects.get(number=2)])
    return expert


def decided(expert, day, n):
    for i in range(n):
        ref = f"{day:%Y%m%d}-{i}"
        moment = dt.datetime.combine(day, dt.time(11), tzinfo=ALMATY)
        work_record_case_received(expert=expert, case_ref=ref, received_at=moment, due_at=moment)
        work_record_case_decided(expert=expert, case_ref=ref, decided_at=moment)


def test_e7_grounds_2_to_4_applied_automatically_from_state_events():
    court, emigrated, died, well = (active_expert() for _ in range(4))
    DemoRecord.objects.create(
        system="court.capacity", key=court.person.iin, data={"date": "2026-04-02", "document": "решение суда № 2-123"}
    )
    DemoRecord.objects.create(
        system="migration.emigration", key=emigrated.person.iin, data={"date": "2026-04-10", "document": "форма 7"}
    )
    DemoRecord.objects.create(
        system="civil_registry.death",
        key=died.person.iin,
        data={"death_date": "2026-04-12", "certificate_number": "АЗ-777"},
    )
    excluded = experts_state_events_poll(today=dt.date(2026, 4, 15))
    assert sorted(excluded) == sorted([court.pk, emigrated.pk, died.pk])
    grounds = dict(Expert.objects.filter(status=S.EXCLUDED).values_list("pk", "exclusion_ground"))
    assert grounds == {court.pk: 2, emigrated.pk: 3, died.pk: 4}
    assert Expert.objects.get(pk=well.pk).status == S.ACTIVE
    change = court.history.get(to_status=S.EXCLUDED)
    assert (change.exclusion_ground, change.effective_from, change.actor) == (2, dt.date(2026, 4, 15), None)
    assert "решение суда № 2-123" in change.evidence
    assert "02.04.2026" in change.evidence
    assert ExpertStateEvent.objects.get(expert=died).event_date == dt.date(2026, 4, 12)
    # the next day's poll changes nothing
    assert experts_state_events_poll(today=dt.date(2026, 4, 16)) == []
    assert ExpertStateEvent.objects.count() == 3


def test_e7_an_event_dated_later_and_an_unavailable_system_exclude_no_one(settings, monkeypatch):
    later, unknown = active_expert(), active_expert()
    DemoRecord.objects.create(
        system="court.capacity", key=later.person.iin, data={"date": "2026-05-01", "document": "x"}
    )
    assert experts_state_events_poll(today=dt.date(2026, 4, 15)) == []
    settings.STATEDATA_BACKENDS = {"civil_registry.death": "shep"}
    settings.STATEDATA_SHEP_URL = "https://gateway.example.kz/shep"
    monkeypatch.setattr(shep, "transport", lambda url, body, timeout: (504, b""))
    assert experts_state_events_poll(today=dt.date(2026, 4, 15)) == []
    assert set(Expert.objects.filter(pk__in=[later.pk, unknown.pk]).values_list("status", flat=True)) == {S.ACTIVE}
    # the court's decision on its day, asked again once the gateway answers "no record"
    monkeypatch.setattr(shep, "transport", lambda url, body, timeout: (200, b'{"status": "not_found"}'))
    assert experts_state_events_poll(today=dt.date(2026, 5, 1)) == [later.pk]


def test_e7_every_ground_needs_its_evidence_and_an_expert_in_the_registry():
    expert = active_expert()
    with pytest.raises(ApplicationError) as exc:
        expert_exclude(expert=expert, ground=1, evidence="  ", actor=None)
    assert exc.value.code == "evidence_required"
    with pytest.raises(ApplicationError) as exc:
        expert_exclude(expert=expert, ground=6, evidence="x", actor=None)
    assert exc.value.code == "exclusion_ground_required"
    expert_exclude(expert=expert, ground=1, evidence="заявление от 01.04.2026", actor=None, on_date=dt.date(2026, 4, 1))
    expert.refresh_from_db()
    with pytest.raises(ConflictError) as exc:
        expert_exclude(expert=expert, ground=4, evidence="x", actor=None)
    assert exc.value.code == "not_in_registry"


def test_e7_ground_1_the_experts_own_application_in_the_cabinet(client):
    expert = active_expert()
    user = User.objects.create(username="doctor", person=expert.person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    client.force_login(user)
    assert "data-own-exclusion" in client.get(reverse("expert_registry:cabinet")).content.decode()
    assert client.post(reverse("expert_registry:own-exclusion"), {"reason": ""}).status_code == 400
    assert Expert.objects.get(pk=expert.pk).status == S.ACTIVE
    response = client.post(reverse("expert_registry:own-exclusion"), {"confirm": "on", "reason": "переезд"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.status, expert.exclusion_ground) == (S.EXCLUDED, 1)
    change = expert.history.get(to_status=S.EXCLUDED)
    assert "appendix 6" in change.evidence
    assert "переезд" in change.evidence
    assert change.actor == user
    # after ground 1 the doctor may apply again
    application = application_submit(
        announcement=announcement(), person=expert.person, data=data(), actor=None, now=INSIDE
    )
    assert application.expert_id == expert.pk


def _missing_four_months():
    """Active from 15.01.2026 with 10 cases a month planned: February met, March 9, April 5, May 0,
    June met (incapacity in July excuses it), August 2."""
    expert = active_expert(planned=10)
    decided(expert, dt.date(2026, 2, 10), 10)
    decided(expert, dt.date(2026, 3, 31), 9)
    decided(expert, dt.date(2026, 4, 1), 5)
    decided(expert, dt.date(2026, 6, 30), 10)
    expert = expert_status_change(
        expert=expert, to_status=S.INCAPACITATED, actor=None, on_date=dt.date(2026, 7, 6), until=dt.date(2026, 7, 17)
    )
    expert = expert_status_change(expert=expert, to_status=S.ACTIVE, actor=None, on_date=dt.date(2026, 7, 18))
    decided(expert, dt.date(2026, 8, 3), 2)
    return expert


def test_e7_ground_5_needs_the_indicator_missed_more_than_3_times():
    expert = _missing_four_months()
    # on 31.08.2026 August is not over: March, April, May = 3 times, not "more than 3"
    assert expert_indicator_missed_months(expert=expert, today=dt.date(2026, 8, 31)) == [
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 1),
    ]
    with pytest.raises(ConflictError) as exc:
        expert_exclude(expert=expert, ground=5, evidence="решение Комитета", actor=None, on_date=dt.date(2026, 8, 31))
    assert exc.value.code == "indicator_not_missed"
    assert "03.2026, 04.2026, 05.2026" in str(exc.value.message)
    # on 01.09.2026 August counts: 4 times
    expert_exclude(expert=expert, ground=5, evidence="решение Комитета", actor=None, on_date=dt.date(2026, 9, 1))
    expert.refresh_from_db()
    assert (expert.status, expert.exclusion_ground) == (S.EXCLUDED, 5)
    assert "03.2026, 04.2026, 05.2026, 08.2026" in expert.history.get(to_status=S.EXCLUDED).evidence


def test_e7_after_ground_5_a_new_application_by_the_same_iin_is_refused_for_ever():
    expert = _missing_four_months()
    expert_exclude(expert=expert, ground=5, evidence="решение Комитета", actor=None, on_date=dt.date(2026, 9, 1))
    for year in (2027, 2035):
        a = announcement()
        a.acceptance_starts_on, a.acceptance_ends_on = dt.date(year, 1, 5), dt.date(year, 1, 16)
        a.save()
        with pytest.raises(ApplicationError) as exc:
            application_submit(
                announcement=a,
                person=expert.person,
                data=data(),
                actor=None,
                now=dt.datetime(year, 1, 6, 10, tzinfo=ALMATY),
            )
        assert exc.value.code == "excluded_for_ever"
    assert not Application.objects.filter(person=expert.person).exists()
    assert Expert.objects.get(pk=expert.pk).status == S.EXCLUDED


def test_e7_excluded_or_incapacitated_expert_is_not_in_the_pool():
    group = NosologyGroup.objects.get(number=2)
    working, excluded, ill = active_expert(), active_expert(), active_expert()
    expert_exclude(expert=excluded, ground=3, evidence="migration", actor=None, on_date=dt.date(2026, 4, 1))
    expert_status_change(
        expert=ill, to_status=S.INCAPACITATED, actor=None, on_date=dt.date(2026, 4, 1), until=dt.date(2026, 4, 10)
    )

    def pool(day):
        return set(
            expert_pool_for(
                nosology_group=group, role=Expert.Position.DOCTOR_EXPERT, exclude_region=None, on_date=day
            ).values_list("pk", flat=True)
        )

    assert pool(dt.date(2026, 4, 1)) == pool(dt.date(2026, 4, 10)) == {working.pk}
    # the day after the incapacity the doctor receives cases again; the excluded one never
    assert pool(dt.date(2026, 4, 11)) == {working.pk, ill.pk}
