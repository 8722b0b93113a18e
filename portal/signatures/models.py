from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    VALID = "valid", _("valid")
    INVALID = "invalid", _("invalid")
    # the verifier could not say (a verification server down, a key type it does not know)
    UNKNOWN = "unknown", _("unknown")


class Revocation(models.TextChoices):
    OK = "ok", _("not revoked")
    REVOKED = "revoked", _("revoked")
    # OCSP said "try again later", no CRL, or no check was made: the caller decides what it means
    UNKNOWN = "unknown", _("unknown")


class SignatureVerification(models.Model):
    """One verification of a CMS signature: who signed, with what, and what the verifier said.

    Written for every call of ``signature_verify``, whatever the outcome, outside the caller's
    transaction when the caller verifies before opening it (referral intake does): a refused
    document leaves its verification behind. Append-only.
    """

    purpose = models.CharField(_("purpose"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=48)
    revocation = models.CharField(
        _("revocation status"), max_length=8, choices=Revocation.choices, default=Revocation.UNKNOWN
    )
    revocation_source = models.CharField(_("revocation checked by"), max_length=32, blank=True)
    backend = models.CharField(_("backend"), max_length=16)
    signer_iin = models.CharField(_("signer's IIN"), max_length=12, blank=True)
    signer_bin = models.CharField(_("signer's BIN"), max_length=12, blank=True)
    certificate_serial = models.CharField(_("certificate serial"), max_length=80, blank=True)
    issuer = models.CharField(_("certificate issuer"), max_length=500, blank=True)
    subject_cn = models.CharField(_("signer's name (certificate)"), max_length=300, blank=True)
    signing_time = models.DateTimeField(_("signing time"), null=True, blank=True)
    expected_iin = models.CharField(_("expected IIN"), max_length=12, blank=True)
    expected_bin = models.CharField(_("expected BIN"), max_length=12, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    # the document the signature is on, once it exists (a refused document has none)
    document_type = models.ForeignKey(
        ContentType, verbose_name=_("document type"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document_id = models.CharField(_("document id"), max_length=64, blank=True)
    document = GenericForeignKey("document_type", "document_id")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("signature verification")
        verbose_name_plural = _("signature verifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["document_type", "document_id"], name="sigver_document")]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.outcome} ({self.reason})"
