"""Fixtures of the queue's tests: a pilot region with one department, its schedule, a referral.

Time is frozen by passing ``now`` to the services: NOW is Monday 30 November 2026, 08:00 in Almaty.
The fixture ``person`` has consented to the processing of personal data (Q-12), as someone who
booked before has; tests that book for a new person give consent as the booking page does.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from portal import messaging
from portal.consent.models import Consent
from portal.consent.services import consent_give
from portal.errors import ApplicationError
from queue_booking import services
from queue_booking.models import Booking, Pilot, ReceptionSchedule, Slot
from queue_booking.services import reception_schedule_publish
from queue_booking.services.bookings import CONSENT_PURPOSE
from tests.portal.factories import AtuFactory, DepartmentFactory, PersonFactory, ReferralFactory, RegionFactory

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=ALMATY)
TODAY = NOW.date()


def publish_this_and_next_year(department, *, capacity: int = 1) -> None:
    """Publish the department's schedule for the current and the next year (real today)."""
    year = timezone.localdate().year
    for y in (year, year + 1):
        schedule = ReceptionSchedule.objects.create(department=department, year=y, capacity_per_slot=capacity)
        reception_schedule_publish(schedule=schedule)


def department_open_today(**department_fields):
    """A region with a pilot in force today and a department serving one ATU, with this year's and
    next year's schedule: for tests that book through the pages at the real date."""
    today = timezone.localdate()
    region = RegionFactory()
    atu = AtuFactory(region=region)
    pilot = Pilot.objects.create(
        name="pilot", starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=365)
    )
    pilot.regions.add(region)
    department = DepartmentFactory(region=region, atus=[atu], **department_fields)
    publish_this_and_next_year(department)
    return department


def working_today() -> None:
    """Make today a working day of the working calendar (a decreed working day), for tests of the
    desk at the real date: walk-ins are refused on weekends and holidays."""
    from portal.workcal.models import CalendarException

    CalendarException.objects.update_or_create(
        date=timezone.localdate(),
        defaults={"kind": CalendarException.Kind.WORKING_DAY, "name_ru": "рабочий день", "legal_basis": "test"},
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ALMATY)


def consenting(person, *, given_by=None, channel: str = Consent.Channel.PORTAL):
    """Q-12: ``person`` (or ``given_by``, their legal representative) consents to the processing of
    their personal data, through the consent service; returns the person."""
    consent_give(
        subject=person,
        given_by=given_by or person,
        scope=Consent.Scope.PERSONAL_DATA,
        purpose=str(CONSENT_PURPOSE),
        channel=channel,
    )
    return person


def slot_at(department, day: dt.date, hour: int, minute: int = 0) -> Slot:
    """The department's published slot at that day and time."""
    return Slot.objects.get(department=department, starts_at=at(day, hour, minute))


def book(referral, slot, *, actor=None, now=NOW, consent_channel=Consent.Channel.PORTAL) -> Booking:
    """Book as the booking page does: the person (or ``actor``, their representative) gives Q-12
    consent if not yet live."""
    return services.booking_create(
        referral=referral, slot_id=slot.pk, actor=actor or referral.person, now=now, consent_channel=consent_channel
    )


def new_referral(person, **fields):
    """A referral, signed at NOW, of a new person registered where ``person`` is."""
    return ReferralFactory(person=PersonFactory(registration_atu=person.registration_atu), signed_at=NOW, **fields)


def refused(expected: str, fn, **kwargs) -> ApplicationError:
    """Call ``fn``: it must refuse with the error code ``expected`` and a message; returns the error."""
    with pytest.raises(ApplicationError) as exc:
        fn(**kwargs)
    assert exc.value.code == expected
    assert str(exc.value.message)
    return exc.value


class Sent(list):
    """The SMS the code asked for, in order (each a dict of notify's keyword arguments:
    ``recipient``, ``template``, ``context``, ``dedupe_key`` and the options)."""

    @property
    def templates(self) -> list[str]:
        return [c["template"] for c in self]

    def of(self, template: str) -> list[dict]:
        return [c for c in self if c["template"] == template]


@pytest.fixture
def sent(monkeypatch):
    calls = Sent()
    original = messaging._sender

    def record(**kwargs):
        calls.append(kwargs)
        return original(**kwargs) if original else None

    monkeypatch.setattr(messaging, "_sender", record)
    return calls


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def pilot(region):
    # The act's window (22.11.2025-21.11.2026) extended by a year, so NOW is inside it.
    p = Pilot.objects.create(name="Akmola pilot", starts_on=dt.date(2025, 11, 22), ends_on=dt.date(2027, 11, 21))
    p.regions.add(region)
    return p


@pytest.fixture
def atu(region):
    return AtuFactory(region=region)


@pytest.fixture
def department(atu):
    return DepartmentFactory(region=atu.region, atus=[atu], number=3)


@pytest.fixture
def schedule(department, pilot):
    s = ReceptionSchedule.objects.create(department=department, year=2026, capacity_per_slot=1)
    reception_schedule_publish(schedule=s, now=NOW)
    return s


@pytest.fixture
def person(atu):
    return consenting(PersonFactory(registration_atu=atu))


@pytest.fixture
def referral(person):
    return ReferralFactory(person=person, signed_at=NOW - dt.timedelta(days=1))


@pytest.fixture
def staff_user(department):
    from portal.accounts.models import User

    return User.objects.create(username="desk", department=department, is_staff=True)
