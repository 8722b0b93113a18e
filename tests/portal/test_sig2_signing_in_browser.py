"""Signing in the browser (signatures issue, item 2): NCALayer's websocket through a vendored client,
clear messages when NCALayer is not running or the person cancels, and a development-only demo signer."""

import base64
from pathlib import Path

import pytest
from django.urls import reverse

from portal.signatures.models import SignatureVerification
from portal.signatures.services import signature_verify
from portal.signatures.views import CHECK_SESSION_KEY
from tests.factories import PersonFactory
from tests.portal.test_deploy_check import PRODUCTION, run_manage
from tests.signing import sign_content

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_sig2_the_ncalayer_client_is_vendored_with_its_licence():
    client = (STATIC / "vendor" / "ncalayer-js-client" / "ncalayer-client.js").read_text()
    assert "module: 'kz.gov.pki.knca.basics'" in client
    assert "method: 'sign'" in client
    assert "MIT License" in (STATIC / "vendor" / "ncalayer-js-client" / "LICENSE").read_text()


def test_sig2_the_script_asks_ncalayer_for_a_cms_on_its_local_socket():
    script = (STATIC / "portal" / "signing.js").read_text()
    assert '"wss://127.0.0.1:13579"' in script
    assert "basicsSignCMS" in script
    # a refused connection and a cancellation each get their own message
    assert 'fail("not_running")' in script
    assert "canceledByUser" in script


@pytest.mark.django_db
def test_sig2_the_page_carries_the_messages_and_the_policy_lets_it_reach_ncalayer(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("signatures:check"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "NCALayer is not running on this computer" in body
    assert "Signing was cancelled in NCALayer" in body
    assert "vendor/ncalayer-js-client/ncalayer-client.js" in body
    policy = response.headers["Content-Security-Policy"]
    connect = next(part for part in policy.split(";") if part.strip().startswith("connect-src"))
    assert "wss://127.0.0.1:13579" in connect


@pytest.mark.django_db
def test_sig2_the_demo_signer_signs_as_the_signed_in_person_only(client, citizen, settings):
    settings.DEBUG = True
    settings.SIGNATURE_DEMO_SIGNER = True
    client.force_login(citizen)
    content = b"a document to sign"
    response = client.post(reverse("signatures:demo-sign"), {"content": base64.b64encode(content).decode()})
    assert response.status_code == 200
    cms = response.json()["cms"]
    mine = signature_verify(cms=cms, content=content, expected_iin=citizen.person.iin, purpose="test")
    assert mine.outcome == "valid"
    other = PersonFactory()
    theirs = signature_verify(cms=cms, content=content, expected_iin=other.iin, purpose="test")
    assert (theirs.outcome, theirs.reason) == ("invalid", "iin_mismatch")


@pytest.mark.django_db
def test_sig2_the_demo_signer_does_not_exist_without_debug(client, citizen, settings):
    settings.DEBUG = False
    settings.SIGNATURE_DEMO_SIGNER = True
    client.force_login(citizen)
    response = client.post(reverse("signatures:demo-sign"), {"content": base64.b64encode(b"x").decode()})
    assert response.status_code == 404


@pytest.mark.django_db
def test_sig2_the_demo_signer_refuses_a_visitor_not_signed_in(client, settings):
    settings.DEBUG = True
    settings.SIGNATURE_DEMO_SIGNER = True
    response = client.post(reverse("signatures:demo-sign"), {"content": base64.b64encode(b"x").decode()})
    assert response.status_code == 302
    assert "/accounts/" in response.headers["Location"]


@pytest.mark.django_db
def test_sig2_the_demo_signer_refuses_content_that_is_not_base64(client, citizen, settings):
    settings.DEBUG = True
    settings.SIGNATURE_DEMO_SIGNER = True
    client.force_login(citizen)
    response = client.post(reverse("signatures:demo-sign"), {"content": "not base64 !"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "content"


@pytest.mark.django_db
def test_sig2_the_check_page_accepts_ones_own_signature_and_says_why_it_refuses_another(client, citizen):
    client.force_login(citizen)
    url = reverse("signatures:check")
    client.get(url)
    content = client.session[CHECK_SESSION_KEY].encode()
    stranger = PersonFactory()
    refused = client.post(url, {"signature": sign_content(content, iin=stranger.iin)}, HTTP_ACCEPT_LANGUAGE="en")
    assert "signed with someone else&#x27;s certificate" in refused.content.decode()
    client.get(url)
    content = client.session[CHECK_SESSION_KEY].encode()
    accepted = client.post(url, {"signature": sign_content(content, iin=citizen.person.iin)}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Your signature is accepted." in accepted.content.decode()
    outcomes = list(
        SignatureVerification.objects.filter(purpose="signature_check").order_by("pk").values_list("outcome", "reason")
    )
    assert outcomes == [("invalid", "iin_mismatch"), ("valid", "ok")]


def test_sig2_production_refuses_to_start_with_the_demo_signer_on():
    result = run_manage("check", "--deploy", env_extra={**PRODUCTION, "SIGNATURE_DEMO_SIGNER": "true"})
    assert result.returncode != 0
    assert "signatures.E003" in result.stderr + result.stdout
