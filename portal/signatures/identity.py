"""Who a certificate names: NCA's subject conventions (FACTS: ``SERIALNUMBER=IIN…``, ``OU=BIN…``)."""

from __future__ import annotations

import re
from typing import TypedDict

from asn1crypto import x509

IIN_RE = re.compile(r"^IIN(\d{12})$")
BIN_RE = re.compile(r"^BIN(\d{12})$")
# Kazakhstan's GOST 34.10 keys (NCA) and Russia's: the path validators do not know them.
GOST_KEY_PREFIXES = ("1.2.398.3.10.", "1.2.643.")


class Identity(TypedDict):
    """The ``Verdict`` fields a certificate fills."""

    signer_iin: str
    signer_bin: str
    certificate_serial: str
    issuer: str
    subject_cn: str


def _first(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def certificate_identity(cert: x509.Certificate) -> Identity:
    """IIN, BIN, serial, issuer and common name, as the ``Verdict`` fields."""
    subject = cert.subject.native
    iin = IIN_RE.match(_first(subject.get("serial_number")))
    bins = subject.get("organizational_unit_name") or []
    bins = bins if isinstance(bins, list) else [bins]
    bin_match = next((m for m in (BIN_RE.match(str(b)) for b in bins) if m), None)
    return {
        "signer_iin": iin.group(1) if iin else "",
        "signer_bin": bin_match.group(1) if bin_match else "",
        "certificate_serial": format(cert.serial_number, "x"),
        "issuer": cert.issuer.human_friendly[:500],
        "subject_cn": _first(subject.get("common_name"))[:300],
    }


def is_gost(cert: x509.Certificate) -> bool:
    oid: str = cert["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"].dotted
    return oid.startswith(GOST_KEY_PREFIXES)
