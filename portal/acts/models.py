"""The register of MSE acts (P-8, S-4..S-6): acts, refusals of the service, planned field sessions.

Every act carries the conclusion signed by the staff member (or expert) who registered it, verified
by ``portal.signatures`` (its ``SignatureVerification`` is kept with it). An act's number is unique,
``<region code>-<department number>-<year>-<sequence>``, the sequence counted per department and
year (``ActNumberSequence``, locked in ``locks.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import PublicIdModel, TimeStampedModel
from portal.validators import validate_iin


class Place(models.TextChoices):
    """S-4: where the examination takes place."""

    DEPARTMENT = "department", _("at the MSE department")
    HOSPITAL = "hospital", _("field session: hospital at the place of residence")
    SPECIALISED = "specialised", _("field session: specialised institution where the person is treated")
    PENITENTIARY = "penitentiary", _("field session: penitentiary institution")
    REMAND = "remand", _("field session: remand centre")
    HOME = "home", _("at home or in hospital: the VKK says the person cannot come")
    IN_ABSENTIA = "in_absentia", _("in absentia, with consent")
    REMOTE = "remote", _("remote (proactive remote examination)")


# S-4: the places a department's staff travel to; a plan names one of these.
FIELD_PLACES = (Place.HOSPITAL, Place.SPECIALISED, Place.PENITENTIARY, Place.REMAND, Place.HOME)


class ExaminationKind(models.TextChoices):
    PRIMARY = "primary", _("primary examination")
    REPEAT = "repeat", _("re-examination")


class DisabilityGroup(models.TextChoices):
    I = "1", _("group I")  # noqa: E741
    II = "2", _("group II")
    III = "3", _("group III")


class Cause(models.TextChoices):
    GENERAL_ILLNESS = "general_illness", _("general illness")
    WORK_INJURY = "work_injury", _("work injury")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("occupational disease")
    SINCE_CHILDHOOD = "since_childhood", _("since childhood")
    CHILD = "child", _("disabled child")
    MILITARY_SERVICE = "military_service", _("injury in military service")
    RADIATION = "radiation", _("nuclear tests, ecological or radiation causes")
    OTHER = "other", _("other")


class Category(models.TextChoices):
    CHILD = "child", _("child")
    ADULT = "adult", _("adult")


class RefusalGround(models.TextChoices):
    """S-6, the standard's point 9: the grounds for refusing the service, as the law lists them."""

    UNRELIABLE_DOCUMENTS = (
        "unreliable_documents",
        _("the documents submitted, or the data in them, are established to be unreliable"),
    )
    RULES_NONCOMPLIANCE = (
        "rules_noncompliance",
        _("the person or the materials, data and information do not meet the requirements of the MSE Rules"),
    )


