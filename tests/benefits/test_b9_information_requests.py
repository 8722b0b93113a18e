"""B-9: "порталда жәрдемақы тағайындау туралы ақпарат алу үшін – ақпараттық жүйеге электрондық сұрау
салу келіп түскен сәттен бастап 30 минут" (appendix 3; the survivor benefit's list alike): a request
for information is answered within 30 minutes of its arrival, clock time (the portal works around
the clock). The stage and the due date are answered at once by the portal; another question by staff
of the application's area, on the deadline radar until answered; the answer shows in the cabinet.

Two regions: A (district A) and B (district B); one disability application in each.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, Channel, InformationRequest, Programme, Stage
from benefits.services_information import information_request_ask
from portal.accounts.roles import Role
from portal.deadlines.registry import DeadlineScope
from portal.deadlines.selectors import radar_rows
from portal.errors import ApplicationError
from tests.benefits.helpers import at, citizen_user, region_handler, staff
from tests.portal.factories import AtuFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _application(person, number: str, programme=Programme.DISABILITY) -> Application:
    return Application.objects.create(
        programme=programme,
        channel=Channel.STATE_CORPORATION,
        stage=Stage.ACCEPTED,
        number=number,
        applicant=person,
        applicant_iin=person.iin,
        subject_iin=person.iin,
        submitted_at=at(2026, 3, 18, 10),
        registered_at=at(2026, 3, 18, 10),
        decision_due_at=at(2026, 3, 31, 18),  # 7 working days over Nauryz (B-9)
    )


@pytest.fixture
def area():
    region_a = RegionFactory()
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    person_a = PersonFactory(registration_atu=AtuFactory(region=region_a))
    person_b = PersonFactory(registration_atu=AtuFactory(region=region_b, kato="711000000"))
    return SimpleNamespace(
        region_a=region_a,
        region_b=region_b,
        person_a=person_a,
        person_b=person_b,
        application_a=_application(person_a, "D-2026-000001"),
        application_b=_application(person_b, "D-2026-000002"),
    )


def test_b9_status_request_answered_at_once_by_the_portal_and_shown_in_the_cabinet(client, area):
    # asked Saturday 14 March 2026 at 17:45: the portal knows the stage and the due date
    row = information_request_ask(
        person=area.person_a, application=area.application_a, topic="status", now=at(2026, 3, 14, 17, 45)
    )
    assert row.due_at == at(2026, 3, 14, 18, 15)
    assert row.answered_at == at(2026, 3, 14, 17, 45)
    assert row.answered_automatically is True
    assert (row.answered_stage, row.answered_due_at) == ("accepted", at(2026, 3, 31, 18))
    assert radar_rows(scope=DeadlineScope.country(), now=at(2026, 3, 14, 17, 46), kinds=["benefit_information"]) == []
    client.force_login(citizen_user(area.person_a))
    cabinet = client.get(reverse("benefits:cabinet")).content.decode()
    assert "31 March 2026, 18:00" in cabinet  # the decision's due date, told in the answer
    assert str(Stage.ACCEPTED.label) in cabinet


def test_b9_question_due_30_minutes_later_in_clock_time_on_a_working_day_and_a_day_off(area):
    # Friday 20 March 2026 (the eve of Nauryz) 17:45 -> 18:15; Saturday 21 March 23:50 -> Sunday 00:20
    friday = information_request_ask(
        person=area.person_a,
        application=area.application_a,
        topic="other",
        question="Which bank account will the benefit go to?",
        now=at(2026, 3, 20, 17, 45),
    )
    night = information_request_ask(
        person=area.person_a,
        application=area.application_a,
        topic="other",
        question="Is my certificate received?",
        now=at(2026, 3, 21, 23, 50),
    )
    assert friday.due_at == at(2026, 3, 20, 18, 15)
    assert night.due_at == at(2026, 3, 22, 0, 20)  # not moved to the working day after Nauryz
    assert (friday.answered_at, night.answered_at) == (None, None)


def test_b9_open_question_on_the_radar_of_its_area_only(area):
    information_request_ask(
        person=area.person_a,
        application=area.application_a,
        topic="other",
        question="When is the first payment?",
        now=at(2026, 3, 20, 17, 45),
    )
    rows = radar_rows(scope=DeadlineScope.region(area.region_a.pk), now=at(2026, 3, 20, 17, 50))
    seen = [(r.item.kind, r.item.reference, r.item.due_at) for r in rows if r.item.kind == "benefit_information"]
    assert seen == [("benefit_information", "D-2026-000001", at(2026, 3, 20, 18, 15))]
    assert area.person_a.iin not in rows[0].item.url
    other = radar_rows(scope=DeadlineScope.region(area.region_b.pk), now=at(2026, 3, 20, 17, 50))
    assert [r for r in other if r.item.kind == "benefit_information"] == []


def test_b9_staff_of_the_area_answer_and_the_citizen_reads_it_in_the_cabinet(client, area):
    row = information_request_ask(
        person=area.person_a,
        application=area.application_a,
        topic="other",
        question="When is the first payment?",
        now=at(2026, 3, 20, 17, 45),
    )
    # region B's staff neither see nor answer it
    client.force_login(region_handler(area.region_b))
    assert "D-2026-000001" not in client.get(reverse("benefits:staff-information")).content.decode()
    response = client.post(reverse("benefits:staff-information"), {"request": row.public_id, "answer": "In April."})
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.answered_at is None
    # region A's staff see the number and the question, never the IIN, and answer
    handler = region_handler(area.region_a)
    client.force_login(handler)
    page = client.get(reverse("benefits:staff-information")).content.decode()
    assert "D-2026-000001" in page
    assert "When is the first payment?" in page
    assert area.person_a.iin not in page
    response = client.post(
        reverse("benefits:staff-information"), {"request": row.public_id, "answer": "With the April payment list."}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.answer, row.answered_by, row.answered_automatically) == (
        "With the April payment list.",
        handler,
        False,
    )
    assert (
        radar_rows(scope=DeadlineScope.region(area.region_a.pk), now=timezone.now(), kinds=["benefit_information"])
        == []
    )
    # answered once: a second answer finds nothing open and changes nothing
    again = client.post(reverse("benefits:staff-information"), {"request": row.public_id, "answer": "Changed."})
    assert again.status_code == 404
    row.refresh_from_db()
    assert row.answer == "With the April payment list."
    client.force_login(citizen_user(area.person_a))
    assert "With the April payment list." in client.get(reverse("benefits:cabinet")).content.decode()


def test_b9_staff_page_needs_the_permission(client, area):
    client.force_login(staff(Role.PROVIDER_STAFF, region=area.region_a))
    assert client.get(reverse("benefits:staff-information")).status_code == 403


def test_b9_empty_answer_names_the_field_and_saves_nothing(client, area):
    row = information_request_ask(
        person=area.person_a, application=area.application_a, topic="other", question="Why?", now=at(2026, 3, 20, 9)
    )
    client.force_login(region_handler(area.region_a))
    response = client.post(reverse("benefits:staff-information"), {"request": row.public_id, "answer": "  "})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.answered_at is None


def test_b9_citizen_asks_from_the_page_about_their_own_application_only(client, area):
    client.force_login(citizen_user(area.person_a))
    url = reverse("benefits:information-ask", kwargs={"public_id": area.application_a.public_id})
    assert client.get(url).status_code == 200
    response = client.post(url, {"topic": "other", "question": ""})
    assert response.status_code == 200  # the question is asked for
    assert list(response.context["form"].errors) == ["question"]
    assert not InformationRequest.objects.exists()
    response = client.post(url, {"topic": "status"})
    assert response.status_code == 302
    assert InformationRequest.objects.get().answered_automatically
    other = reverse("benefits:information-ask", kwargs={"public_id": area.application_b.public_id})
    assert client.get(other).status_code == 404
    assert client.post(other, {"topic": "status"}).status_code == 404
    assert InformationRequest.objects.count() == 1


def test_b9_funeral_payment_has_no_such_term(area):
    funeral = _application(area.person_a, "F-2026-000003", programme=Programme.FUNERAL)
    with pytest.raises(ApplicationError) as caught:
        information_request_ask(person=area.person_a, application=funeral, topic="status")
    assert caught.value.field == "application"
    assert not InformationRequest.objects.exists()
