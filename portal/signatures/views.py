"""Pages of electronic signing: checking one's signature works, and the development demo signer."""

from __future__ import annotations

import base64
import binascii
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts.access import OWN_ACCOUNT, allow, signed_in
from portal.errors import ErrorItem, error_body
from portal.signatures.messages import signature_reason_message
from portal.signatures.services import signature_verify
from portal.signatures.testing import sign_cms
from portal.signatures.testpki import TestPki
from portal.signatures.widgets import demo_signer_enabled, signing_widget

CHECK_SESSION_KEY = "signature_check_content"
MSG_NO_IIN = _("Your account has no IIN, so there is no certificate of yours to check.")
MSG_NOT_SIGNED = _("Sign the text first: the signature field is empty.")
MSG_CONTENT_REQUIRED = _("The content to sign is missing or is not base64.")


def _check_content(request: HttpRequest) -> bytes:
    """The text the person signs on the check page: new for each visit, kept in the session."""
    if request.method == "GET" or CHECK_SESSION_KEY not in request.session:
        text = (
            f"MSE portal: checking an electronic signature, {timezone.localtime():%d.%m.%Y %H:%M}, "
            f"code {secrets.token_hex(4)}"
        )
        request.session[CHECK_SESSION_KEY] = text
    return str(request.session[CHECK_SESSION_KEY]).encode()


@allow(signed_in(OWN_ACCOUNT))  # verifies against the signed-in person's own IIN only
@login_required
@require_http_methods(["GET", "POST"])
def signature_check(request: HttpRequest) -> HttpResponse:
    """Sign a short text with NCALayer and see whether the portal accepts the signature, and why not."""
    person = getattr(request.user, "person", None)
    content = _check_content(request)
    context: dict[str, object] = {"has_iin": person is not None, "text": content.decode()}
    if request.method == "POST" and person is not None:
        cms = request.POST.get("signature", "").strip()
        if not cms:
            context["error"] = MSG_NOT_SIGNED
        else:
            result = signature_verify(
                cms=cms, content=content, expected_iin=person.iin, purpose="signature_check", document=person
            )
            context["result"] = result
            context["error"] = "" if result.valid else signature_reason_message(result.reason)
            request.session.pop(CHECK_SESSION_KEY, None)
            content = _check_content(request) if not result.valid else content
    context["signing"] = signing_widget(content=content, target="id_signature")
    return render(request, "signatures/check.html", context)


def _test_pki() -> TestPki:
    roots = settings.SIGNATURE_TRUSTED_ROOTS
    return TestPki(Path(roots[0]).parent if roots else Path(settings.BASE_DIR) / "var" / "pki")


@allow(signed_in(OWN_ACCOUNT))  # development only: signs as the signed-in person, never as another
@login_required
@require_POST
def demo_sign(request: HttpRequest) -> JsonResponse:
    """Development's stand-in for NCALayer: a CMS over the content by the signed-in person's test key
    (a staff member's: the key of the IIN recorded as their signing certificate's).

    Exists only with DEBUG and ``SIGNATURE_DEMO_SIGNER`` on (404 otherwise); production also
    refuses to trust the test PKI's root (check signatures.E001), so such a signature is worthless
    there.
    """
    if not demo_signer_enabled():
        raise Http404
    person = getattr(request.user, "person", None)
    # a staff member signs with the certificate recorded for them (``acts.StaffSignatory``)
    signatory = getattr(request.user, "signatory", None) if person is None else None
    if person is None and signatory is None:
        return JsonResponse(error_body([ErrorItem(None, "no_iin", str(MSG_NO_IIN))]), status=400)
    try:
        content = base64.b64decode(request.POST.get("content", ""), validate=True)
    except (binascii.Error, ValueError):
        content = b""
    if not content:
        error = ErrorItem("content", "content_required", str(MSG_CONTENT_REQUIRED))
        return JsonResponse(error_body([error]), status=400)
    pki = _test_pki()
    if person is not None:
        iin, name = person.iin, person.full_name
    else:
        assert signatory is not None
        iin, name = str(signatory.iin), str(getattr(request.user, "get_full_name", lambda: "")() or "STAFF")
    key, cert = pki.person(iin, name=name.upper())
    cms = sign_cms(content, key, cert, chain=pki.chain())
    return JsonResponse({"cms": base64.b64encode(cms).decode("ascii")})