class MseAct(PublicIdModel):
    """An MSE act in the register (P-8): the decision and the signed conclusion."""

    number = models.CharField(_("act number"), max_length=40, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("number in the year"), editable=False)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mse_acts"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral (form 031/u)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mse_acts",
    )
    department = models.ForeignKey(
        "territory.MseDepartment", verbose_name=_("MSE department"), on_delete=models.PROTECT, related_name="mse_acts"
    )
    kind = models.CharField(_("examination"), max_length=8, choices=ExaminationKind.choices)
    place = models.CharField(_("place of examination"), max_length=16, choices=Place.choices)
    # S-4: in absentia only with the consent of the person or their legal representative
    absentia_consent = models.BooleanField(_("consent to an examination in absentia"), default=False)
    examined_on = models.DateField(_("date of examination"))
    registered_at = models.DateTimeField(_("registered at"), editable=False)
    # the decision
    recognised = models.BooleanField(_("recognised as a person with disability"))
    group = models.CharField(_("disability group"), max_length=1, choices=DisabilityGroup.choices, blank=True)
    cause = models.CharField(_("cause"), max_length=24, choices=Cause.choices, blank=True)
    category = models.CharField(_("category"), max_length=5, choices=Category.choices)
    term_until = models.DateField(_("established until"), null=True, blank=True)
    without_term = models.BooleanField(_("without a re-examination date"), default=False)
    general_capacity_loss = models.PositiveSmallIntegerField(
        _("degree of loss of general working capacity, %"), null=True, blank=True
    )
    professional_capacity_loss = models.PositiveSmallIntegerField(
        _("degree of loss of professional working capacity, %"), null=True, blank=True
    )
    # S-5: the parts of the individual rehabilitation programme (IPR) developed, and help and care
    ipr_social = models.BooleanField(_("social part of the IPR developed"), default=False)
    ipr_professional = models.BooleanField(_("professional part of the IPR developed"), default=False)
    needs_help_and_care = models.BooleanField(_("needs additional help and care"), default=False)
    # P-8: the conclusion signed with the EDS of the staff member who registered it
    signature = models.TextField(_("signed conclusion (CMS)"))
    signature_verification = models.ForeignKey(
        "signatures.SignatureVerification",
        verbose_name=_("signature verification"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signature_revocation_unknown = models.BooleanField(_("revocation not established: check by hand"), default=False)
    signer_iin = models.CharField(_("signer's IIN"), max_length=12)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("MSE act")
        verbose_name_plural = _("MSE acts")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "sequence"], name="act_sequence_unique"),
            # a group exactly when recognised
            models.CheckConstraint(
                condition=(Q(recognised=True) & ~Q(group="")) | (Q(recognised=False) & Q(group="")),
                name="act_group_iff_recognised",
            ),
            # a term or "without term", never both; neither when not recognised
            models.CheckConstraint(
                condition=~(Q(without_term=True) & Q(term_until__isnull=False)), name="act_term_or_without"
            ),
            models.CheckConstraint(
                condition=Q(general_capacity_loss__isnull=True)
                | Q(general_capacity_loss__gte=30, general_capacity_loss__lte=100),
                name="act_general_loss_range",
            ),
            models.CheckConstraint(
                condition=Q(professional_capacity_loss__isnull=True)
                | Q(professional_capacity_loss__gte=5, professional_capacity_loss__lte=100),
                name="act_professional_loss_range",
            ),
        ]
        indexes = [models.Index(fields=["term_until"], name="act_term_until")]

    def __str__(self) -> str:
        return self.number


class ActNumberSequence(models.Model):
    """The last act number given in a department in a year; its row is locked to give the next."""

    department = models.ForeignKey("territory.MseDepartment", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="act_number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.year}: {self.last}"


class ServiceRefusal(PublicIdModel):
    """S-6: the service refused, on one of the law's two grounds."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mse_refusals"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral (form 031/u)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mse_refusals",
    )
    department = models.ForeignKey(
        "territory.MseDepartment", verbose_name=_("MSE department"), on_delete=models.PROTECT, related_name="+"
    )
    ground = models.CharField(_("ground (S-6)"), max_length=24, choices=RefusalGround.choices)
    details = models.TextField(_("details"), max_length=2000)
    decided_on = models.DateField(_("date of refusal"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("refusal of the service")
        verbose_name_plural = _("refusals of the service")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} ({self.decided_on:%d.%m.%Y})"


class ExaminationPlan(PublicIdModel):
    """S-4: a field session or a home visit planned by the department's staff from a referral."""

    referral = models.ForeignKey(
        "referrals.Referral", verbose_name=_("referral (form 031/u)"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "territory.MseDepartment", verbose_name=_("MSE department"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place of examination"), max_length=16, choices=Place.choices)
    planned_on = models.DateField(_("planned date"))
    address = models.CharField(_("address or institution"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planned by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("planned field examination")
        verbose_name_plural = _("planned field examinations")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "planned_on"], name="plan_once_per_referral_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_place_display()} {self.planned_on:%d.%m.%Y}"


class StaffSignatory(TimeStampedModel):
    """The IIN of a staff member's signing certificate: whose signature an act they register must carry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="signatory"
    )
    iin = models.CharField(_("IIN of the signing certificate"), max_length=12, validators=[validate_iin])

    class Meta:
        verbose_name = _("staff signatory")
        verbose_name_plural = _("staff signatories")

    def __str__(self) -> str:
        return f"{self.user} ({self.iin[:6]}******)"


class TermReminder(models.Model):
    """X-10: the one reminder sent for an act whose term ends soon (unique per act)."""

    act = models.OneToOneField(MseAct, on_delete=models.CASCADE, related_name="term_reminder")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-examination reminder")
        verbose_name_plural = _("re-examination reminders")

    def __str__(self) -> str:
        return f"{self.act_id}: {self.sent_at:%d.%m.%Y}"
