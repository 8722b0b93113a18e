"""The callback and status API, the admin message log and template editor, the dev inbox."""

import json

import pytest
from django.urls import reverse

from notifications.apis import callback_signature
from notifications.models import Message, Template
from notifications.services import message_send, notify
from portal.accounts.scopes import Scope
from portal.accounts.services import api_token_create, sign_in_code_request
from tests.factories import MedicalOrganisationFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}
CALLBACK = "/api/v1/notifications/sms-status/"


def _sent(person, http_backend, key="cb"):
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key=key)
    message_send(message_id=message.pk)
    message.refresh_from_db()
    return message


def _post_signed(client, payload, secret):
    body = json.dumps(payload).encode()
    return client.post(
        CALLBACK, data=body, content_type="application/json", HTTP_X_SIGNATURE=callback_signature(secret, body)
    )


def test_signed_delivery_callback_updates_the_message(settings, client, person, http_backend):
    message = _sent(person, http_backend)
    response = _post_signed(client, {"id": message.gateway_id, "status": 1}, settings.SMS_CALLBACK_SECRET)
    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.delivered_at is not None
    assert response.json() == {"id": str(message.public_id), "status": "delivered"}


def test_callback_with_a_form_body_and_a_failure_status(settings, client, person, http_backend):
    message = _sent(person, http_backend)
    body = f"id={message.gateway_id}&status=22&err=0".encode()
    response = client.post(
        CALLBACK,
        data=body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_SIGNATURE=callback_signature(settings.SMS_CALLBACK_SECRET, body),
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.PERMANENT_FAILURE
    assert message.reason == "wrong number"


def test_callback_with_a_wrong_signature_is_refused(client, person, http_backend):
    message = _sent(person, http_backend)
    response = _post_signed(client, {"id": message.gateway_id, "status": 1}, "not-the-secret")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "signature_invalid"
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_callback_for_an_unknown_message_is_404(settings, client):
    response = _post_signed(client, {"id": "999999", "status": 1}, settings.SMS_CALLBACK_SECRET)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "message_unknown"


def test_integrator_reads_a_message_status_with_the_notifications_scope(api_client, integrator, person):
    # the message is about one of the integrator's people (referred by its organisation)
    ReferralFactory(person=person, medical_organisation=MedicalOrganisationFactory(integrator=integrator))
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="api")
    message_send(message_id=message.pk)
    response = api_client.get(f"/api/v1/notifications/messages/{message.public_id}/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "delivered"
    assert data["template"] == "queue_invited"
    assert data["phone"] == "+7 701 *** ** 67"
    assert [e["status"] for e in data["events"]] == ["created", "sending", "sent", "delivered"]
    assert "text" not in data


def test_integrator_without_the_scope_is_refused(integrator, person):
    from rest_framework.test import APIClient

    _token, key = api_token_create(integrator=integrator, name="r", scopes=[Scope.REFERRALS_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="noscope")
    response = client.get(f"/api/v1/notifications/messages/{message.public_id}/")
    assert response.status_code == 403
    assert "notifications:read" in response.json()["errors"][0]["message"]


def test_admin_message_log_filters_by_status_template_date_and_department(admin_client, person):
    from tests.factories import DepartmentFactory

    department = DepartmentFactory()
    delivered = notify(
        recipient=person, template="queue_invited", context=INVITE, dedupe_key="adm1", department=department
    )
    message_send(message_id=delivered.pk)
    failed = notify(recipient="+7701", template="queue_annulled", context=INVITE, dedupe_key="adm2")
    url = reverse("admin:notifications_message_changelist")
    response = admin_client.get(url, {"status__exact": "permanent_failure"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [failed]
    response = admin_client.get(url, {"department__id__exact": department.pk})
    assert list(response.context["cl"].result_list) == [delivered]
    template = Template.objects.get(key="queue_annulled")
    response = admin_client.get(url, {"template__id__exact": template.pk})
    assert list(response.context["cl"].result_list) == [failed]
    response = admin_client.get(url, {"created_at__year": delivered.created_at.year})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    # staff see the failure and its reason
    assert "invalid phone number" in response.content.decode()


def test_admin_resend_keeps_the_history_and_uses_the_corrected_phone(admin_client, person):
    person.phone = "+7701"
    person.save()
    failed = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="fix")
    assert failed.status == Message.Status.PERMANENT_FAILURE
    person.phone = "+77017778899"  # staff correct the number
    person.save()
    url = reverse("admin:notifications_message_changelist")
    response = admin_client.post(url, {"action": "resend", "_selected_action": [failed.pk]}, follow=True)
    assert response.status_code == 200
    copy = Message.objects.get(resend_of=failed)
    assert copy.dedupe_key == "fix:resend:1"
    assert copy.phone == "+77017778899"
    assert copy.text == failed.text
    failed.refresh_from_db()
    assert failed.status == Message.Status.PERMANENT_FAILURE  # the original and its events stay
    assert [e.status for e in failed.events.all()] == ["created", "permanent_failure"]


def test_admin_template_editor_previews_each_language(admin_client):
    template = Template.objects.get(key="queue_booked")
    response = admin_client.get(reverse("admin:notifications_template_change", args=[template.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Вы записаны на освидетельствование" in page
    assert "05.03.26" in page
    assert "Сіз № 3 медициналық-әлеуметтік" in page
    assert "you are booked for an examination" in page
    assert "segments, UCS2" in page


def _template_form(template, **texts):
    data = {
        "name": template.name,
        "urgent": "",
        "text_kk": template.text_kk,
        "text_ru": template.text_ru,
        "text_en": template.text_en,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(texts)
    return data


def test_admin_template_edit_is_saved_as_a_new_version(admin_client, admin_user):
    template = Template.objects.get(key="queue_annulled")
    url = reverse("admin:notifications_template_change", args=[template.pk])
    new_en = "Dear {full_name}, you missed your examination. Book again at {link}."
    response = admin_client.post(url, _template_form(template, text_en=new_en))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.version == 2
    assert template.text_en == new_en
    assert template.versions.get(version=2).edited_by == admin_user


def test_admin_template_edit_dropping_a_placeholder_is_refused(admin_client):
    template = Template.objects.get(key="queue_annulled")
    url = reverse("admin:notifications_template_change", args=[template.pk])
    response = admin_client.post(
        url, _template_form(template, text_ru="Уважаемый(ая) {full_name}! Запись аннулирована.")
    )
    assert response.status_code == 200
    assert "link" in str(response.context["adminform"].form.errors["text_ru"])
    template.refresh_from_db()
    assert template.version == 1


def test_dev_inbox_lists_messages_as_a_phone_shows_them_only_in_debug(settings, client, person):
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="inbox")
    message_send(message_id=message.pk)
    settings.DEBUG = True
    response = client.get("/notifications/dev/inbox/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "+7 701 123 45 67" in page
    assert message.text.replace('"', "&quot;") in page
    # the filter by phone is posted, so the number stays out of the address
    other = PersonFactory(phone="+77019876543")
    message_send(message_id=notify(recipient=other, template="queue_invited", context=INVITE, dedupe_key="b").pk)
    page = client.post("/notifications/dev/inbox/", {"phone": "+7 701 987 65 43"}).content.decode()
    assert "+7 701 987 65 43" in page
    assert "+7 701 123 45 67" not in page
    assert 'method="post"' in page
    settings.DEBUG = False
    assert client.get("/notifications/dev/inbox/").status_code == 404


def test_sign_in_code_goes_through_the_outbox_as_urgent(person):
    row = sign_in_code_request(iin=person.iin)
    message = Message.objects.get(dedupe_key=f"sign-in:{row.pk}")
    assert message.template.key == "sign_in_code"
    assert message.urgent
    assert message.text.startswith("Код для входа на портал МСЭ: ")


def test_callback_that_overtakes_the_gateways_answer_still_finds_the_message(settings, client, person, http_backend):
    message = notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key="overtake")
    # the worker marked it sending and the gateway reports delivery before the send call returned
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, backend="http")
    response = _post_signed(client, {"id": str(message.pk), "status": 1}, settings.SMS_CALLBACK_SECRET)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


def test_item13_an_urgent_flag_set_in_the_admin_reaches_the_next_message(
    admin_client, django_capture_on_commit_callbacks
):
    before = notify(recipient="+77011234567", template="queue_annulled", context=INVITE, dedupe_key="u1")
    assert not before.urgent  # and the template is kept
    template = Template.objects.get(key="queue_annulled")
    url = reverse("admin:notifications_template_change", args=[template.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _template_form(template, urgent="on"))
    assert response.status_code == 302
    after = notify(recipient="+77011234567", template="queue_annulled", context=INVITE, dedupe_key="u2")
    assert after.urgent
