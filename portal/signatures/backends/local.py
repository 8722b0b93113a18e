"""The ``local`` backend: RSA and ECDSA CMS verified in process.

asn1crypto reads the CMS, cryptography checks the signature, pyhanko-certvalidator the path to a
configured trusted root at the signing time and, from the CRLs configured (or fetched, when
allowed), the revocation of every certificate on it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asn1crypto import cms, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import load_der_x509_certificate
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

from portal.signatures.backends import Verdict
from portal.signatures.identity import certificate_identity

NAME = "local"
# The digest a CMS names (asn1crypto's name) and the concrete cryptography class making it.
HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha1": hashes.SHA1,
}


def verify(
    *,
    signed_data: cms.SignedData,
    signer: cms.SignerInfo,
    cert: x509.Certificate,
    content: bytes,
    trust_roots: list[x509.Certificate],
    crls: list[bytes],
    allow_fetching: bool,
) -> Verdict:
    identity = certificate_identity(cert)

    def refuse(reason: str, signing_time: dt.datetime | None = None) -> Verdict:
        return Verdict(outcome="invalid", reason=reason, backend=NAME, signing_time=signing_time, **identity)

    digest_name = signer["digest_algorithm"]["algorithm"].native
    if digest_name not in HASHES:
        return refuse("unsupported_algorithm")
    signing_time = _signing_time(signer)
    signed_attrs = signer["signed_attrs"]
    if signed_attrs.native is not None and len(signed_attrs):
        digest = next((a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest"), None)
        if digest is None or not hmac.compare_digest(digest, hashlib.new(digest_name, content).digest()):
            return refuse("content_mismatch", signing_time=signing_time)
        # RFC 5652 5.4: the signature covers the attributes DER-encoded as a SET, not as [0]
        to_verify = b"\x31" + signed_attrs.dump()[1:]
    else:
        to_verify = content
    try:
        _check_signature(cert, signer, to_verify, HASHES[digest_name]())
    except InvalidSignature:
        return refuse("bad_signature", signing_time=signing_time)
    except (TypeError, ValueError):
        return refuse("unsupported_algorithm", signing_time=signing_time)
    if not trust_roots:
        return Verdict(
            outcome="unknown", reason="no_trusted_roots", backend=NAME, signing_time=signing_time, **identity
        )

    intermediates = [c.chosen for c in signed_data["certificates"] if c.name == "certificate" and c.chosen != cert]
    verdict = _validate_path(
        cert,
        intermediates=intermediates,
        trust_roots=trust_roots,
        crls=crls,
        allow_fetching=allow_fetching,
        moment=signing_time,
    )
    verdict.signing_time = signing_time
    for k, v in identity.items():
        setattr(verdict, k, v)
    return verdict


def _signing_time(signer: cms.SignerInfo) -> dt.datetime | None:
    attrs = signer["signed_attrs"]
    if attrs.native is None:
        return None
    for a in attrs:
        if a["type"].native == "signing_time":
            value = a["values"][0].native
            return value if isinstance(value, dt.datetime) else None
    return None


def _check_signature(
    cert: x509.Certificate, signer: cms.SignerInfo, data: bytes, hash_algo: hashes.HashAlgorithm
) -> None:
    public_key = load_der_x509_certificate(cert.dump()).public_key()
    signature = signer["signature"].native
    algo = signer["signature_algorithm"].signature_algo
    if isinstance(public_key, rsa.RSAPublicKey) and algo == "rsassa_pkcs1v15":
        public_key.verify(signature, data, padding.PKCS1v15(), hash_algo)
    elif isinstance(public_key, ec.EllipticCurvePublicKey) and algo == "ecdsa":
        public_key.verify(signature, data, ec.ECDSA(hash_algo))
    else:
        raise TypeError(algo)


def _validate_path(
    cert: x509.Certificate,
    *,
    intermediates: list[x509.Certificate],
    trust_roots: list[x509.Certificate],
    crls: list[bytes],
    allow_fetching: bool,
    moment: dt.datetime | None,
) -> Verdict:
    """The path at the signing time, first requiring revocation information for every certificate;
    without it (no CRL, OCSP "try again later"), the path alone, and the revocation ``unknown``."""
    source = "fetched" if allow_fetching else "crl"
    try:
        _run(cert, intermediates, trust_roots, crls, allow_fetching, moment, "require")
        return Verdict(outcome="valid", reason="ok", backend=NAME, revocation="ok", revocation_source=source)
    except cv_errors.RevokedError:
        return Verdict(outcome="invalid", reason="certificate_revoked", backend=NAME, revocation="revoked",
                       revocation_source=source)  # fmt: skip
    except (cv_errors.ExpiredError, cv_errors.NotYetValidError):
        return Verdict(outcome="invalid", reason="certificate_expired", backend=NAME)
    except cv_errors.PathBuildingError:
        return Verdict(outcome="invalid", reason="untrusted_chain", backend=NAME)
    except (cv_errors.InsufficientRevinfoError, cv_errors.StaleRevinfoError, cv_errors.PathValidationError):
        pass  # the revocation could not be established: try the path alone
    except cv_errors.ValidationError:
        return Verdict(outcome="invalid", reason="untrusted_chain", backend=NAME)
    try:
        _run(cert, intermediates, trust_roots, crls, False, moment, "soft-fail")
    except (cv_errors.ExpiredError, cv_errors.NotYetValidError):
        return Verdict(outcome="invalid", reason="certificate_expired", backend=NAME)
    except cv_errors.ValidationError:
        return Verdict(outcome="invalid", reason="untrusted_chain", backend=NAME)
    return Verdict(outcome="valid", reason="ok", backend=NAME, revocation="unknown", revocation_source="")


def _run(
    cert: x509.Certificate,
    intermediates: list[x509.Certificate],
    trust_roots: list[x509.Certificate],
    crls: list[bytes],
    allow_fetching: bool,
    moment: dt.datetime | None,
    mode: str,
) -> None:
    async def validate() -> None:
        context = ValidationContext(
            trust_roots=trust_roots,
            other_certs=intermediates,
            moment=moment,
            allow_fetching=allow_fetching,
            crls=crls,
            revocation_mode=mode,
        )
        validator = CertificateValidator(cert, intermediate_certs=intermediates, validation_context=context)
        # pyhanko-certvalidator leaves this method unannotated (the package is otherwise typed)
        await validator.async_validate_usage(key_usage={"digital_signature"})  # type: ignore[no-untyped-call]

    _run_to_completion(validate())


def _run_to_completion(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run the path validator's coroutine from synchronous code.

    A request or a task has no event loop: ``asyncio.run``. A caller already inside one (an async
    view, or a thread that a library left running a loop) cannot start another in the same thread,
    so the coroutine then runs in a short-lived thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()
