"""Item 1: one registry of experts of both kinds, status with dated history, bank details, the pool."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from expert_registry.models import Expert
from expert_registry.selectors import expert_pool_for
from expert_registry.services.experts import expert_bank_details_set, expert_register_staff, expert_status_change
from expert_registry.services.work import work_record_case_decided, work_record_case_received
from portal.errors import ApplicationError, ConflictError
from portal.nosology.models import NosologyGroup
from tests.factories import DepartmentFactory, PersonFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 2)


def staff_expert(position=Expert.Position.EXPERT_HEAD, department=None, groups=None):
    department = department or DepartmentFactory(region=RegionFactory(kato="750000000", name_ru="г. Алматы"))
    return expert_register_staff(
        person=PersonFactory(),
        position=position,
        department=department,
        nosology_groups=groups if groups is not None else [NosologyGroup.objects.get(number=2)],
        actor=None,
        on_date=DAY,
    )


def test_item1_staff_expert_has_department_region_and_history():
    expert = staff_expert()
    assert expert.kind == Expert.Kind.DEPARTMENT_STAFF
    assert expert.region_id == expert.department.region_id
    assert [(h.from_status, h.to_status, h.effective_from) for h in expert.history.all()] == [("", "active", DAY)]


def test_item1_status_change_dated_with_actor_and_audited():
    actor = UserFactory()
    expert = staff_expert()
    expert_status_change(
        expert=expert,
        to_status=Expert.Status.INCAPACITATED,
        actor=actor,
        on_date=dt.date(2025, 6, 10),
        until=dt.date(2025, 6, 20),
        evidence="лист нетрудоспособности № 5",
    )
    row = expert.history.last()
    assert (row.from_status, row.to_status, row.effective_until, row.actor) == (
        "active",
        "incapacitated",
        dt.date(2025, 6, 20),
        actor,
    )
    assert LogEntry.objects.get_for_object(expert).filter(changes__icontains="incapacitated").exists()


def test_item1_exclusion_needs_a_ground_and_refused_transition():
    expert = staff_expert()
    with pytest.raises(ApplicationError) as exc:
        expert_status_change(expert=expert, to_status=Expert.Status.EXCLUDED, actor=None)
    assert exc.value.code == "exclusion_ground_required"
    with pytest.raises(ConflictError) as exc:
        expert_status_change(expert=expert, to_status=Expert.Status.TESTING, actor=None)
    assert exc.value.code == "status_transition_not_allowed"
    expert_status_change(expert=expert, to_status=Expert.Status.EXCLUDED, actor=None, ground=4)
    expert.refresh_from_db()
    assert (expert.status, expert.exclusion_ground) == ("excluded", 4)


def test_item1_iban_checksum_refused_and_kz_iban_accepted():
    expert = staff_expert()
    with pytest.raises(ApplicationError) as exc:
        expert_bank_details_set(expert=expert, bank_name="Halyk", iban="KZ87125KZT5004100100", bic="HSBKKZKX")
    assert (exc.value.code, exc.value.field) == ("iban_invalid", "iban")
    with pytest.raises(ApplicationError) as exc:
        expert_bank_details_set(expert=expert, bank_name="X", iban="DE89370400440532013000", bic="HSBKKZKX")
    assert exc.value.code == "iban_not_kz"
    with pytest.raises(ApplicationError) as exc:
        expert_bank_details_set(expert=expert, bank_name="X", iban="KZ86125KZT5004100100", bic="HSBK1")
    assert exc.value.code == "bic_invalid"
    expert_bank_details_set(expert=expert, bank_name="Halyk", iban="kz86 125K ZT50 0410 0100", bic="hsbkkzkx")
    expert.refresh_from_db()
    assert (expert.iban, expert.bic, expert.account_type) == ("KZ86125KZT5004100100", "HSBKKZKX", "текущий")


def test_item1_pool_active_competent_other_region_not_incapacitated_least_loaded_first():
    down = NosologyGroup.objects.get(number=2)
    amputation = NosologyGroup.objects.get(number=1)
    home = DepartmentFactory()
    busy = staff_expert()
    free = staff_expert()
    same_region = staff_expert(department=DepartmentFactory(region=home.region))
    chief = staff_expert(position=Expert.Position.CHIEF_SPECIALIST)
    other_form = staff_expert(groups=[amputation])
    ill = staff_expert()
    expert_status_change(
        expert=ill,
        to_status=Expert.Status.INCAPACITATED,
        actor=None,
        on_date=dt.date(2025, 6, 10),
        until=dt.date(2025, 6, 20),
    )
    gone = staff_expert()
    expert_status_change(expert=gone, to_status=Expert.Status.EXCLUDED, actor=None, ground=1)
    received = dt.datetime(2025, 6, 9, 10, tzinfo=dt.UTC)
    work_record_case_received(expert=busy, case_ref="c1", received_at=received, due_at=received)
    work_record_case_received(expert=busy, case_ref="c1", received_at=received, due_at=received)  # idempotent
    work_record_case_received(expert=free, case_ref="c2", received_at=received, due_at=received)
    work_record_case_decided(expert=free, case_ref="c2", decided_at=received)

    def pool(day):
        return list(
            expert_pool_for(
                nosology_group=down, role=Expert.Position.EXPERT_HEAD, exclude_region=home.region, on_date=day
            )
        )

    on_15 = pool(dt.date(2025, 6, 15))
    assert on_15 == [free, busy]
    assert [e.open_cases for e in on_15] == [0, 1]
    assert ill in pool(dt.date(2025, 6, 21))
    assert same_region not in on_15
    assert chief not in on_15
    assert other_form not in on_15
    assert gone not in on_15
