"""Error codes as constants paired with their messages; messages built from the settings; views
branch on the constants, never on string literals."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

from portal.errors import ApplicationError
from queue_booking import errors, services
from tests.queue_booking.conftest import at, book, refused, slot_at

pytestmark = pytest.mark.django_db

TUE = dt.date(2026, 12, 1)
ROOT = Path(__file__).resolve().parents[2]


def test_item5_an_error_code_carries_its_code_and_message():
    exc = ApplicationError(errors.SLOT_FULL, field="slot")
    assert (exc.code, exc.field) == ("slot_full", "slot")
    with translation.override("en"):
        assert str(exc.message) == "This date and time has just been taken. Choose another one."


def test_item5_an_error_needs_a_code():
    with pytest.raises(TypeError):
        ApplicationError("no code")


def test_item5_q10_too_late_names_the_configured_minutes(settings, schedule, department, referral, staff_user):
    settings.QUEUE_LATE_MINUTES = 20
    booking = book(referral, slot_at(department, TUE, 10))
    with translation.override("en"):
        exc = refused(
            "too_late",
            services.booking_check_in,
            department=department,
            code=booking.ticket_number,
            actor_user=staff_user,
            now=at(TUE, 10, 21),
        )
        assert str(exc.message) == (
            "The person is more than 20 minutes late: the booking is annulled. "
            "They can be received today in the live queue, after those who booked."
        )
        exc = refused(
            "not_late_yet", services.booking_annul_late, booking=booking, actor_user=staff_user, now=at(TUE, 10, 16)
        )
        assert str(exc.message) == "The booking is not yet 20 minutes late, so it cannot be annulled."


@pytest.mark.parametrize("path", ["queue_booking/views.py", "queue_booking/apis.py"])
def test_item5_views_do_not_branch_on_error_code_literals(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert not re.findall(r"""code\s*(?:==|!=|in)\s*["'{(\[]""", source)
    assert not re.findall(r"""["']\w+["']\s*(?:==|!=)\s*\w*\.?code\b""", source)
