"""S-5: the documents an act produced, in the cabinet of the person and their representative, as
printable pages and files with the provider's signature verified; the "result ready" SMS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches, reverse

from notifications.models import Message
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.acts.documents import act_documents
from tests.portal.acts.conftest import register
from tests.portal.factories import GuardianshipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    yield
    clear_url_caches()


def citizen_of(person):
    user = User.objects.create(username=f"iin{person.iin}", person=person)
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


def slugs(act):
    return [d.slug for d in act_documents(act)]


def test_s5_a_recognised_act_produces_the_certificate_and_the_parts_it_developed(staff_user, person, department):
    act = register(
        actor_user=staff_user,
        person=person,
        department=department,
        ipr_social=True,
        ipr_professional=True,
        general_capacity_loss=60,
        professional_capacity_loss=40,
        needs_help_and_care=True,
    )
    assert slugs(act) == [
        "certificate",
        "ipr-social",
        "ipr-professional",
        "general-capacity-loss",
        "professional-capacity-loss",
        "help-and-care",
    ]


def test_s5_not_recognised_at_a_primary_examination_gets_the_notice_of_the_expert_conclusion(
    staff_user, person, department
):
    act = register(
        actor_user=staff_user,
        person=person,
        department=department,
        kind="primary",
        recognised=False,
        group="",
        cause="",
        term_until=None,
        ipr_social=False,
    )
    assert slugs(act) == ["notice-not-recognised"]


def test_s5_not_recognised_at_a_re_examination_gets_the_notice_of_full_rehabilitation(staff_user, person, department):
    act = register(
        actor_user=staff_user,
        person=person,
        department=department,
        kind="repeat",
        recognised=False,
        group="",
        cause="",
        term_until=None,
        ipr_social=False,
    )
    assert slugs(act) == ["notice-full-rehabilitation"]


def test_s5_the_person_sees_the_results_and_a_printable_certificate_with_the_signature_verified(
    client, staff_user, person, department
):
    act = register(actor_user=staff_user, person=person, department=department)
    client.force_login(citizen_of(person))
    listing = client.get(reverse("acts:results"))
    assert listing.status_code == 200
    assert act.number in listing.content.decode()
    page = client.get(reverse("acts:document", kwargs={"public_id": act.public_id, "slug": "certificate"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Disability certificate" in html
    assert "group II" in html
    verification = act.signature_verification
    assert verification.certificate_serial
    assert verification.certificate_serial in html
    assert "the signature is valid" in html
    assert verification.subject_cn in html
    assert 'class="act-document"' in html


def test_s5_each_document_downloads_as_a_self_contained_html_file(client, staff_user, person, department):
    act = register(actor_user=staff_user, person=person, department=department, ipr_social=True)
    client.force_login(citizen_of(person))
    response = client.get(reverse("acts:document-file", kwargs={"public_id": act.public_id, "slug": "ipr-social"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="mse-{act.number}-ipr-social.html"'
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    for fetched in ("<link", "<script", "src="):  # nothing fetched
        assert fetched not in html
    assert "social part of the individual rehabilitation programme" in html
    assert act.signature_verification.certificate_serial in html


@pytest.mark.parametrize(("language", "words"), [("kk", "Құжаттарды"), ("ru", "Документы"), ("en", "documents")])
def test_s5_the_pages_speak_the_users_language_and_the_document_is_in_it(
    client, staff_user, person, department, language, words
):
    act = register(actor_user=staff_user, person=person, department=department)
    client.force_login(citizen_of(person))
    url = reverse("acts:document", kwargs={"public_id": act.public_id, "slug": "certificate"})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_s5_a_document_the_act_did_not_produce_is_not_found(client, staff_user, person, department):
    act = register(actor_user=staff_user, person=person, department=department, ipr_professional=False)
    client.force_login(citizen_of(person))
    url = reverse("acts:document", kwargs={"public_id": act.public_id, "slug": "ipr-professional"})
    assert client.get(url).status_code == 404


def test_s5_the_representative_sees_the_wards_documents(client, staff_user, person, department):
    parent = PersonFactory(birth_date=dt.date(1960, 1, 1))
    GuardianshipFactory(representative=parent, ward=person, valid_from=dt.date(2020, 1, 1))
    act = register(actor_user=staff_user, person=person, department=department)
    client.force_login(citizen_of(parent))
    url = reverse("acts:document", kwargs={"public_id": act.public_id, "slug": "certificate"})
    assert client.get(url).status_code == 200
    assert act.number in client.get(reverse("acts:results")).content.decode()


def test_s5_another_person_gets_404_for_someone_elses_act_and_its_file(client, staff_user, person, department):
    act = register(actor_user=staff_user, person=person, department=department)
    client.force_login(citizen_of(PersonFactory()))
    for name in ("acts:document", "acts:document-file"):
        url = reverse(name, kwargs={"public_id": act.public_id, "slug": "certificate"})
        assert client.get(url).status_code == 404
    assert act.number not in client.get(reverse("acts:results")).content.decode()


def test_s5_staff_and_anonymous_have_no_results_page(client, staff_user, person, department):
    act = register(actor_user=staff_user, person=person, department=department)
    url = reverse("acts:document", kwargs={"public_id": act.public_id, "slug": "certificate"})
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(staff_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "нәтижесі дайын"),
        ("ru", "результат медико-социальной экспертизы готов"),
        ("en", "your MSE result is ready"),
    ],
)
def test_s5_a_registered_act_sends_the_result_ready_sms_in_the_persons_language(
    staff_user, person, department, django_capture_on_commit_callbacks, language, expected
):
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        act = register(actor_user=staff_user, person=person, department=department)
    message = Message.objects.get(template__key="act_result_ready")
    assert message.language == language
    assert expected in message.text
    assert act.number in message.text


def test_s5_a_wards_result_sms_goes_to_the_representative(
    staff_user, person, department, django_capture_on_commit_callbacks
):
    parent = PersonFactory(birth_date=dt.date(1960, 1, 1), phone="+77011234567", preferred_language="kk")
    GuardianshipFactory(representative=parent, ward=person, valid_from=dt.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        register(actor_user=staff_user, person=person, department=department)
    message = Message.objects.get(template__key="act_result_ready")
    assert message.recipient_id == parent.pk
    assert message.language == "kk"


def test_s5_the_demo_citizen_has_a_signed_act_whose_documents_show_in_the_cabinet(client, settings):
    from io import StringIO

    from django.core.management import call_command

    from portal.acts.models import MseAct
    from portal.management.commands import load_demo

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # idempotent: still one act
    act = MseAct.objects.get()
    assert act.signature_verification.outcome == "valid"
    assert act.signer_iin == load_demo.DEMO_EXPERT_IIN
    client.force_login(citizen_of(act.person))
    html = client.get(reverse("queue_booking:cabinet")).content.decode()
    assert reverse("acts:results") in html
    page = client.get(reverse("acts:document", kwargs={"public_id": act.public_id, "slug": "certificate"}))
    assert page.status_code == 200
