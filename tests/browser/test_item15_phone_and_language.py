"""The citizen's pages at a phone's width (p15), and in Chromium at desktop width: the language kept
after sign-in (p13) and the desk's "Done today" (p14). axe-core at zero serious or critical on each.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from portal.accounts.roles import Role
from queue_booking import services
from queue_booking.models import Booking
from queue_booking.services.tickets import ticket_number_next
from tests.factories import PersonFactory, ReferralFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    # what sticks out, to name it in the failure
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > limit + 1)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)""",
        PHONE["width"],
    )
    assert width <= PHONE["width"], f"{label} is {width} px wide at a phone's {PHONE['width']} px: {wide}"


def _sign_in(page, base: str, person, sms, *, prefix: str = "/en") -> None:
    page.get_by_label(re.compile(r"IIN|ЖСН|ИИН")).first.fill(person.iin)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/sign-in/code/"))
    code = next(m for m in reversed(sms) if m["template"] == "sign_in_code")["context"]["code"]
    page.locator("#id_code").fill(code)
    page.locator("form button[type=submit]").first.click()


def test_item15_citizen_pages_fit_a_phone(live_server, chromium, axe_check, sms, booking_world):
    # given: a phone-sized window; the citizen has a ward's booking already, so the cabinet's tables are full
    context = chromium.new_context(locale="en-GB", timezone_id="Asia/Almaty", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    person = booking_world["person"]
    try:
        page.goto(f"{base}/en/queue/")
        page.wait_for_url(re.compile(r"/en/accounts/sign-in/\?next="))
        _fits(page, "sign-in")
        axe_check(page, label="phone sign-in")
        _sign_in(page, base, person, sms)
        page.wait_for_url(f"{base}/en/queue/")
        _fits(page, "cabinet before booking")
        axe_check(page, label="phone cabinet before booking")

        # booking: the three steps
        page.get_by_role("link", name="Book an examination").first.click()
        page.wait_for_url(f"{base}/en/queue/book/")
        _fits(page, "booking step 1")
        axe_check(page, label="phone step 1")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/en/queue/book/[0-9a-f-]{36}/$"))
        _fits(page, "booking step 2")
        axe_check(page, label="phone step 2")
        page.locator("#id_day_0").check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/en/queue/book/[0-9a-f-]{36}/\d{4}-\d{2}-\d{2}/(#.*)?$"))
        _fits(page, "booking step 3")
        axe_check(page, label="phone step 3")
        page.locator("#id_slot_0").check()
        if page.locator("#id_consent").count():
            page.locator("#id_consent").check()
        page.get_by_role("button", name="Confirm the booking").click()

        # the ticket, the cabinet with the booking, the cancel confirmation, who looked at my data
        page.wait_for_url(re.compile(r"/en/queue/bookings/[0-9a-f-]{36}/(#.*)?$"))
        _fits(page, "ticket")
        axe_check(page, label="phone ticket")
        page.goto(f"{base}/en/queue/")
        _fits(page, "cabinet with a booking")
        axe_check(page, label="phone cabinet with a booking")
        page.get_by_role("link", name=re.compile(r"^Cancel")).first.click()
        page.wait_for_url(re.compile(r"/cancel/$"))
        _fits(page, "cancel")
        axe_check(page, label="phone cancel")
        page.goto(f"{base}/en/my-data-access/")
        _fits(page, "who looked at my data")
        axe_check(page, label="phone who looked at my data")
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["/kk", "/en"])
def test_item13_sign_in_from_the_header_keeps_the_language(live_server, page, axe_check, sms, booking_world, prefix):
    base = live_server.url
    page.goto(f"{base}{prefix}/")
    page.locator("header a[href$='/accounts/sign-in/']").click()
    page.wait_for_url(f"{base}{prefix}/accounts/sign-in/")
    _sign_in(page, base, booking_world["person"], sms, prefix=prefix)
    page.wait_for_url(f"{base}{prefix}/")
    assert page.evaluate("document.documentElement.lang") == prefix.strip("/")
    axe_check(page, label=f"home after sign-in {prefix}")
    # and signing out stays in the language too
    page.locator("header form[action$='/accounts/sign-out/'] button").click()
    page.wait_for_url(f"{base}{prefix}/")
    assert page.evaluate("document.documentElement.lang") == prefix.strip("/")


def test_item13_item14_staff_sign_in_keeps_the_language_and_done_today_lists_the_served(
    live_server, page, axe_check, sms, booking_world
):
    # given: a staff member, and a visit of today already checked in
    department = booking_world["department"]
    staff = UserFactory(username="desk", department=department)
    staff.set_password("a-long-staff-password")
    staff.save()
    staff.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
    person = PersonFactory(last_name="Servedova")
    today = timezone.localdate()
    with transaction.atomic():
        sequence, ticket = ticket_number_next(department=department, day=today)
    booking = Booking.objects.create(
        referral=ReferralFactory(person=person),
        person=person,
        booked_by=person,
        department=department,
        day=today,
        starts_at=timezone.now() + timezone.timedelta(minutes=30),
        ticket_sequence=sequence,
        ticket_number=ticket,
    )
    services.booking_check_in(department=department, code=ticket, actor_user=staff)
    base = live_server.url
    # when: signing in on the Kazakh staff sign-in page, with no next page
    page.goto(f"{base}/kk/accounts/staff/sign-in/")
    page.locator("#id_username").fill("desk")
    page.locator("#id_password").fill("a-long-staff-password")
    page.locator("main form button[type=submit]").click()
    # then: the Kazakh home page
    page.wait_for_url(f"{base}/kk/")
    assert page.evaluate("document.documentElement.lang") == "kk"
    # the desk in English: serve the visit, it is listed under "Done today"
    page.goto(f"{base}/en/queue/staff/")
    page.get_by_role("button", name=f"Served ticket {booking.ticket_number}").click()
    page.wait_for_selector(".msg.success")
    done = page.get_by_role("table", name="Done today")
    assert done.get_by_role("cell", name=booking.ticket_number, exact=True).is_visible()
    assert done.get_by_role("cell", name=re.compile("Servedova")).is_visible()
    axe_check(page, label="staff queue with done today")
