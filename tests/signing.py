"""Signing forms 031/u with the test PKI the suite trusts (``tests/conftest.py``: ``test_pki``)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from django.conf import settings

from portal.referrals.signing import referral_signed_content
from portal.signatures.testing import sign_cms
from portal.signatures.testpki import TestPki
from portal.validators import iin_build, normalize_icd10

# the VKK chair of every test referral unless a test names another
CHAIR_IIN = iin_build(dt.date(1970, 6, 1), female=True, serial=300)


def test_pki() -> TestPki:
    return TestPki(Path(settings.SIGNATURE_TRUSTED_ROOTS[0]).parent)


test_pki.__test__ = False


def sign_content(content: bytes, *, iin: str, bin: str = "", **kwargs) -> str:
    pki = test_pki()
    key, cert = pki.person(iin, bin=bin)
    return base64.b64encode(sign_cms(content, key, cert, chain=pki.chain(), **kwargs)).decode()


def signed(payload: dict, *, signer_iin: str | None = None, **kwargs) -> dict:
    """The API payload with the chair's IIN and a signature over its canonical content (P-5).

    A payload the API's own validation refuses is returned unsigned: the refusal comes first.
    """
    from portal.referrals.apis import ReferralIntakeApi

    payload = {"vkk_chair_iin": CHAIR_IIN, **payload}
    data = ReferralIntakeApi.Input(data=payload)
    if not data.is_valid():
        return payload
    fields = dict(data.validated_data)
    return {**payload, "signature": sign_intake(fields, signer_iin=signer_iin, **kwargs)["signature"]}


def sign_intake(fields: dict, *, signer_iin: str | None = None, **kwargs) -> dict:
    """``referral_intake``'s keyword arguments with the chair's IIN and the signature."""
    fields = {"vkk_chair_iin": CHAIR_IIN, "diagnosis_text": "", **fields}
    try:
        icd10 = normalize_icd10(fields["icd10"])
    except Exception:
        icd10 = fields["icd10"]
    content = referral_signed_content(
        person_iin=fields["person_iin"],
        organisation_bin=fields["organisation_bin"],
        external_id=fields["external_id"],
        icd10=icd10,
        signed_at=fields["signed_at"],
        vkk_chair_name=fields["vkk_chair_name"],
        vkk_chair_iin=fields["vkk_chair_iin"],
        diagnosis_text=fields.get("diagnosis_text", ""),
        examinations=fields.get("examinations"),
    )
    signer = signer_iin or fields["vkk_chair_iin"]
    signature = sign_content(content, iin=signer, bin=fields["organisation_bin"], **kwargs)
    return {**fields, "signature": signature}
