"""Signing with the test PKI: a real CMS SignedData, for the tests and the development demo signer.

Never used by production code paths: the demo signer's view exists only with DEBUG and
``SIGNATURE_DEMO_SIGNER`` on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from asn1crypto import algos, cms, core, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from portal.signatures.testpki import PrivateKey


def sign_cms(
    content: bytes,
    key: PrivateKey,
    cert: cx509.Certificate,
    *,
    detached: bool = True,
    chain: Sequence[cx509.Certificate] = (),
    signing_time: dt.datetime | None = None,
    include_certificate: bool = True,
) -> bytes:
    """A DER CMS SignedData over ``content`` (SHA-256, signed attributes with the message digest)."""
    signing_time = signing_time or dt.datetime.now(dt.UTC)
    a_cert = x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signed_attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": signing_time})]}),
            cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(content).digest()]}),
        ]
    )
    to_sign = signed_attrs.dump()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_algo = "rsassa_pkcs1v15"
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        sig_algo = "sha256_ecdsa"
    else:  # pragma: no cover - the test PKI makes RSA and ECDSA keys only
        raise TypeError("RSA or ECDSA keys only")
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": a_cert.issuer, "serial_number": a_cert.serial_number}
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algo}),
            "signature": signature,
        }
    )
    certs = [a_cert] if include_certificate else []
    certs += [x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain]
    encap: dict[str, object] = {"content_type": "data"}
    if not detached:
        encap["content"] = core.OctetString(content)
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": encap,
            "certificates": certs,
            "signer_infos": [signer],
        }
    )
    der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return der
