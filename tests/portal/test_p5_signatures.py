"""P-5: one signature verifier; every refusal has its reason, is stored, and is never a 500."""

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from portal.referrals.models import Referral
from portal.signatures.backends import ncanode
from portal.signatures.models import SignatureVerification
from portal.signatures.services import signature_verify
from portal.signatures.testing import sign_cms
from portal.signatures.testpki import ca_certificate, new_key, person_certificate
from tests.factories import PersonFactory
from tests.portal.factories import MedicalOrganisationFactory
from tests.signing import CHAIR_IIN, signed

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
IIN = "700601400309"
OTHER_IIN = "850315300128"
BIN = "050140000656"
CONTENT = "Форма 031/у".encode()


def b64(der: bytes) -> str:
    return base64.b64encode(der).decode()


def verify(cms, content=CONTENT, **kwargs):
    return signature_verify(cms=cms, content=content, expected_iin=IIN, purpose="test", **kwargs)


def test_p5_a_good_rsa_signature_is_valid_and_stored(test_pki):
    key, cert = test_pki.person(IIN, bin=BIN)
    result = verify(b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain())), expected_bin=BIN)
    assert (result.outcome, result.reason, result.revocation) == ("valid", "ok", "ok")
    row = SignatureVerification.objects.get()
    assert (row.signer_iin, row.signer_bin, row.outcome, row.backend, row.revocation_source) == (
        IIN,
        BIN,
        "valid",
        "local",
        "crl",
    )
    assert row.certificate_serial == format(cert.serial_number, "x")
    assert "MSE portal TEST issuing CA" in row.issuer


def test_p5_a_good_ecdsa_attached_signature_is_valid(test_pki):
    key, cert = test_pki.person(IIN, ecdsa=True)
    result = verify(sign_cms(CONTENT, key, cert, chain=test_pki.chain(), detached=False))
    assert (result.outcome, result.reason) == ("valid", "ok")


def test_p5_armoured_cms_from_ncalayer_is_accepted(test_pki):
    key, cert = test_pki.person(IIN)
    armoured = (
        "-----BEGIN CMS-----\n" + b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain())) + "\n-----END CMS-----"
    )
    assert verify(armoured).outcome == "valid"


def test_p5_signature_by_someone_elses_certificate_is_refused(test_pki):
    key, cert = test_pki.person(OTHER_IIN)
    result = verify(b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain())))
    assert (result.outcome, result.reason) == ("invalid", "iin_mismatch")
    assert SignatureVerification.objects.get().signer_iin == OTHER_IIN


def test_p5_certificate_of_another_organisation_is_refused(test_pki):
    key, cert = test_pki.person(IIN, bin="990240000016")
    result = verify(b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain())), expected_bin=BIN)
    assert (result.outcome, result.reason) == ("invalid", "bin_mismatch")


def test_p5_a_self_made_root_is_refused():
    root_key = new_key()
    root = ca_certificate(key=root_key, name="Fake NCA")
    key = new_key()
    cert = person_certificate(key=key, iin=IIN, issuer=root, issuer_key=root_key)
    result = verify(b64(sign_cms(CONTENT, key, cert, chain=[root])))
    assert (result.outcome, result.reason) == ("invalid", "untrusted_chain")
    assert SignatureVerification.objects.get().reason == "untrusted_chain"


def test_p5_an_expired_certificate_is_refused(test_pki):
    issuer_key, issuer = test_pki.intermediate
    key = new_key()
    now = dt.datetime.now(dt.UTC)
    cert = person_certificate(
        key=key,
        iin=IIN,
        issuer=issuer,
        issuer_key=issuer_key,
        not_before=now - dt.timedelta(days=400),
        not_after=now - dt.timedelta(days=35),
    )
    result = verify(b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain())))
    assert (result.outcome, result.reason) == ("invalid", "certificate_expired")


def test_p5_content_that_differs_from_what_was_signed_is_refused(test_pki):
    key, cert = test_pki.person(IIN)
    cms = b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain()))
    result = verify(cms, content="Форма 031/у, изменённая".encode())
    assert (result.outcome, result.reason) == ("invalid", "content_mismatch")


