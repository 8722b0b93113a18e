"""P-8 (item 4): department staff enter an in-person examination's act from the queue's served
visit: the decision checked field by field, signed over the act's canonical content, registered."""

from __future__ import annotations

import base64
import datetime as dt
import html as html_lib
import re

import pytest
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from portal.acts.models import MseAct
from portal.acts.signing import act_signed_content
from queue_booking.models import Booking
from tests.portal.acts.conftest import OTHER_STAFF_IIN, STAFF_IIN
from tests.portal.factories import DepartmentFactory, ReferralFactory
from tests.signing import sign_content

pytestmark = pytest.mark.django_db

DECISION = {
    "kind": "primary",
    "recognised": "yes",
    "group": "2",
    "cause": "general_illness",
    "term_until": "2027-12-01",
    "ipr_social": "on",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    yield
    clear_url_caches()


def visit(department, person, *, status=Booking.Status.SERVED, number="A-001", referral=True):
    now = timezone.now()
    return Booking.objects.create(
        referral=ReferralFactory(person=person) if referral else None,
        person=person,
        department=department,
        day=timezone.localdate(),
        starts_at=now,
        ticket_sequence=int(number[-3:]),
        ticket_number=number,
        status=status,
        kind=Booking.Kind.BOOKED,
    )


def url(booking):
    return reverse("queue_booking:staff-act", kwargs={"public_id": booking.public_id})


def signed_content(page_html: str) -> bytes:
    found = re.search(r'data-content="([^"]+)"', page_html)
    assert found, "the signing widget is on the page"
    return base64.b64decode(html_lib.unescape(found.group(1)))


def test_p8_the_done_today_list_links_a_served_visit_to_its_act(client, staff_user, department, person):
    booking = visit(department, person)
    client.force_login(staff_user)
    page = client.get(reverse("queue_booking:staff-queue")).content.decode()
    assert url(booking) in page


def test_p8_staff_sign_the_canonical_content_of_the_visits_act_and_register_it(client, staff_user, department, person):
    booking = visit(department, person)
    client.force_login(staff_user)
    assert client.get(url(booking)).status_code == 200
    # step 1: the decision, checked, then offered for signing
    step1 = client.post(url(booking), DECISION)
    assert step1.status_code == 200
    content = signed_content(step1.content.decode())
    expected = act_signed_content(
        person_iin=person.iin,
        department=f"11-{department.number}",
        referral=str(booking.referral.public_id),
        kind="primary",
        place="department",
        examined_on=timezone.localdate(),
        recognised=True,
        group="2",
        cause="general_illness",
        category="adult",
        term_until=dt.date(2027, 12, 1),
        without_term=False,
        general_capacity_loss=None,
        professional_capacity_loss=None,
        ipr_social=True,
        ipr_professional=False,
        needs_help_and_care=False,
        signer_iin=STAFF_IIN,
    )
    assert content == expected
    assert not MseAct.objects.exists()
    # step 2: signed with the staff member's certificate, registered
    done = client.post(url(booking), {**DECISION, "signature": sign_content(content, iin=STAFF_IIN)})
    assert done.status_code == 302
    act = MseAct.objects.get()
    assert act.place == "department"
    assert act.department == department
    assert act.examined_on == timezone.localdate()
    assert act.referral == booking.referral
    assert act.registered_by == staff_user
    assert act.signature_verification.outcome == "valid"
    # a second entry for the same referral shows the act already registered
    again = client.get(url(booking)).content.decode()
    assert act.number in again
    assert "Check and sign" not in again


def test_p8_a_refused_decision_is_shown_on_its_field_and_nothing_is_signed(client, staff_user, department, person):
    booking = visit(department, person)
    client.force_login(staff_user)
    response = client.post(url(booking), {**DECISION, "group": "", "general_capacity_loss": "20"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_group_error"' in html
    assert "A person recognised as disabled is given a group (I, II or III)." in html
    assert 'id="id_general_capacity_loss_error"' in html
    assert "The degree of loss of general working capacity is from 30 to 100%." in html
    assert "data-signing" not in html
    assert not MseAct.objects.exists()


def test_p8_a_signature_by_someone_elses_certificate_is_refused_on_the_page(client, staff_user, department, person):
    booking = visit(department, person)
    client.force_login(staff_user)
    content = signed_content(client.post(url(booking), DECISION).content.decode())
    response = client.post(url(booking), {**DECISION, "signature": sign_content(content, iin=OTHER_STAFF_IIN)})
    assert response.status_code == 200
    assert "The act is not signed with your own certificate." in response.content.decode()
    assert not MseAct.objects.exists()


def test_p8_a_decision_changed_after_signing_is_refused(client, staff_user, department, person):
    booking = visit(department, person)
    client.force_login(staff_user)
    content = signed_content(client.post(url(booking), DECISION).content.decode())
    changed = {**DECISION, "group": "1", "signature": sign_content(content, iin=STAFF_IIN)}
    response = client.post(url(booking), changed)
    assert "The signature does not match the content of the act." in response.content.decode()
    assert not MseAct.objects.exists()


def test_p8_another_departments_visit_is_not_found(client, staff_user, person):
    booking = visit(DepartmentFactory(), person)
    client.force_login(staff_user)
    assert client.get(url(booking)).status_code == 404
    assert client.post(url(booking), DECISION).status_code == 404


@pytest.mark.parametrize("status", [Booking.Status.BOOKED, Booking.Status.ARRIVED, Booking.Status.LEFT])
def test_p8_a_visit_not_served_has_no_act_page(client, staff_user, department, person, status):
    booking = visit(department, person, status=status)
    client.force_login(staff_user)
    assert client.get(url(booking)).status_code == 404


def test_p8_a_citizen_cannot_open_the_act_page(client, department, person, citizen):
    booking = visit(department, person)
    client.force_login(citizen)
    assert client.get(url(booking)).status_code == 403


def test_p8_the_demo_signer_signs_as_the_staff_members_recorded_certificate(
    client, staff_user, department, person, settings
):
    settings.DEBUG = True
    settings.SIGNATURE_DEMO_SIGNER = True
    booking = visit(department, person)
    client.force_login(staff_user)
    content = signed_content(client.post(url(booking), DECISION).content.decode())
    demo = client.post(reverse("signatures:demo-sign"), {"content": base64.b64encode(content).decode()})
    assert demo.status_code == 200
    assert client.post(url(booking), {**DECISION, "signature": demo.json()["cms"]}).status_code == 302
    assert MseAct.objects.get().signer_iin == STAFF_IIN
