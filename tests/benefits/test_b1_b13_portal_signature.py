"""B-1, B-13: the portal application confirmed by the applicant's own electronic signature instead of
the code. The person chooses it on the first page; the server builds the application's canonical
content (the deceased's IIN, the programme, the applicant's IIN, the documents' sha256, the date) for
the form as filled in; the one verifier checks the signature against the signed-in person's IIN (a
legal representative signs for the ward with their own certificate). Someone else's certificate or a
changed application is refused with the verifier's reason in the person's language, nothing filed."""

import base64
import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from benefits.models import Application, ApplicationCode, ApplicationDocument, Stage
from portal.signatures.models import SignatureVerification
from tests.benefits import helpers
from tests.benefits.conftest import DECEASED, died
from tests.benefits.helpers import PDF, a_child, child_iin, stored_files, upload
from tests.portal.factories import PersonFactory
from tests.signing import sign_content

pytestmark = pytest.mark.django_db
OTHER_PDF = b"%PDF-1.7\n2 0 obj\n<<>>\nendobj\n%%EOF\n"
# the verifier's reasons as the Russian and Kazakh pages say them (portal.signatures.messages)
SOMEONE_ELSES_RU = "Документ подписан чужим сертификатом."
SOMEONE_ELSES_KK = "Құжатқа басқа адамның тіркеу куәлігімен қол қойылған."
CHANGED_EN = "The signature does not match the document: the document changed after signing, or another one was signed."


def prepared(client, url: str, data: dict) -> bytes:
    """What the page's script does before signing: the server's canonical content for the form."""
    response = client.post(url, {**data, "prepare": "1"})
    assert response.status_code == 200, response.content
    answer = response.json()
    content = base64.b64decode(answer["content"])
    assert answer["text"] == content.decode()
    return content


# --- B-1: the funeral payment ----------------------------------------------------------------------


def funeral_form(**extra) -> dict:
    return {"deceased_iin": DECEASED, "death_certificate_number": "", **extra}


def test_b1_portal_chooses_the_signature_no_code_is_sent(citizen_client, sent):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    response = citizen_client.post(
        reverse("benefits:funeral-apply"), {"deceased_iin": DECEASED, "confirm_by": "signature"}
    )
    assert response.status_code == 200
    assert response.context["signing"]["content_url"] == reverse("benefits:funeral-sign")
    assert f"deceased IIN {DECEASED}" in response.context["text"]
    assert not ApplicationCode.objects.exists()
    assert not [c for c in sent if c["template"] == "benefit_application_code"]


def test_b1_portal_signed_with_own_certificate_is_filed_as_with_the_code(citizen_client, citizen, private_root):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    url = reverse("benefits:funeral-sign")
    today = timezone.localdate()
    content = prepared(citizen_client, url, funeral_form(death_certificate=upload(PDF)))
    text = content.decode()
    assert "programme funeral" in text
    assert f"deceased IIN {DECEASED}" in text
    assert f"applicant IIN {citizen.person.iin}" in text
    assert f"date {today:%Y-%m-%d}" in text
    assert f"document death_certificate: sha256 {hashlib.sha256(PDF).hexdigest()}" in text

    signature = sign_content(content, iin=citizen.person.iin)
    response = citizen_client.post(url, funeral_form(death_certificate=upload(PDF), signature=signature))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:receipt", kwargs={"public_id": application.public_id})
    assert (application.programme, application.channel, application.confirmed_by) == ("funeral", "portal", "signature")
    assert application.applicant == citizen.person
    assert application.stage == Stage.DECISION_DRAFT  # the checks of B-3 ran, the draft is formed
    assert application.number.startswith(f"F-{today.year}-")
    verification = application.confirmation_signature
    assert (verification.outcome, verification.signer_iin) == ("valid", citizen.person.iin)
    assert verification.content_sha256 == hashlib.sha256(content).hexdigest()
    assert verification.document_id == str(application.pk)
    assert application.documents.get().sha256 == hashlib.sha256(PDF).hexdigest()  # the file signed is kept
    assert not ApplicationCode.objects.exists()


def test_b1_portal_signed_with_someone_elses_certificate_is_refused_nothing_saved(
    citizen_client, citizen, private_root
):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    stranger = PersonFactory()
    with translation.override("ru"):
        url = reverse("benefits:funeral-sign")
    content = prepared(citizen_client, url, funeral_form(death_certificate=upload(PDF)))
    signature = sign_content(content, iin=stranger.iin)

    response = citizen_client.post(url, funeral_form(death_certificate=upload(PDF), signature=signature))

    assert response.status_code == 400
    assert SOMEONE_ELSES_RU in response.content.decode()
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_root) == []
    refused = SignatureVerification.objects.get()  # the refused attempt is on record, as for approvals
    assert (refused.reason, refused.signer_iin) == ("iin_mismatch", stranger.iin)
    assert refused.expected_iin == citizen.person.iin


def test_b1_portal_tampered_content_is_refused(citizen_client, citizen, private_root):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    with translation.override("en"):
        url = reverse("benefits:funeral-sign")
    content = prepared(citizen_client, url, funeral_form(death_certificate=upload(PDF)))
    signature = sign_content(content, iin=citizen.person.iin)

    # another file sent with the signature made over the first one's checksum
    response = citizen_client.post(url, funeral_form(death_certificate=upload(OTHER_PDF), signature=signature))
    assert response.status_code == 400
    assert CHANGED_EN in response.content.decode()
    # the signed text altered by hand
    forged = sign_content(content.replace(DECEASED.encode(), b"900101300017"), iin=citizen.person.iin)
    response = citizen_client.post(url, funeral_form(death_certificate=upload(PDF), signature=forged))
    assert response.status_code == 400
    assert CHANGED_EN in response.content.decode()
    assert not Application.objects.exists()
    assert stored_files(private_root) == []
    assert set(SignatureVerification.objects.values_list("outcome", flat=True)) == {"invalid"}