def test_p5_attached_content_that_differs_is_refused(test_pki):
    key, cert = test_pki.person(IIN)
    cms = sign_cms(b"other", key, cert, chain=test_pki.chain(), detached=False)
    assert verify(cms).reason == "content_mismatch"


@pytest.mark.parametrize(
    ("blob", "reason"),
    [
        ("", "empty"),
        ("this is not base64 !!!", "not_base64"),
        (b64(b"not a CMS at all"), "not_cms"),
        (b64(b"\x30\x03\x02\x01\x01"), "not_cms"),
        (b"\x30\x82\xff\xff garbage", "not_cms"),
    ],
)
def test_p5_a_cms_that_is_not_cms_is_refused(blob, reason):
    result = verify(blob)
    assert (result.outcome, result.reason) == ("invalid", reason)
    assert SignatureVerification.objects.get().reason == reason


def test_p5_a_huge_blob_is_refused(settings):
    settings.SIGNATURE_MAX_BYTES = 1024
    result = verify("A" * 2048)
    assert (result.outcome, result.reason) == ("invalid", "too_large")
    assert SignatureVerification.objects.count() == 1


def test_p5_without_crls_the_revocation_is_unknown_not_valid_or_invalid(test_pki, settings):
    settings.SIGNATURE_CRLS = []
    key, cert = test_pki.person(IIN)
    result = verify(sign_cms(CONTENT, key, cert, chain=test_pki.chain()))
    assert (result.outcome, result.revocation, result.revocation_source) == ("valid", "unknown", "")


# --- the NCANode-style backend, against a recorded answer, with a fake transport


@pytest.fixture
def ncanode_answer(settings, monkeypatch, test_pki):
    settings.NCANODE_URL = "http://ncanode.test"
    settings.SIGNATURE_BACKEND = "ncanode"
    answer = {"status": 200, "body": json.loads((FIXTURES / "ncanode_cms_verify_valid.json").read_text())}
    sent = []

    def fake_transport(url, body, timeout):
        sent.append((url, json.loads(body)))
        return answer["status"], json.dumps(answer["body"]).encode()

    monkeypatch.setattr(ncanode, "transport", fake_transport)
    key, cert = test_pki.person(IIN)
    answer["cms"] = b64(sign_cms(CONTENT, key, cert, chain=test_pki.chain()))
    answer["sent"] = sent
    return answer


def test_p5_ncanode_valid_answer_is_valid(ncanode_answer):
    result = verify(ncanode_answer["cms"], expected_bin=BIN)
    assert (result.outcome, result.reason, result.backend, result.revocation) == ("valid", "ok", "ncanode", "ok")
    url, body = ncanode_answer["sent"][0]
    assert url == "http://ncanode.test/cms/verify"
    assert body["revocationCheck"] == ["OCSP"]
    assert base64.b64decode(body["data"]) == CONTENT
    assert SignatureVerification.objects.get().revocation_source == "ncanode_ocsp"


def test_p5_ncanode_valid_without_a_certificate_is_invalid(ncanode_answer):
    ncanode_answer["body"]["signers"][0]["certificates"] = []
    result = verify(ncanode_answer["cms"])
    assert (result.outcome, result.reason) == ("invalid", "no_certificate")


def test_p5_ncanode_issuer_not_nca_is_invalid(ncanode_answer):
    ncanode_answer["body"]["signers"][0]["certificates"][0]["issuer"]["commonName"] = "Fake CA"
    assert verify(ncanode_answer["cms"]).reason == "issuer_not_trusted"


def test_p5_ncanode_iin_is_checked_by_us(ncanode_answer):
    result = signature_verify(cms=ncanode_answer["cms"], content=CONTENT, expected_iin=OTHER_IIN, purpose="t")
    assert (result.outcome, result.reason) == ("invalid", "iin_mismatch")


