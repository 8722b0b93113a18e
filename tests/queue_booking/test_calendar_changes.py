"""Issue 8 point 1 from the queue's side: calendar edits move bookings through the service only."""

import datetime as dt
import json

import pytest
from django.core import serializers
from django.utils import timezone

from portal.territory.models import Region
from portal.workcal.models import CalendarException
from portal.workcal.services import calendar_exception_save, is_working_day
from queue_booking.models import Booking, Slot
from tests.queue_booking.conftest import NOW, book, department_open_today, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)


def test_item1_a_failing_app_does_not_block_the_queue_moving_bookings(
    schedule, department, referral, sent, failing_calendar_receiver
):
    booking = book(referral, slot_at(department, TUE, 10))
    report = calendar_exception_save(
        exception=CalendarException(date=TUE, kind="day_off", name_ru="перенос", legal_basis="decree"), now=NOW
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.TO_REBOOK
    assert [m["recipient"] for m in sent.of("queue_rebook")] == [referral.person]
    assert report.failed_apps == ["Benefits"]
    assert report.said == [
        "1 booking of the electronic queue fell on a day that is no longer a working day: "
        'it moved to "to rebook" and the person was sent an SMS.'
    ]
    assert not Region.objects.filter(kato="999999999").exists()


def test_item1_loaddata_of_a_day_off_moves_no_booking(schedule, department, referral, sent):
    booking = book(referral, slot_at(department, TUE, 10))
    fixture = json.dumps(
        [
            {
                "model": "workcal.calendarexception",
                "fields": {
                    "date": TUE.isoformat(),
                    "kind": "day_off",
                    "name_kk": "",
                    "name_ru": "перенос",
                    "legal_basis": "decree",
                    "created_at": "2026-11-01T00:00:00Z",
                    "updated_at": "2026-11-01T00:00:00Z",
                },
            }
        ]
    )
    for obj in serializers.deserialize("json", fixture):
        obj.save()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert sent.of("queue_rebook") == []


def test_item1_admin_names_the_app_that_failed_and_keeps_the_edit(admin_client, failing_calendar_receiver):
    response = admin_client.post(
        "/admin/workcal/calendarexception/add/",
        {"date": "2026-12-18", "kind": "day_off", "name_ru": "Перенос", "legal_basis": "Постановление"},
        follow=True,
    )
    assert response.status_code == 200
    assert CalendarException.objects.filter(date=dt.date(2026, 12, 18)).count() == 1
    assert "The calendar change is saved, but &quot;Benefits&quot; could not apply it" in response.text


def test_item1_admin_bulk_delete_gives_the_days_back_to_the_queue(admin_client):
    # given: two days off entered through the service (the admin runs at the real time)
    department = department_open_today()
    today = timezone.localdate()
    days = [d for d in (today + dt.timedelta(days=n) for n in range(7, 21)) if is_working_day(d)][:2]
    rows = [CalendarException(date=d, kind="day_off", name_ru="перенос", legal_basis="decree") for d in days]
    for row in rows:
        calendar_exception_save(exception=row)
    assert not Slot.objects.filter(department=department, day__in=days, capacity__gt=0).exists()
    # when: staff delete both with the admin's bulk action
    response = admin_client.post(
        "/admin/workcal/calendarexception/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
        follow=True,
    )
    # then: the days are working days again, with their places
    assert response.status_code == 200
    assert not CalendarException.objects.exists()
    assert set(Slot.objects.filter(department=department, day__in=days).values_list("day", flat=True)) == set(days)
    assert not Slot.objects.filter(department=department, day__in=days, capacity=0).exists()
