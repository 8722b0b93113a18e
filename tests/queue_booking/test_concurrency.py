"""No overbooking under real concurrency: several connections race for the last place (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from portal.errors import ApplicationError
from queue_booking import services
from queue_booking.models import Booking, Slot
from tests.factories import PersonFactory, ReferralFactory
from tests.queue_booking.conftest import NOW, at, consenting

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has one writer at a time (IMMEDIATE transactions), so there is no race",
    ),
]

TUE = NOW.date().replace(month=12, day=1)


def _race(calls):
    """Run the calls at once, each on its own database connection; returns (ok results, error codes)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except ApplicationError as exc:
            results[i] = ("error", exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return [r[1] for r in results if r[0] == "ok"], [r[1] for r in results if r[0] == "error"]


def test_q6_last_place_goes_to_exactly_one_of_concurrent_bookings(schedule, department, person):
    slot = Slot.objects.get(department=department, starts_at=at(TUE, 10))
    referrals = [
        ReferralFactory(person=consenting(PersonFactory(registration_atu=person.registration_atu)), signed_at=NOW)
        for _ in range(8)
    ]
    calls = [
        (lambda r=r: services.booking_create(referral=r, slot_id=slot.pk, actor=r.person, now=NOW)) for r in referrals
    ]
    ok, errors = _race(calls)
    assert len(ok) == 1
    assert errors == ["slot_full"] * 7
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Booking.objects.filter(slot=slot).count() == 1


def test_q9_double_submission_of_one_referral_books_once(schedule, department, referral):
    slots = [Slot.objects.get(department=department, starts_at=at(TUE, h)) for h in (9, 10, 11, 12)]
    calls = [
        (lambda s=s: services.booking_create(referral=referral, slot_id=s.pk, actor=referral.person, now=NOW))
        for s in slots
    ]
    ok, errors = _race(calls)
    assert len(ok) == 1
    assert errors == ["already_booked"] * 3
    assert Booking.objects.filter(referral=referral).count() == 1
    assert sum(Slot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == 1


def test_q7_concurrent_bookings_of_one_day_get_distinct_tickets(schedule, department, person):
    slots = [Slot.objects.get(department=department, starts_at=at(TUE, h)) for h in (9, 10, 11, 12)]
    referrals = [
        ReferralFactory(person=consenting(PersonFactory(registration_atu=person.registration_atu)), signed_at=NOW)
        for _ in slots
    ]
    calls = [
        (lambda r=r, s=s: services.booking_create(referral=r, slot_id=s.pk, actor=r.person, now=NOW).ticket_number)
        for r, s in zip(referrals, slots, strict=True)
    ]
    ok, errors = _race(calls)
    assert errors == []
    assert sorted(ok) == ["03-0112-001", "03-0112-002", "03-0112-003", "03-0112-004"]
