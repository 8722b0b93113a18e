"""X-6: one deadline radar across the apps, in working hours, for the staff member's area.

Each app registers its deadlines with ``portal.deadlines``; the test builds them in each app and
reads them on Friday 20 March 2026 at 16:30 (Asia/Almaty). Nauryz: Saturday 21 to Wednesday 25 March
2026 are days off (21-23 the holiday, 24-25 its transfers from the weekend), so the working hours after
Friday 18:00 start on Thursday 26 March at 09:00 (9 working hours a day, 09:00-18:00).

Akmola (department No. 1 serves the persons' ATU), by hand:
- remote pilot, an assignment of a draft received Thursday 19 March 15:00: due 18:00 that day (P-7),
  late by Friday's 09:00-16:30 = 7.5 working hours;
- remote pilot, a draft received Friday 09:00 still waiting: due 18:00 Friday, 1.5 h left: due soon;
- benefits, a decision due Thursday 26 March 18:00: 1.5 + 9 = 10.5 h;
- expert registry, a test to be taken by 26 March (inclusive, to the day's end): 10.5 h;
- queue, an incident found Friday 20 March 09:30: Q-13's 3 working days after the day found are
  26, 27 and 30 March: due Monday 30 March 18:00: 1.5 + 9 + 9 + 9 = 28.5 h;
- expert registry, a contract of a doctor included Friday 20 March, to be signed by Monday 30 March
  (E-6: the 3rd working day after inclusion): 28.5 h.
Karaganda has one deadline of each app, never shown to Akmola's staff.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from benefits.models import Application as BenefitApplication
from benefits.models import Channel, Programme, Stage
from expert_registry.models import Application as ExpertApplication
from expert_registry.models import Expert, ExpertContract, ModemLoan
from expert_registry.services.contracts import contract_sign_by
from mse_pilot.services import cases_distribute
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.deadlines.registry import DeadlineScope, deadline_sources
from portal.deadlines.selectors import radar_rows
from queue_booking.models import Incident
from queue_booking.services import incident_record
from tests.expert_registry.conftest import _private_root  # noqa: F401  (autouse: the registry's private files)
from tests.expert_registry.test_e3_state_checks import submitted
from tests.factories import AtuFactory, DepartmentFactory, PersonFactory, RegionFactory
from tests.mse_pilot.panel import ASTANA, draft_act, staff_expert

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2026, 3, 20, 16, 30, tzinfo=ALMATY)


def almaty(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


def _area(kato: str, name: str, atu_kato: str):
    region = RegionFactory(kato=kato, name_ru=name, name_en=name)
    atu = AtuFactory(region=region, kato=atu_kato)
    department = DepartmentFactory(region=region, atus=[atu])
    return region, atu, department


def _incident(department, found_at: dt.datetime) -> Incident:
    return incident_record(incident=Incident(title="SMS gateway down", department=department, found_at=found_at))


def _benefit(atu, due_at: dt.datetime) -> BenefitApplication:
    person = PersonFactory(registration_atu=atu)
    return BenefitApplication.objects.create(
        programme=Programme.FUNERAL,
        channel=Channel.PORTAL,
        stage=Stage.ACCEPTED,
        number=f"F-{person.pk}",
        applicant=person,
        applicant_iin=person.iin,
        subject_iin=PersonFactory().iin,  # the deceased
        submitted_at=almaty(2026, 3, 20, 9, 0),
        registered_at=almaty(2026, 3, 20, 9, 0),
        decision_due_at=due_at,
    )


def _doctor(region) -> ExpertApplication:
    application = submitted()
    Expert.objects.filter(pk=application.expert_id).update(region=region, department=None)
    application.refresh_from_db()
    return application


def _contract(region, *, included_on: dt.date, sign_by: dt.date) -> ExpertContract:
    application = _doctor(region)
    ExpertApplication.objects.filter(pk=application.pk).update(status=ExpertApplication.Status.INCLUDED)
    return ExpertContract.objects.create(
        application=application, expert=application.expert, content="contract", included_on=included_on, sign_by=sign_by
    )


def _test_due(region, deadline: dt.date) -> ExpertApplication:
    application = _doctor(region)
    ExpertApplication.objects.filter(pk=application.pk).update(
        status=ExpertApplication.Status.TESTING, test_notified_on=dt.date(2026, 3, 16), test_deadline=deadline
    )
    return application


@pytest.fixture
def world():
    akmola, atu_a, dept_a = _area("110000000", "Akmola Region", "111010000")
    karaganda, atu_k, dept_k = _area("350000000", "Karaganda Region", "351010000")
    # the remote pilot: experts of Astana, persons of Akmola and Karaganda
    staff_expert(kato=ASTANA)
    staff_expert(kato=ASTANA)
    assigned = draft_act(almaty(2026, 3, 19, 15, 0), person=PersonFactory(registration_atu=atu_a))
    cases_distribute(now=almaty(2026, 3, 19, 15, 30))
    waiting = draft_act(almaty(2026, 3, 20, 9, 0), person=PersonFactory(registration_atu=atu_a))
    waiting_k = draft_act(almaty(2026, 3, 20, 9, 0), person=PersonFactory(registration_atu=atu_k))
    return {
        "akmola": akmola,
        "karaganda": karaganda,
        "dept_a": dept_a,
        "dept_k": dept_k,
        "assigned": assigned,
        "waiting": waiting,
        "waiting_k": waiting_k,
        "incident": _incident(dept_a, almaty(2026, 3, 20, 9, 30)),
        "incident_k": _incident(dept_k, almaty(2026, 3, 20, 9, 30)),
        "benefit": _benefit(atu_a, almaty(2026, 3, 26, 18, 0)),
        "benefit_k": _benefit(atu_k, almaty(2026, 3, 26, 18, 0)),
        "test": _test_due(akmola, dt.date(2026, 3, 26)),
        "contract": _contract(akmola, included_on=dt.date(2026, 3, 20), sign_by=contract_sign_by(dt.date(2026, 3, 20))),
        "contract_k": _contract(karaganda, included_on=dt.date(2026, 3, 20), sign_by=dt.date(2026, 3, 30)),
    }


def _staff(username: str, role: str, **fields) -> User:
    user = User.objects.create_user(username=username, password="x-Secret-123", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def _seen(rows) -> list[tuple[str, str, float, str]]:
    return [(r.item.kind, r.item.reference, r.hours_left, r.state) for r in rows]


def test_x6_every_app_registers_its_deadlines():
    assert [s.kind for s in deadline_sources()] == [
        "benefit_application",
        "benefit_information",
        "expert_contract",
        "expert_modem_loan",
        "expert_test",
        "pilot_assignment",
        "pilot_waiting",
        "queue_incident",
    ]


def test_x6_q13_incident_found_on_the_friday_before_nauryz_is_due_monday_30_march_at_18(world):
    assert world["incident"].report_due_at == almaty(2026, 3, 30, 18, 0)
    assert world["contract"].sign_by == dt.date(2026, 3, 30)


def test_x6_region_radar_in_working_hours_across_nauryz_most_urgent_first(world):
    rows = radar_rows(scope=DeadlineScope.region(world["akmola"].pk), now=NOW)
    assert _seen(rows) == [
        ("pilot_assignment", str(world["assigned"].public_id), -7.5, "late"),
        ("pilot_waiting", str(world["waiting"].public_id), 1.5, "due_soon"),
        ("benefit_application", world["benefit"].number, 10.5, "on_time"),
        ("expert_test", str(world["test"].public_id), 10.5, "on_time"),
        ("queue_incident", f"№ {world['incident'].pk}", 28.5, "on_time"),
        ("expert_contract", str(world["contract"].public_id), 28.5, "on_time"),
    ]
    incident = rows[4]
    assert incident.item.due_at == almaty(2026, 3, 30, 18, 0)
    assert incident.department == world["dept_a"].name
    assert incident.item.url == f"/admin/queue_booking/incident/{world['incident'].pk}/change/"


def test_x6_due_soon_is_a_setting(world, settings):
    settings.DEADLINES_DUE_SOON_WORKING_HOURS = 11
    rows = radar_rows(scope=DeadlineScope.region(world["akmola"].pk), now=NOW)
    assert [r.state for r in rows] == ["late", "due_soon", "due_soon", "due_soon", "on_time", "on_time"]


def test_x6_a_reported_incident_a_signed_contract_and_a_decided_application_leave_the_radar(world):
    Incident.objects.filter(pk=world["incident"].pk).update(reported_at=NOW)
    ExpertContract.objects.filter(pk=world["contract"].pk).update(status=ExpertContract.Status.REFUSED)
    BenefitApplication.objects.filter(pk=world["benefit"].pk).update(stage=Stage.APPROVED)
    kinds = [r.item.kind for r in radar_rows(scope=DeadlineScope.region(world["akmola"].pk), now=NOW)]
    assert kinds == ["pilot_assignment", "pilot_waiting", "expert_test"]


def test_x6_radar_scope_another_regions_items_never_appear(world):
    akmola = radar_rows(scope=DeadlineScope.region(world["akmola"].pk), now=NOW)
    karaganda = radar_rows(scope=DeadlineScope.region(world["karaganda"].pk), now=NOW)
    references_k = {
        str(world["waiting_k"].public_id),
        f"№ {world['incident_k'].pk}",
        world["benefit_k"].number,
        str(world["contract_k"].public_id),
    }
    assert not references_k & {r.item.reference for r in akmola}
    assert {r.item.reference for r in karaganda} == references_k
    country = radar_rows(scope=DeadlineScope.country(), now=NOW)
    assert len(country) == 10


def test_x6_radar_scope_a_department_sees_its_own_not_the_regions_independent_doctors(world):
    rows = radar_rows(scope=DeadlineScope.department(world["dept_a"].pk), now=NOW)
    assert [r.item.kind for r in rows] == ["pilot_assignment", "pilot_waiting", "benefit_application", "queue_incident"]


def test_x6_radar_page_staff_of_the_region_filter_by_kind(world, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client.force_login(_staff("prov-a", Role.PROVIDER_STAFF, region=world["akmola"]))
    page = client.get(reverse("deadlines:radar"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="col">Working hours left</th>' in html
    assert html.count('data-state="late"') == 1
    assert html.count('data-state="due_soon"') == 1
    assert f'data-reference="№ {world["incident"].pk}"' in html
    assert f'data-reference="№ {world["incident_k"].pk}"' not in html
    assert "30.03.2026 18:00" in html
    assert "<td>28.50</td>" in html
    assert "<td>-7.50</td>" in html
    assert world["assigned"].person.iin not in html
    only = client.get(reverse("deadlines:radar"), {"kind": "queue_incident"}).content.decode()
    assert only.count("data-kind=") == 1
    assert 'data-kind="queue_incident"' in only


def test_x6_radar_page_scope_department_staff_never_see_another_regions_items(world, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client.force_login(_staff("desk-k", Role.DEPARTMENT_STAFF, department=world["dept_k"], region=world["karaganda"]))
    html = client.get(reverse("deadlines:radar")).content.decode()
    assert f'data-reference="№ {world["incident_k"].pk}"' in html
    for key in ("assigned", "waiting", "test", "contract"):
        assert str(world[key].public_id) not in html
    assert world["benefit"].number not in html
    assert f'data-reference="№ {world["incident"].pk}"' not in html


def test_x6_radar_page_is_for_staff_with_an_area_only(world, client):
    page = client.get(reverse("deadlines:radar"))
    assert page.status_code == 302
    assert "/accounts/" in page["Location"]
    citizen = User.objects.create_user(username="citizen", password="x-Secret-123", person=PersonFactory())
    client.force_login(citizen)
    assert client.get(reverse("deadlines:radar")).status_code == 403


def test_x6_radar_page_unknown_kind_is_a_clear_400(world, client):
    client.force_login(_staff("committee", Role.COMMITTEE_STAFF))
    page = client.get(reverse("deadlines:radar"), {"kind": "nonsense"})
    assert page.status_code == 400
    assert "unknown kind: nonsense" in page.content.decode()


def test_x6_e12_an_open_modem_loan_is_on_the_radar_until_returned():
    # given: an independent doctor of Akmola lent a modem on 2 March 2026, to be returned by Friday
    # 20 March 2026 (inclusive: to that day's end), and a loan of the same doctor already returned
    akmola, _atu, department = _area("110000000", "Akmola Region", "111010000")
    karaganda, _atu_k, _dept_k = _area("350000000", "Karaganda Region", "351010000")
    expert = _doctor(akmola).expert
    loan = ModemLoan.objects.create(
        expert=expert, serial_number="MDM-0001", issued_on=dt.date(2026, 3, 2), due_back_on=dt.date(2026, 3, 20)
    )
    ModemLoan.objects.create(
        expert=expert,
        serial_number="MDM-0002",
        issued_on=dt.date(2026, 2, 2),
        due_back_on=dt.date(2026, 3, 2),
        returned_on=dt.date(2026, 3, 2),
    )
    # when: Friday 20 March 16:30, the working day's last 1.5 hours
    [row] = radar_rows(scope=DeadlineScope.region(akmola.pk), now=NOW)
    # then: due soon, by the label and public id only, linked to the loan's admin page
    assert _seen([row]) == [("expert_modem_loan", str(loan.public_id), 1.5, "due_soon")]
    assert row.item.due_at == dt.datetime(2026, 3, 20, 23, 59, 59, 999999, tzinfo=ALMATY)
    assert row.item.label == "USB modem to return"
    assert row.item.url == f"/admin/expert_registry/modemloan/{loan.pk}/change/"
    assert row.item.region_id == akmola.pk
    assert expert.person.last_name not in row.item.label
    # Nauryz (21-25 March) over, Thursday 26 March 10:00: one working hour late
    [late] = radar_rows(scope=DeadlineScope.region(akmola.pk), now=almaty(2026, 3, 26, 10, 0))
    assert (late.hours_left, late.state) == (-1.0, "late")
    # the Committee sees it; another region and a department (the doctor is independent) never do
    assert [r.item.reference for r in radar_rows(scope=DeadlineScope.country(), now=NOW)] == [str(loan.public_id)]
    assert radar_rows(scope=DeadlineScope.region(karaganda.pk), now=NOW) == []
    assert radar_rows(scope=DeadlineScope.department(department.pk), now=NOW) == []
    # returned on 27 March: it leaves the radar
    ModemLoan.objects.filter(pk=loan.pk).update(returned_on=dt.date(2026, 3, 27))
    assert radar_rows(scope=DeadlineScope.country(), now=almaty(2026, 3, 27, 12, 0)) == []