def test_b1_portal_unsigned_is_refused_with_the_field(citizen_client):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=30))
    with translation.override("en"):
        response = citizen_client.post(reverse("benefits:funeral-sign"), funeral_form(signature=""))
    assert response.status_code == 400
    assert "Sign the application first: the signature field is empty." in response.content.decode()
    assert not Application.objects.exists()


def test_b1_portal_signed_application_failing_b3_is_not_accepted_with_the_reason(citizen_client, citizen):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=3 * 366 + 1))  # more than three years ago
    url = reverse("benefits:funeral-sign")
    content = prepared(citizen_client, url, funeral_form())
    response = citizen_client.post(url, funeral_form(signature=sign_content(content, iin=citizen.person.iin)))
    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.stage, application.number, application.confirmed_by) == (Stage.NOT_ACCEPTED, None, "signature")


def test_b1_portal_prepare_names_a_bad_field(citizen_client):
    response = citizen_client.post(reverse("benefits:funeral-sign"), {"deceased_iin": "12345", "prepare": "1"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["deceased_iin"]


# --- B-13: the survivor benefit ---------------------------------------------------------------------


def survivor_form(dependants: list[dict], **extra) -> dict:
    return helpers.survivor_form(dependants, deceased_iin=DECEASED, **extra)


def test_b13_portal_chooses_the_signature_no_code_is_sent(citizen_client, sent):
    response = citizen_client.post(
        reverse("benefits:survivor-apply"), {"deceased_iin": DECEASED, "confirm_by": "signature"}
    )
    assert response.status_code == 200
    assert response.context["form"]["deceased_iin"].value() == DECEASED
    assert response.context["signing"]["content_url"] == reverse("benefits:survivor-sign")
    assert not ApplicationCode.objects.exists()
    assert not [c for c in sent if c["template"] == "benefit_application_code"]


def test_b13_portal_signed_with_own_certificate_is_filed(citizen_client, citizen):
    url = reverse("benefits:survivor-sign")
    form = lambda: survivor_form([a_child(1), a_child(2, kinship_document="", kinship=upload(PDF))])  # noqa: E731
    content = prepared(citizen_client, url, form())
    text = content.decode()
    assert "programme survivor" in text
    assert f"deceased IIN {DECEASED}" in text
    assert f"applicant IIN {citizen.person.iin}" in text
    assert f"date {timezone.localdate():%Y-%m-%d}" in text
    assert f"document dependants[1].kinship: sha256 {hashlib.sha256(PDF).hexdigest()}" in text
    assert f"dependant 1: {child_iin(1)};child;birth I-1" in text

    response = citizen_client.post(url, {**form(), "signature": sign_content(content, iin=citizen.person.iin)})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:receipt", kwargs={"public_id": application.public_id})
    assert (application.programme, application.channel, application.confirmed_by) == ("survivor", "portal", "signature")
    assert (application.applicant, application.filed_by_user) == (citizen.person, citizen)
    assert application.stage == Stage.DECISION_DRAFT
    assert application.dependants.count() == 2
    assert application.documents.get().sha256 == hashlib.sha256(PDF).hexdigest()
    assert application.confirmation_signature.outcome == "valid"
    assert application.confirmation_signature.signer_iin == citizen.person.iin


def test_b13_portal_representative_signs_for_the_ward_with_their_own_certificate(
    citizen_client, citizen, citizens_ward
):
    url = reverse("benefits:survivor-sign")
    data = survivor_form([a_child(1)], applicant=str(citizens_ward.pk))
    content = prepared(citizen_client, url, data)
    assert f"applicant IIN {citizens_ward.iin}\nsigner IIN {citizen.person.iin}\n" in content.decode()

    # the ward's own certificate is not the signed-in representative's: refused
    response = citizen_client.post(url, {**data, "signature": sign_content(content, iin=citizens_ward.iin)})
    assert response.status_code == 400
    assert not Application.objects.exists()

    response = citizen_client.post(url, {**data, "signature": sign_content(content, iin=citizen.person.iin)})
    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.applicant, application.confirmed_by) == (citizens_ward, "signature")
    assert application.confirmation_signature.signer_iin == citizen.person.iin


def test_b13_portal_signed_with_someone_elses_certificate_is_refused_nothing_saved(
    citizen_client, citizen, private_root
):
    stranger = PersonFactory()
    with translation.override("kk"):
        url = reverse("benefits:survivor-sign")
    form = lambda: survivor_form([a_child(1, kinship_document="", kinship=upload(PDF))])  # noqa: E731
    content = prepared(citizen_client, url, form())

    response = citizen_client.post(url, {**form(), "signature": sign_content(content, iin=stranger.iin)})

    assert response.status_code == 400
    assert SOMEONE_ELSES_KK in response.content.decode()
    assert response.context["form"].errors["signature"]
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_root) == []
    assert SignatureVerification.objects.get().reason == "iin_mismatch"


def test_b13_portal_tampered_content_is_refused(citizen_client, citizen):
    with translation.override("en"):
        url = reverse("benefits:survivor-sign")
    content = prepared(citizen_client, url, survivor_form([a_child(1)]))
    signature = sign_content(content, iin=citizen.person.iin)

    # a second dependant added after signing
    response = citizen_client.post(url, {**survivor_form([a_child(1), a_child(2)]), "signature": signature})

    assert response.status_code == 400
    assert CHANGED_EN in response.content.decode()
    assert not Application.objects.exists()
    assert SignatureVerification.objects.get().reason == "content_mismatch"
