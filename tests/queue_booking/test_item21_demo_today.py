"""p21: the demo gives the staff desk a visit today when today is a working day."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from portal.workcal.models import CalendarException
from queue_booking import demo
from queue_booking.models import Booking
from tests.queue_booking.conftest import at

pytestmark = pytest.mark.django_db


def _next(weekday: int) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_item21_demo_books_a_visit_today_on_a_working_day():
    # given: next Monday at 08:00, decreed a working day whatever the holidays
    monday = _next(0)
    CalendarException.objects.create(
        date=monday, kind=CalendarException.Kind.WORKING_DAY, name_ru="рабочий день", legal_basis="test"
    )
    out = io.StringIO()
    # when
    demo.seed(stdout=out, now=at(monday, 8))
    # then: the first free time of the day, 09:00, is booked
    today = Booking.objects.filter(day=monday, status=Booking.Status.BOOKED)
    assert today.count() == 1
    assert timezone.localtime(today.get().starts_at).time() == dt.time(9, 0)
    assert "a booking today at 09:00 for the desk" in out.getvalue()
    # and a second run adds nothing
    demo.seed(stdout=io.StringIO(), now=at(monday, 8, 30))
    assert Booking.objects.filter(day=monday).count() == 1


def test_item21_demo_books_nobody_today_on_a_sunday():
    sunday = _next(6)
    out = io.StringIO()
    demo.seed(stdout=out, now=at(sunday, 8))
    assert not Booking.objects.filter(day=sunday).exists()
    assert Booking.objects.count() == 3
    assert "no booking today (a day off, or no free time left today)" in out.getvalue()
