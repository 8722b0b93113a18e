"""signatures.E001: production (DEBUG off) refuses to start while a test PKI root is trusted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def trusted_roots_exclude_the_test_pki(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    from asn1crypto import pem, x509

    from portal.signatures.testpki import TEST_PKI_MARK

    errors: list[checks.CheckMessage] = []
    for path in settings.SIGNATURE_TRUSTED_ROOTS:
        try:
            data = Path(path).read_bytes()
        except OSError:
            errors.append(checks.Error(f"SIGNATURE_TRUSTED_ROOTS: {path} cannot be read.", id="signatures.E002"))
            continue
        ders = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        for der in ders:
            try:
                subject = x509.Certificate.load(der).subject.human_friendly
            except ValueError:
                errors.append(
                    checks.Error(f"SIGNATURE_TRUSTED_ROOTS: {path} is not a certificate.", id="signatures.E002")
                )
                break
            if TEST_PKI_MARK in subject:
                errors.append(
                    checks.Error(
                        f"SIGNATURE_TRUSTED_ROOTS trusts the test PKI's root ({path}) with DEBUG off.",
                        hint="Trust NCA's roots in production; the test PKI is for development and tests.",
                        id="signatures.E001",
                    )
                )
    return errors


@checks.register(checks.Tags.security)
def demo_signer_off_in_production(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
    """signatures.E003: the demo signer signs with the test PKI; production must not offer it."""
    if settings.DEBUG or not settings.SIGNATURE_DEMO_SIGNER:
        return []
    return [
        checks.Error(
            "SIGNATURE_DEMO_SIGNER is on with DEBUG off.",
            hint="The demo signer is for development; people sign with NCALayer in production.",
            id="signatures.E003",
        )
    ]