def test_p5_ncanode_503_is_unknown_never_invalid(ncanode_answer):
    ncanode_answer["status"] = 503
    result = verify(ncanode_answer["cms"])
    assert (result.outcome, result.reason) == ("unknown", "unavailable")
    assert SignatureVerification.objects.get().outcome == "unknown"


def test_p5_ncanode_timeout_is_unknown(ncanode_answer, monkeypatch):
    def timeout(url, body, timeout):
        raise TimeoutError

    monkeypatch.setattr(ncanode, "transport", timeout)
    assert verify(ncanode_answer["cms"]).outcome == "unknown"


# --- referral intake (the API)

URL = "/api/v1/referrals/"


@pytest.fixture
def payload(integrator):
    org = MedicalOrganisationFactory(integrator=integrator)
    return {
        "person_iin": PersonFactory().iin,
        "organisation_bin": org.bin,
        "external_id": "031-P5-1",
        "icd10": "S48.0",
        "signed_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "vkk_chair_name": "Ахметова Г. С.",
    }


def errors(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_p5_referral_signed_by_the_chair_is_stored_with_its_verification(api_client, payload):
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 201
    referral = Referral.objects.get()
    verification = referral.signature_verification
    assert (verification.outcome, verification.signer_iin, verification.document_id) == (
        "valid",
        CHAIR_IIN,
        str(referral.pk),
    )
    assert referral.signature_revocation_unknown is False


def test_p5_referral_without_signature_is_refused(api_client, payload):
    response = api_client.post(URL, {**payload, "vkk_chair_iin": CHAIR_IIN}, format="json")
    assert response.status_code == 400
    assert errors(response) == [("signature", "signature_required")]


def test_p5_referral_without_chair_iin_is_refused(api_client, payload):
    body = signed(payload)
    del body["vkk_chair_iin"]
    assert errors(api_client.post(URL, body, format="json")) == [("vkk_chair_iin", "vkk_chair_iin_required")]


@pytest.mark.django_db(transaction=True)
def test_p5_refused_referral_keeps_its_verification_and_stores_nothing_else(api_client, payload):
    body = signed(payload)
    body["icd10"] = "S48.1"  # changed after signing
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert errors(response) == [("signature", "signature_content_mismatch")]
    assert Referral.objects.count() == 0
    row = SignatureVerification.objects.get()
    assert (row.outcome, row.reason, row.purpose, row.document_id) == (
        "invalid",
        "content_mismatch",
        "referral_031u",
        "",
    )


def test_p5_referral_signed_by_someone_else_is_refused(api_client, payload):
    body = signed(payload, signer_iin=OTHER_IIN)  # the chair named in the form did not sign it
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert errors(response) == [("signature", "signature_iin_mismatch")]
    assert Referral.objects.count() == 0


def test_p5_referral_garbage_signature_is_a_400_not_a_500(api_client, payload):
    response = api_client.post(URL, {**payload, "vkk_chair_iin": CHAIR_IIN, "signature": "%%%"}, format="json")
    assert response.status_code == 400
    assert errors(response) == [("signature", "signature_not_base64")]


def test_p5_referral_with_unknown_revocation_is_accepted_and_flagged(api_client, payload, settings):
    settings.SIGNATURE_CRLS = []
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 201
    assert Referral.objects.get().signature_revocation_unknown is True


def test_p5_referral_unverifiable_right_now_is_a_503(api_client, payload, settings, monkeypatch):
    settings.NCANODE_URL = "http://ncanode.test"
    settings.SIGNATURE_BACKEND = "ncanode"
    monkeypatch.setattr(ncanode, "transport", lambda url, body, timeout: (502, b""))
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 503
    assert errors(response) == [("signature", "signature_unavailable")]
    assert Referral.objects.count() == 0


def test_p5_the_path_validator_runs_when_the_calling_thread_already_runs_an_event_loop():
    """An async caller (or a thread a library left running a loop) still gets the chain checked."""
    import asyncio

    from portal.signatures.backends.local import _run_to_completion

    ran = []

    async def job():
        ran.append(True)

    async def caller():
        _run_to_completion(job())

    asyncio.run(caller())
    assert ran == [True]
