from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel
from portal.validators import normalize_phone, validate_iin, validate_phone


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class Person(TimeStampedModel):
    """A physical person known to the portal: a recipient, a legal representative, or both."""

    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[validate_iin])
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    # E.164 (+77XXXXXXXXX), as registered in the mobile-citizens base. Wider than E.164 so a
    # form takes the number as typed; clean() stores it normalised.
    phone = models.CharField(_("mobile phone"), max_length=24, blank=True, validators=[validate_phone])
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.RUSSIAN
    )
    # Permanent registration (Q-6 b): the address and the ATU it lies in.
    registration_atu = models.ForeignKey(
        "territory.Atu",
        verbose_name=_("ATU of permanent registration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    registration_address = models.CharField(_("address of permanent registration"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "iin"]

    def __str__(self):
        return f"{self.full_name} ({self.iin})"

    def clean(self):
        # Forms (the admin) accept "8 701 ...", "+7 (701) ..."; the row keeps E.164, as SMS needs it.
        if self.phone:
            self.phone = normalize_phone(self.phone)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def has_permanent_registration(self) -> bool:
        return self.registration_atu_id is not None


class Guardianship(TimeStampedModel):
    """A legal representative acts for a ward (a child, or an adult under guardianship)."""

    class Basis(models.TextChoices):
        PARENT = "parent", _("parent (birth certificate)")
        GUARDIAN = "guardian", _("guardian (decision of the guardianship authority)")
        TRUSTEE = "trustee", _("trustee (decision of the guardianship authority)")
        COURT = "court", _("court decision")
        POWER_OF_ATTORNEY = "poa", _("notarised power of attorney")

    representative = models.ForeignKey(
        Person, verbose_name=_("legal representative"), on_delete=models.PROTECT, related_name="wardships"
    )
    ward = models.ForeignKey(Person, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="guardianships")
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    document_number = models.CharField(_("basis document number"), max_length=64)
    document_date = models.DateField(_("basis document date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=~Q(representative=models.F("ward")), name="guardianship_not_self"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="guardianship_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.representative.full_name} → {self.ward.full_name}"
