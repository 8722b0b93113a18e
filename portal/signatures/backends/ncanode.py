"""The ``ncanode`` backend: an NCANode-style verification server, for NCA's GOST 34.10-2015 keys.

``POST {NCANODE_URL}/cms/verify {"cms", "data", "revocationCheck": ["OCSP"]}``. NCANode's own
``valid`` is not enough (FACTS): a CMS without the signer's certificate can come back valid, and it
judges certificates at today's date. So only ``valid: true`` with a signer AND its certificate is
accepted, the issuer must be one of ``SIGNATURE_NCA_ISSUERS``, the key a signing key; the IIN/BIN
are matched by ``signature_verify``. A 5xx, a timeout or an unreadable answer is ``unknown``
(reason ``unavailable``), never ``invalid``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from portal.signatures.backends import Verdict

NAME = "ncanode"
# A JSON object of NCANode's answer: every value in it is checked where it is read.
JSONObject = dict[str, Any]
logger = logging.getLogger(__name__)


def transport(url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    """POST ``body`` as JSON; (status, answer). Tests replace this function."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the configured server's
        url, data=body, headers={"Content-Type": "application/json", "Accept": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(settings.SIGNATURE_MAX_BYTES * 4)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(65536)


def verify(*, der: bytes, content: bytes) -> Verdict:
    body = json.dumps(
        {
            "cms": base64.b64encode(der).decode(),
            "data": base64.b64encode(content).decode(),
            "revocationCheck": ["OCSP"],
        }
    ).encode()
    url = settings.NCANODE_URL.rstrip("/") + "/cms/verify"
    try:
        status, raw = transport(url, body, settings.NCANODE_TIMEOUT_SECONDS)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        logger.warning("ncanode unavailable: %s", type(exc).__name__)
        return Verdict(outcome="unknown", reason="unavailable", backend=NAME)
    if status >= 500 or status in (408, 429):
        logger.warning("ncanode unavailable: HTTP %s", status)
        return Verdict(outcome="unknown", reason="unavailable", backend=NAME)
    try:
        answer = json.loads(raw)
    except ValueError:
        return Verdict(outcome="unknown", reason="unavailable", backend=NAME)
    if not isinstance(answer, dict):
        return Verdict(outcome="unknown", reason="unavailable", backend=NAME)
    return judge(answer)


def judge(answer: JSONObject) -> Verdict:
    """Our reading of NCANode's answer (see the module's docstring)."""
    signers = answer.get("signers") or []
    certificates = (signers[0].get("certificates") or []) if signers and isinstance(signers[0], dict) else []
    cert = certificates[0] if certificates and isinstance(certificates[0], dict) else None
    if cert is None:
        return Verdict(outcome="invalid", reason="no_certificate", backend=NAME)
    subject = cert.get("subject") or {}
    issuer = cert.get("issuer") or {}
    revocations = [r for r in cert.get("revocations") or [] if isinstance(r, dict)]
    if any(r.get("revoked") for r in revocations):
        revocation, source = "revoked", "ncanode_" + str(revocations[0].get("by", "")).lower()
    elif revocations:
        revocation, source = "ok", "ncanode_" + str(revocations[0].get("by", "")).lower()
    else:
        revocation, source = "unknown", ""
    verdict = Verdict(
        outcome="valid",
        reason="ok",
        backend=NAME,
        revocation=revocation,
        revocation_source=source[:32],
        signer_iin=str(subject.get("iin") or ""),
        signer_bin=str(subject.get("bin") or ""),
        certificate_serial=str(cert.get("serialNumber") or "").lower(),
        issuer=str(issuer.get("dn") or issuer.get("commonName") or ""),
        subject_cn=str(subject.get("commonName") or ""),
        signing_time=_signing_time(signers[0]),
        roles=[str(r) for r in cert.get("keyUser") or []],
    )
    if revocation == "revoked":
        verdict.outcome, verdict.reason = "invalid", "certificate_revoked"
    elif answer.get("valid") is not True:
        verdict.outcome, verdict.reason = "invalid", "server_refused"
    elif str(issuer.get("commonName") or "") not in settings.SIGNATURE_NCA_ISSUERS:
        verdict.outcome, verdict.reason = "invalid", "issuer_not_trusted"
    elif cert.get("keyUsage") != "SIGN" or not verdict.roles:
        verdict.outcome, verdict.reason = "invalid", "role_missing"
    return verdict


def _signing_time(signer: JSONObject) -> dt.datetime | None:
    tsp = signer.get("tsp") or {}
    value = tsp.get("genTime") if isinstance(tsp, dict) else None
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
