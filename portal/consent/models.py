from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.codes.models import OneTimeCode
from portal.models import PublicIdModel, TimeStampedModel


class Consent(TimeStampedModel):
    """Q-12: consent of the subject, or of the legal representative, with time and scope."""

    class Scope(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("processing of personal data for the MSE service")
        RESTRICTED_DATA = "restricted_data", _("access to restricted personal data in state databases")
        SMS = "sms", _("SMS notifications")
        BENEFITS = "benefits", _("assignment of benefits without an application (proactive service)")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portal")
        SMS = "sms", _("SMS reply")
        IN_PERSON = "in_person", _("in person")
        # Recorded before X-8: an integrator's word that the person consented. No longer accepted.
        API = "api", _("integrator API")
        SMS_CODE = "sms_code", _("code sent to the registered phone, entered through an integrator")

    subject = models.ForeignKey(
        "people.Person", verbose_name=_("subject"), on_delete=models.PROTECT, related_name="consents"
    )
    given_by = models.ForeignKey(
        "people.Person", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="consents_given"
    )
    scope = models.CharField(_("scope"), max_length=32, choices=Scope.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_channel = models.CharField(_("withdrawn through"), max_length=16, choices=Channel.choices, blank=True)
    # the system through which the person confirmed the consent (channel sms_code), if any.
    integrator = models.ForeignKey(
        "accounts.Integrator",
        verbose_name=_("through integrator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            # one live consent per subject and scope: giving again while one is live changes nothing
            models.UniqueConstraint(
                fields=["subject", "scope"], condition=Q(withdrawn_at__isnull=True), name="consent_one_live_per_scope"
            ),
        ]

    def __str__(self):
        return f"{self.subject} · {self.get_scope_display()}"


class ConsentCode(OneTimeCode, PublicIdModel):
    """X-8: a one-time code sent to the registered phone of the person who may consent, at an
    integrator's request; the integrator submits it back. Only the code's hash is stored."""

    subject = models.ForeignKey(
        "people.Person", verbose_name=_("subject"), on_delete=models.PROTECT, related_name="consent_codes"
    )
    given_by = models.ForeignKey(
        "people.Person", verbose_name=_("sent to"), on_delete=models.PROTECT, related_name="consent_codes_sent"
    )
    integrator = models.ForeignKey(
        "accounts.Integrator", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(_("scope"), max_length=32, choices=Consent.Scope.choices)
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent code")
        verbose_name_plural = _("consent codes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["given_by", "created_at"], name="consent_code_sent_idx")]

    def hash_context(self) -> tuple[str, ...]:
        return ("consent", str(self.public_id))

    def __str__(self):
        return f"{self.subject} · {self.get_scope_display()} · {self.created_at:%d.%m.%Y %H:%M}"
