"""B-1 end to end: the portal channel confirmed by a code to the registered phone, the proactive offer
answered by the link in its SMS, the State Corporation's API (X-8) and its staff's form in the admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from benefits.models import Application, ApplicationCode, ProactiveOffer, Stage
from benefits.services import MSG_CODE_EXPIRED, MSG_NO_PHONE, proactive_offer_create
from tests.benefits.conftest import DECEASED, OTHER_DECEASED, died
from tests.benefits.helpers import integrator_client
from tests.portal.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _code(sent, template="benefit_application_code"):
    return [c for c in sent if c["template"] == template][-1]["context"]["code"]


def test_b1_portal_application_confirmed_by_code_to_registered_phone(citizen_client, citizen, sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    response = citizen_client.post(reverse("benefits:funeral-apply"), {"deceased_iin": DECEASED})
    row = ApplicationCode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:funeral-confirm", kwargs={"code_id": row.public_id})
    message = [c for c in sent if c["template"] == "benefit_application_code"][-1]
    assert message["recipient"] == citizen.person  # the registered phone, nowhere else
    assert not Application.objects.exists()  # nothing filed before the code

    response = citizen_client.post(
        reverse("benefits:funeral-confirm", kwargs={"code_id": row.public_id}), {"code": _code(sent)}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:receipt", kwargs={"public_id": application.public_id})
    assert application.channel == "portal"
    assert application.confirmed_by == "sms_code"
    assert application.applicant == citizen.person
    assert application.stage == Stage.DECISION_DRAFT


def test_b1_portal_wrong_code_files_nothing_and_five_burn_it(citizen_client, sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    citizen_client.post(reverse("benefits:funeral-apply"), {"deceased_iin": DECEASED})
    row = ApplicationCode.objects.get()
    good = _code(sent)
    wrong = "000000" if good != "000000" else "111111"
    url = reverse("benefits:funeral-confirm", kwargs={"code_id": row.public_id})
    response = citizen_client.post(url, {"code": wrong})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["code"]
    assert "4" in error  # attempts left, in the person's language
    for _ in range(4):
        citizen_client.post(url, {"code": wrong})
    response = citizen_client.post(url, {"code": good})
    assert response.context["form"].errors["code"]
    assert str(response.context["form"].errors["code"][0]) == str(MSG_CODE_EXPIRED)
    assert not Application.objects.exists()


def test_b1_portal_code_of_another_person_is_not_found(client, citizen, sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    from benefits.services import application_code_request

    row = application_code_request(person=PersonFactory(), deceased_iin=DECEASED)
    client.force_login(citizen)
    response = client.post(reverse("benefits:funeral-confirm", kwargs={"code_id": row.public_id}), {"code": "123456"})
    assert response.status_code == 404


def test_b1_portal_applicant_without_phone_is_told_to_go_to_the_state_corporation(client, citizen):
    citizen.person.phone = ""
    citizen.person.save()
    client.force_login(citizen)
    response = client.post(reverse("benefits:funeral-apply"), {"deceased_iin": DECEASED})
    assert response.status_code == 200
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert response.context["form"].errors["deceased_iin"] == [str(MSG_NO_PHONE)]
    assert not ApplicationCode.objects.exists()


def test_b1_portal_invalid_iin_names_the_field(citizen_client):
    response = citizen_client.post(reverse("benefits:funeral-apply"), {"deceased_iin": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["deceased_iin"]


def test_b1_cabinet_shows_stage_and_due_date_and_only_own(citizen_client, citizen):
    died(DECEASED, dt.date(2026, 1, 5))
    died(OTHER_DECEASED, dt.date(2026, 1, 5))
    from benefits.services import funeral_application_file

    tz = timezone.get_default_timezone()
    mine = funeral_application_file(
        deceased_iin=DECEASED,
        channel="portal",
        applicant=citizen.person,
        confirmed_by="sms_code",
        now=timezone.make_aware(dt.datetime(2026, 3, 14, 10), tz),  # Saturday
    )
    other = funeral_application_file(
        deceased_iin=OTHER_DECEASED, channel="portal", applicant=PersonFactory(), confirmed_by="sms_code"
    )
    body = citizen_client.get(reverse("benefits:cabinet")).content.decode()
    assert mine.number in body
    assert other.number not in body
    # due Monday 16 March 2026 (1 working day after a Saturday filing)
    assert timezone.localtime(mine.decision_due_at).date() == dt.date(2026, 3, 16)
    assert "16" in body
    assert reverse("benefits:cabinet") in citizen_client.get(reverse("queue_booking:cabinet")).content.decode()


def test_b1_proactive_offer_sms_carries_a_link_answered_yes(client, sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    person = PersonFactory()
    offer = proactive_offer_create(person=person, deceased_iin=DECEASED)
    message = [c for c in sent if c["template"] == "benefit_proactive_offer"][-1]
    assert message["recipient"] == person
    link = message["context"]["link"]
    path = link[link.index("/benefits/") :]
    page = client.get(path)
    assert page.status_code == 200
    assert person.full_name not in page.content.decode()  # nothing personal to whoever holds the link
    response = client.post(path, {"answer": "yes"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == ProactiveOffer.Status.ACCEPTED
    assert offer.application.channel == "proactive"
    assert offer.application.applicant == person
    # answered once: a second answer changes nothing
    client.post(path, {"answer": "no"})
    offer.refresh_from_db()
    assert offer.status == ProactiveOffer.Status.ACCEPTED


def test_b1_proactive_offer_declined_files_nothing(client, sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    offer = proactive_offer_create(person=PersonFactory(), deceased_iin=DECEASED)
    link = [c for c in sent if c["template"] == "benefit_proactive_offer"][-1]["context"]["link"]
    client.post(link[link.index("/benefits/") :], {"answer": "no"})
    offer.refresh_from_db()
    assert offer.status == ProactiveOffer.Status.DECLINED
    assert not Application.objects.exists()


def test_b1_proactive_offer_forged_link_is_not_found(client):
    assert client.get(reverse("benefits:offer", kwargs={"token": "forged:token"})).status_code == 404


def test_b1_state_corporation_api_files_and_reads_its_own(sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    corp, c = integrator_client()
    applicant = PersonFactory()
    response = c.post(
        "/api/v1/benefits/funeral/applications/",
        {"deceased_iin": DECEASED, "applicant_iin": applicant.iin},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    application = Application.objects.get(public_id=body["id"])
    assert application.channel == "goscorp"
    assert application.filed_by_integrator == corp
    assert body["stage"] == "decision_draft"
    assert body["decision"]["kind"] == "assigned"
    status = c.get(f"/api/v1/benefits/applications/{body['id']}/")
    assert status.status_code == 200
    assert status.json()["number"] == application.number
    # another State Corporation integrator does not see it
    _other, c2 = integrator_client(name="Other SC")
    assert c2.get(f"/api/v1/benefits/applications/{body['id']}/").status_code == 404


def test_b1_api_refuses_a_non_state_corporation_integrator():
    _mis, c = integrator_client(name="MIS", kind="mis")
    response = c.post(
        "/api/v1/benefits/funeral/applications/", {"deceased_iin": DECEASED, "applicant_iin": OTHER_DECEASED}
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_state_corporation"


def test_b1_api_without_scope_is_refused():
    _corp, c = integrator_client(scopes=("benefits:read",))
    response = c.post("/api/v1/benefits/funeral/applications/", {"deceased_iin": DECEASED})
    assert response.status_code == 403


def test_b1_api_bad_iin_names_the_field():
    _corp, c = integrator_client()
    response = c.post("/api/v1/benefits/funeral/applications/", {"deceased_iin": "12", "applicant_iin": OTHER_DECEASED})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "deceased_iin"


def test_b1_state_corporation_staff_files_in_the_admin(client):
    died(DECEASED, dt.date(2026, 1, 5))
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_application", content_type__app_label="benefits"))
    client.force_login(user)
    response = client.post(
        reverse("admin:benefits_application_file_funeral"),
        {"deceased_iin": DECEASED, "applicant_iin": OTHER_DECEASED, "applicant_name": "Иванов Иван"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert application.channel == "goscorp"
    assert application.filed_by_user == user
    assert application.confirmed_by == "staff"


def test_b1_admin_form_refused_without_permission(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:benefits_application_file_funeral")).status_code == 403


def test_b1_demo_data_shows_an_application_and_an_offer(sent):
    import io

    from benefits import demo

    citizen = PersonFactory(iin=demo.CITIZEN_IIN)
    parent = PersonFactory(iin=demo.PARENT_IIN)
    out = io.StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)  # again: nothing duplicated
    application = Application.objects.get(applicant=citizen)
    assert application.stage == Stage.DECISION_DRAFT
    assert ProactiveOffer.objects.filter(person=parent).count() == 1
    assert "/benefits/offers/" in out.getvalue()
