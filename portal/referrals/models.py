import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import PublicIdModel, TimeStampedModel, in_language
from portal.validators import validate_bin, validate_icd10


class MisVendor(models.TextChoices):
    """Hospital information systems named in the remote-pilot rollout (P-1)."""

    DAMU = "damu", "DAMU"
    ZHETYSU = "zhetysu", "Zhetysu"
    NADEZHDA = "nadezhda", "Nadezhda"
    INFOMED = "infomed", "Infomed Kazakhstan"
    AVICENNA = "avicenna", "MIS Avicenna"
    OTHER = "other", _("other")


class MedicalOrganisation(TimeStampedModel):
    # The name in each language; an empty Kazakh or English name shows the Russian one.
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    region = models.ForeignKey("territory.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    mis_vendor = models.CharField(_("MIS vendor"), max_length=16, choices=MisVendor.choices)
    # The integrator allowed to submit referrals signed in this organisation.
    integrator = models.ForeignKey(
        "accounts.Integrator", verbose_name=_("integrator"), on_delete=models.PROTECT, related_name="organisations"
    )

    class Meta:
        verbose_name = _("medical organisation")
        verbose_name_plural = _("medical organisations")
        ordering = ["name_ru"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return in_language(self, "name")


class Referral(PublicIdModel):
    """Form 031/u: a hospital's referral of a person to MSE, signed by the VKK chair."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ROUTED = "routed", _("routed")
        CLOSED = "closed", _("closed (examined)")
        WITHDRAWN = "withdrawn", _("withdrawn by the medical organisation")

    class Route(models.TextChoices):
        UNROUTED = "", _("not routed")
        IN_PERSON = "in_person", _("in-person examination (electronic queue)")
        REMOTE_PILOT = "remote_pilot", _("proactive remote examination (pilot)")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals"
    )
    medical_organisation = models.ForeignKey(
        MedicalOrganisation, verbose_name=_("medical organisation"), on_delete=models.PROTECT, related_name="referrals"
    )
    external_id = models.CharField(_("number in the MIS"), max_length=64)
    icd10 = models.CharField(_("ICD-10 diagnosis"), max_length=8, validators=[validate_icd10], db_index=True)
    diagnosis_text = models.CharField(_("diagnosis"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    vkk_chair_name = models.CharField(_("VKK chair"), max_length=200)
    vkk_chair_iin = models.CharField(_("VKK chair IIN"), max_length=12, blank=True)
    signature = models.TextField(_("EDS signature (CMS, base64)"), blank=True)
    # P-5: the verification of ``signature`` at intake
    signature_verification = models.ForeignKey(
        "signatures.SignatureVerification",
        verbose_name=_("signature verification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # P-5: accepted although the revocation of the chair's certificate could not be established
    signature_revocation_unknown = models.BooleanField(
        _("signature's revocation unknown"),
        default=False,
        help_text=_("The certificate's revocation could not be checked at intake: check it by hand."),
    )
    valid_until = models.DateTimeField(_("valid until"), editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices, default=Route.UNROUTED, blank=True)

    class Meta:
        verbose_name = _("referral (form 031/u)")
        verbose_name_plural = _("referrals (form 031/u)")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["medical_organisation", "external_id"], name="referral_unique_per_mis"),
        ]

    def __str__(self):
        return f"031/u {self.external_id} · {self.person.full_name}"

    def save(self, *args, **kwargs):
        self.valid_until = referral_valid_until(self.signed_at)
        super().save(*args, **kwargs)

    # S-2: valid for at most one month from signing.
    VALIDITY = relativedelta(months=1)

    def is_valid_at(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.signed_at <= moment <= referral_valid_until(self.signed_at) and self.status not in (
            self.Status.WITHDRAWN,
            self.Status.CLOSED,
        )


def referral_valid_until(signed_at: dt.datetime) -> dt.datetime:
    """S-2: the end of a form 031/u's validity, one calendar month after signing.

    The month is counted on the Asia/Almaty calendar, not in UTC: signed on 31 March at 02:00
    local time (30 March in UTC) the form ends on 30 April, not on 1 May. A month without the day
    ends on its last day (31 January -> 28 February).
    """
    local = timezone.localtime(signed_at, timezone.get_default_timezone())
    return local + Referral.VALIDITY


class ReferralExamination(models.Model):
    """An examination attached to the referral (P-3 names the mandatory ones per nosology)."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="examinations"
    )
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("examination")
        verbose_name_plural = _("examinations")
        ordering = ["referral", "code"]

    def __str__(self):
        return self.title
