"""Verification backends: ``local`` (RSA and ECDSA, in process) and ``ncanode`` (an NCANode-style
server, for NCA's GOST keys). Each returns a ``Verdict``; ``portal.signatures.services`` stores it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Verdict:
    outcome: str  # Outcome
    reason: str
    backend: str
    revocation: str = "unknown"
    revocation_source: str = ""
    signer_iin: str = ""
    signer_bin: str = ""
    certificate_serial: str = ""
    issuer: str = ""
    subject_cn: str = ""
    signing_time: dt.datetime | None = None
    roles: list[str] = field(default_factory=list)
