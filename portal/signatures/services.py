"""``signature_verify``: the one verifier every channel calls (P-5 and the signed documents of the apps).

It never raises on bad input: a blob over ``SIGNATURE_MAX_BYTES``, base64 that is not, a CMS that is
not CMS all come back ``invalid`` with a reason code, and every call stores a
``SignatureVerification`` row. Call it before opening the transaction of the document it guards,
so the row stays when the document is refused.

Reason codes: ``ok``; invalid: ``empty``, ``too_large``, ``not_base64``, ``not_cms``, ``no_signer``,
``no_certificate``, ``content_mismatch``, ``bad_signature``, ``unsupported_algorithm``,
``untrusted_chain``, ``certificate_expired``, ``certificate_revoked``, ``iin_mismatch``,
``bin_mismatch``, ``issuer_not_trusted``, ``role_missing``, ``server_refused``; unknown:
``no_trusted_roots``, ``gost_no_backend``, ``unavailable``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, pem, x509
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from portal.signatures.backends import Verdict, local, ncanode
from portal.signatures.identity import is_gost
from portal.signatures.models import Outcome, SignatureVerification

logger = logging.getLogger(__name__)

ARMOUR_RE = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----|-----END [A-Z0-9 ]+-----")


@dataclass(frozen=True)
class VerificationResult:
    outcome: str
    reason: str
    revocation: str
    revocation_source: str
    backend: str
    signer_iin: str
    signer_bin: str
    certificate_serial: str
    subject_cn: str
    verification: SignatureVerification

    @property
    def valid(self) -> bool:
        return self.outcome == Outcome.VALID


def signature_verify(
    *,
    cms: bytes | str,
    content: bytes,
    expected_iin: str | None = None,
    expected_bin: str | None = None,
    purpose: str,
    document: Model | None = None,
) -> VerificationResult:
    """Verify a CMS signature over ``content`` by the person ``expected_iin`` (of ``expected_bin``)."""
    verdict = _verdict(cms, content)
    if verdict.outcome == Outcome.VALID:
        if expected_iin and verdict.signer_iin != expected_iin:
            verdict.outcome, verdict.reason = Outcome.INVALID, "iin_mismatch"
        elif expected_bin and verdict.signer_bin != expected_bin:
            verdict.outcome, verdict.reason = Outcome.INVALID, "bin_mismatch"
    row = SignatureVerification(
        purpose=purpose[:64],
        outcome=verdict.outcome,
        reason=verdict.reason,
        revocation=verdict.revocation,
        revocation_source=verdict.revocation_source,
        backend=verdict.backend,
        signer_iin=verdict.signer_iin,
        signer_bin=verdict.signer_bin,
        certificate_serial=verdict.certificate_serial[:80],
        issuer=verdict.issuer[:500],
        subject_cn=verdict.subject_cn[:300],
        signing_time=verdict.signing_time,
        expected_iin=expected_iin or "",
        expected_bin=expected_bin or "",
        content_sha256=hashlib.sha256(content).hexdigest(),
    )
    if document is not None and document.pk is not None:
        row.document_type = ContentType.objects.get_for_model(document)
        row.document_id = str(document.pk)
    row.save()
    logger.info("signature %s: %s (%s) by backend %s", purpose, verdict.outcome, verdict.reason, verdict.backend)
    return VerificationResult(
        outcome=row.outcome,
        reason=row.reason,
        revocation=row.revocation,
        revocation_source=row.revocation_source,
        backend=row.backend,
        signer_iin=row.signer_iin,
        signer_bin=row.signer_bin,
        certificate_serial=row.certificate_serial,
        subject_cn=row.subject_cn,
        verification=row,
    )


def signature_attach(*, verification: SignatureVerification, document: Model) -> None:
    """Name the document a verification made before the document existed was about."""
    verification.document_type = ContentType.objects.get_for_model(document)
    verification.document_id = str(document.pk)
    verification.save(update_fields=["document_type", "document_id"])


def _invalid(reason: str, backend: str = "none") -> Verdict:
    return Verdict(outcome=Outcome.INVALID, reason=reason, backend=backend)


def _decode(blob: bytes | str) -> bytes | Verdict:
    if isinstance(blob, str):
        blob = blob.encode("utf-8", "replace")
    if not blob.strip():
        return _invalid("empty")
    if len(blob) > settings.SIGNATURE_MAX_BYTES:
        return _invalid("too_large")
    if blob[:1] == b"\x30":  # DER already
        return blob
    # base64, possibly in "-----BEGIN CMS-----" armour (NCALayer answers both ways)
    text = ARMOUR_RE.sub(b"", blob)
    text = b"".join(text.split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return _invalid("not_base64")


def _verdict(blob: bytes | str, content: bytes) -> Verdict:
    der = _decode(blob)
    if isinstance(der, Verdict):
        return der
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            return _invalid("not_cms")
        signed_data = info["content"]
        signers = list(signed_data["signer_infos"])
        encapsulated = signed_data["encap_content_info"]["content"].native
        certificates = [c.chosen for c in signed_data["certificates"] if c.name == "certificate"]
        # parse everything now: asn1crypto is lazy, and a malformed inner part must not surface later
        for c in certificates:
            c.native  # noqa: B018
        for s in signers:
            s.native  # noqa: B018
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        logger.info("signature: not a CMS (%s)", type(exc).__name__)
        return _invalid("not_cms")
    if not signers:
        return _invalid("no_signer")
    if encapsulated is not None and encapsulated != content:
        return _invalid("content_mismatch")
    signer = signers[0]
    cert = _signer_certificate(signer, certificates)
    if cert is None:
        return _invalid("no_certificate")
    if is_gost(cert) or settings.SIGNATURE_BACKEND == ncanode.NAME:
        if not settings.NCANODE_URL:
            return Verdict(outcome=Outcome.UNKNOWN, reason="gost_no_backend", backend="none")
        return ncanode.verify(der=der, content=content)
    try:
        return local.verify(
            signed_data=signed_data,
            signer=signer,
            cert=cert,
            content=content,
            trust_roots=_trust_roots(tuple(settings.SIGNATURE_TRUSTED_ROOTS)),
            crls=_crls(tuple(settings.SIGNATURE_CRLS)),
            allow_fetching=settings.SIGNATURE_REVOCATION_FETCH,
        )
    except (ValueError, TypeError, KeyError) as exc:  # a malformed part asn1crypto reads only now
        logger.info("signature: unreadable part (%s)", type(exc).__name__)
        return _invalid("not_cms", backend=local.NAME)


def _signer_certificate(signer: cms.SignerInfo, certificates: list[x509.Certificate]) -> x509.Certificate | None:
    sid = signer["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _read_pems(path: str) -> list[bytes]:
    data = Path(path).read_bytes()
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


@lru_cache(maxsize=8)
def _trust_roots(paths: tuple[str, ...]) -> list[x509.Certificate]:
    return [x509.Certificate.load(der) for path in paths for der in _read_pems(path)]


@lru_cache(maxsize=8)
def _crls(paths: tuple[str, ...]) -> list[bytes]:
    return [der for path in paths for der in _read_pems(path)]
