"""Fixtures of the monthly reports' tests: two regions, a department in each, staff of every kind,
and October 2026's queue: visits, slots and SMS written directly with literal times."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from notifications.models import Message, Template
from portal.accounts.models import User
from portal.accounts.roles import Role
from queue_booking.models import Booking, Slot
from tests.portal.factories import DepartmentFactory, PersonFactory, RegionFactory

ALMATY = ZoneInfo("Asia/Almaty")
MONTH = dt.date(2026, 10, 1)


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=ALMATY)


@pytest.fixture
def akmola(db):
    return RegionFactory(kato="110000000", name_ru="Акмолинская область", name_en="Akmola Region")


@pytest.fixture
def karaganda(db):
    return RegionFactory(kato="350000000", name_ru="Карагандинская область", name_en="Karaganda Region")


@pytest.fixture
def dept_a(akmola):
    return DepartmentFactory(region=akmola, number=1)


@pytest.fixture
def dept_a2(akmola):
    return DepartmentFactory(region=akmola, number=2)


@pytest.fixture
def dept_k(karaganda):
    return DepartmentFactory(region=karaganda, number=7)


def staff(username: str, role: str, **fields) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username=username, password="x-Secret-123", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def provider_a(akmola):
    return staff("prov-a", Role.PROVIDER_STAFF, region=akmola)


@pytest.fixture
def desk_a(dept_a):
    return staff("desk-a", Role.DEPARTMENT_STAFF, department=dept_a, region=dept_a.region)


@pytest.fixture
def committee(db):
    return staff("committee", Role.COMMITTEE_STAFF)


_seq = iter(range(1, 100_000))


def visit(
    department,
    *,
    day: int,
    status: str,
    kind: str = Booking.Kind.BOOKED,
    arrived=None,
    called=None,
    finished=None,
    month=10,
):
    n = next(_seq)
    return Booking.objects.create(
        person=PersonFactory(),
        department=department,
        day=dt.date(2026, month, day),
        starts_at=at(day, 9, month=month),
        ticket_sequence=n,
        ticket_number=f"A{n:03d}",
        status=status,
        kind=kind,
        arrived_at=arrived,
        called_at=called,
        finished_at=finished,
    )


def sms(department, *, key: str, status: str, created: dt.datetime):
    n = next(_seq)
    template = Template.objects.get(key=key)
    message = Message.objects.create(
        template=template,
        template_version=1,
        dedupe_key=f"test-{n}",
        phone="+77010000000",
        language="ru",
        text="x",
        encoding=Message.Encoding.GSM7,
        segments=1,
        department=department,
        status=status,
    )
    Message.objects.filter(pk=message.pk).update(created_at=created)
    return message


@pytest.fixture
def october_queue(dept_a, dept_a2, dept_k):
    """Akmola's department 1 in October 2026:
    - 3 booked in advance and served, arrival 09:00: called 09:10, served 09:40 (waited 10 min, service
      30 min); called 10:10, served 10:30 (70, 20); called 09:20, served 11:30 (20, 130);
    - 1 booked and cancelled, 1 booked and annulled for lateness;
    - 2 walk-ins: one arrived 10:00, called 11:00, served 12:00 (exactly 1 h each); one arrived 10:00
      and left at 10:30 never called (waited 30 min, no service);
    - slots: 10 places published on 5 October, 4 taken;
    - SMS: 2 delivered, 1 failed for good, 1 still sent (and one in November, not counted).
    Department 2 (Akmola): 1 walk-in arrived 10:00, called 10:05, served 10:20 (5, 15), slots 5 places, 5 taken.
    Karaganda's department 7: 4 booked and cancelled, slots 8 places, 1 taken, 1 SMS delivered.
    A visit of 3 November 2026 in department 1 is not October's."""
    S, K = Booking.Status, Booking.Kind
    visit(dept_a, day=5, status=S.SERVED, arrived=at(5, 9), called=at(5, 9, 10), finished=at(5, 9, 40))
    visit(dept_a, day=6, status=S.SERVED, arrived=at(6, 9), called=at(6, 10, 10), finished=at(6, 10, 30))
    visit(dept_a, day=7, status=S.SERVED, arrived=at(7, 9), called=at(7, 9, 20), finished=at(7, 11, 30))
    visit(dept_a, day=8, status=S.CANCELLED)
    visit(dept_a, day=9, status=S.ANNULLED)
    visit(dept_a, day=12, status=S.SERVED, kind=K.WALK_IN, arrived=at(12, 10), called=at(12, 11), finished=at(12, 12))
    visit(dept_a, day=13, status=S.LEFT, kind=K.WALK_IN, arrived=at(13, 10), finished=at(13, 10, 30))
    visit(
        dept_a,
        day=3,
        month=11,
        status=S.SERVED,
        arrived=at(3, 9, month=11),
        called=at(3, 9, 5, month=11),
        finished=at(3, 9, 10, month=11),
    )
    visit(
        dept_a2,
        day=14,
        status=S.SERVED,
        kind=K.WALK_IN,
        arrived=at(14, 10),
        called=at(14, 10, 5),
        finished=at(14, 10, 20),
    )
    for _ in range(4):
        visit(dept_k, day=15, status=S.CANCELLED)
    for i in range(10):
        Slot.objects.create(
            department=dept_a, day=dt.date(2026, 10, 5), starts_at=at(5, 9, i * 5), capacity=1, booked=1 if i < 4 else 0
        )
    Slot.objects.create(department=dept_a2, day=dt.date(2026, 10, 5), starts_at=at(5, 9), capacity=5, booked=5)
    Slot.objects.create(department=dept_k, day=dt.date(2026, 10, 5), starts_at=at(5, 9), capacity=8, booked=1)
    D, F = Message.Status.DELIVERED, Message.Status.PERMANENT_FAILURE
    sms(dept_a, key="queue_booked", status=D, created=at(1, 0, 5))
    sms(dept_a, key="queue_reminder", status=D, created=at(31, 23, 50))
    sms(dept_a, key="queue_annulled", status=F, created=at(9, 12))
    sms(dept_a, key="queue_booked", status=Message.Status.SENT, created=at(20, 12))
    sms(dept_a, key="queue_booked", status=D, created=at(1, 0, 5, month=11))
    sms(dept_k, key="queue_booked", status=D, created=at(10, 12))
