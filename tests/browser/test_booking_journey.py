"""End to end in real headless Chromium: sign in, book, see the ticket, cancel; axe-core on each page.

Run with ``pytest -m browser tests/browser``. Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH)
and the ``playwright`` and ``axe-playwright-python`` wheels; skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.consent.models import Consent
from queue_booking.models import Booking
from queue_booking.services.tickets import ticket_number_next
from tests.factories import (
    UserFactory,
)

# The live server needs committed data, so these tests are transactional: the database is flushed
# after each, taking the migrations' data (the role groups) with it; ``booking_world`` puts the
# groups back.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_x2_sign_in_book_see_ticket_and_cancel_in_chromium(live_server, page, axe_check, sms, booking_world):
    base = live_server.url
    person = booking_world["person"]

    # home -> the cabinet asks for sign-in
    page.goto(f"{base}/en/")
    axe_check(page, label="home")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.goto(f"{base}/en/queue/")
    page.wait_for_url(re.compile(r"/en/accounts/sign-in/\?next="))
    axe_check(page, label="sign-in")

    # a wrong IIN: the error summary is focused and linked to the field
    page.get_by_label("IIN", exact=True).fill("123")
    page.get_by_role("button", name="Send a code by SMS").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    axe_check(page, label="sign-in with an error")

    # IIN, then the code from the SMS
    page.get_by_label("IIN", exact=True).fill(person.iin)
    page.get_by_role("button", name="Send a code by SMS").click()
    page.wait_for_url(re.compile(r"/accounts/sign-in/code/"))
    axe_check(page, label="code")
    code = next(m for m in reversed(sms) if m["template"] == "sign_in_code")["context"]["code"]
    page.get_by_label("Code from the SMS").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/en/queue/")
    axe_check(page, label="cabinet")

    # step 1: the referral (the only one is preselected)
    page.get_by_role("link", name="Book an examination").first.click()
    page.wait_for_url(f"{base}/en/queue/book/")
    assert page.get_by_role("link", name="Watch the video instruction: how to book").is_visible()
    axe_check(page, label="step 1")
    page.get_by_role("button", name="Continue").click()

    # step 2: the date; first without a choice, to see the error summary
    page.wait_for_url(re.compile(r"/en/queue/book/[0-9a-f-]{36}/$"))
    axe_check(page, label="step 2")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("[data-error-summary]")
    axe_check(page, label="step 2 with an error")
    page.get_by_role("link", name="Choose a date.").click()
    assert page.evaluate("document.activeElement.id") == "id_day_0"
    page.keyboard.press("Space")
    page.get_by_role("button", name="Continue").click()

    # step 3: the time, chosen and confirmed by keyboard alone (a redirect keeps the #fragment)
    page.wait_for_url(re.compile(r"/en/queue/book/[0-9a-f-]{36}/\d{4}-\d{2}-\d{2}/(#.*)?$"))
    axe_check(page, label="step 3")
    page.locator("#id_slot_0").focus()
    page.keyboard.press("Space")
    # a person who has not consented yet is asked to; the box is ticked by keyboard too
    consent_box = page.locator("#id_consent")
    if consent_box.count():
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_consent"
        assert page.get_by_label(re.compile(r"consent to the processing of the personal data")).is_visible()
        page.keyboard.press("Space")
        assert consent_box.is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Confirm the booking"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")

    # the ticket: QR code, calendar file, print layout
    page.wait_for_url(re.compile(r"/en/queue/bookings/[0-9a-f-]{36}/(#.*)?$"))
    booking = Booking.objects.get(referral=booking_world["referral"])
    assert booking.status == Booking.Status.BOOKED
    consent = Consent.objects.get(subject=person, scope=Consent.Scope.PERSONAL_DATA, withdrawn_at__isnull=True)
    assert (consent.given_by, consent.channel) == (person, Consent.Channel.PORTAL)
    assert page.get_by_role("heading", name=f"Ticket {booking.ticket_number}").is_visible()
    assert page.get_by_role("img", name=f"QR code of ticket {booking.ticket_number}").is_visible()
    axe_check(page, label="ticket")
    ics = page.request.get(base + page.get_by_role("link", name="Add to calendar (.ics)").get_attribute("href"))
    assert ics.ok
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text()
    assert booking.ticket_number in ics.text()
    assert page.get_by_role("button", name="Print the ticket").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".ticket svg").is_visible()
    page.emulate_media(media="screen")

    # cancel: a confirmation page, then the cabinet shows the status
    page.get_by_role("link", name="Cancel the booking").click()
    page.wait_for_url(re.compile(r"/cancel/$"))
    axe_check(page, label="cancel confirmation")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    page.get_by_role("button", name="Yes, cancel the booking").click()
    page.wait_for_url(f"{base}/en/queue/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    with translation.override("en"):  # the page is the English one, whatever the test's language
        status_text = str(booking.get_status_display())
    assert page.get_by_role("cell", name=status_text).is_visible()
    axe_check(page, label="cabinet after cancelling")
    assert [m["template"] for m in sms if m["template"].startswith("queue_")] == ["queue_booked", "queue_cancelled"]

    # the language switch keeps the page
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Қазақ").click()
    page.wait_for_url(f"{base}/kk/queue/")
    assert page.evaluate("document.documentElement.lang") == "kk"
    axe_check(page, label="cabinet in Kazakh")


def test_x2_staff_check_in_and_serve_in_chromium(live_server, page, axe_check, sms, booking_world):
    # given: a staff member of the department and a visit booked later today
    department = booking_world["department"]
    staff = UserFactory(username="desk", department=department)
    staff.set_password("a-long-staff-password")
    staff.save()
    staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    today = timezone.localdate()
    with transaction.atomic():  # the ticket counter is locked (select_for_update)
        sequence, ticket = ticket_number_next(department=department, day=today)
    booking = Booking.objects.create(
        referral=booking_world["referral"],
        person=booking_world["person"],
        booked_by=booking_world["person"],
        department=department,
        day=today,
        starts_at=timezone.now() + dt.timedelta(minutes=30),
        ticket_sequence=sequence,
        ticket_number=ticket,
    )
    base = live_server.url

    # sign in with a password, straight to today's queue
    page.goto(f"{base}/en/queue/staff/")
    page.wait_for_url(re.compile(r"/en/accounts/staff/sign-in/\?next="))
    axe_check(page, label="staff sign-in")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("a-long-staff-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/en/queue/staff/")
    axe_check(page, label="staff queue")

    # a scanner types the ticket into the check-in field and presses Enter
    page.get_by_label("Ticket number or QR code").fill(booking.ticket_number)
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg.success")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ARRIVED
    axe_check(page, label="staff queue after check-in")

    page.get_by_role("button", name=f"Served ticket {booking.ticket_number}").click()
    page.wait_for_selector(".msg.success")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED
    axe_check(page, label="staff queue after serving")
