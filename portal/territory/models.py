"""Regions, administrative-territorial units (ATU) as a tree with KATO codes, and MSE departments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import CONTENT_LANGUAGES, TimeStampedModel, in_language
from portal.validators import validate_kato


class TrilingualName(models.Model):
    """A name in Kazakh, Russian and English; ``name`` is the one of the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Region(TrilingualName, TimeStampedModel):
    """A region (oblys) or a city of republican significance."""

    kato = models.CharField(_("KATO code"), max_length=9, unique=True, validators=[validate_kato])

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_ru"]

    def __str__(self):
        return self.name


class Atu(TrilingualName, TimeStampedModel):
    """An administrative-territorial unit: district or city under the region, rural okrug below."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        CITY = "city", _("city")
        RURAL_OKRUG = "okrug", _("rural okrug")
        SETTLEMENT = "settlement", _("settlement")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="atus")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    kato = models.CharField(_("KATO code"), max_length=9, unique=True, validators=[validate_kato])

    class Meta:
        verbose_name = _("administrative-territorial unit")
        verbose_name_plural = _("administrative-territorial units")
        ordering = ["kato"]

    def __str__(self):
        return self.name

    def ancestors_and_self(self) -> list["Atu"]:
        chain: list[Atu] = []
        node: Atu | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class MseDepartment(TrilingualName, TimeStampedModel):
    """An MSE department (отдел МСЭ): where people are examined."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments")
    number = models.PositiveSmallIntegerField(_("department number"))
    # The address in each language: pages, the API and SMS show the reader's; an empty Kazakh
    # or English part shows the Russian one, and the admin warns about it.
    city_kk = models.CharField(_("city (Kazakh)"), max_length=100, blank=True)
    city_ru = models.CharField(_("city (Russian)"), max_length=100)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    street_kk = models.CharField(_("street (Kazakh)"), max_length=150, blank=True)
    street_ru = models.CharField(_("street (Russian)"), max_length=150)
    street_en = models.CharField(_("street (English)"), max_length=150, blank=True)
    house = models.CharField(_("house"), max_length=20)
    room_kk = models.CharField(_("room (Kazakh)"), max_length=20, blank=True)
    room_ru = models.CharField(_("room (Russian)"), max_length=20)
    room_en = models.CharField(_("room (English)"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # The ATUs whose residents this department receives. A unit not listed falls back to its
    # parent's department, so mapping a district covers its rural okrugs.
    atus = models.ManyToManyField(Atu, verbose_name=_("ATUs served"), related_name="departments", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("MSE department")
        verbose_name_plural = _("MSE departments")
        ordering = ["region", "number"]
        constraints = [models.UniqueConstraint(fields=["region", "number"], name="department_number_unique_in_region")]

    def __str__(self):
        return f"№{self.number} {self.name}"

    @property
    def address(self) -> str:
        """The address in the active language."""
        return self.address_in(None)

    def address_in(self, language: str | None) -> str:
        """City, street, house, room (the order N-Q2 and N-Q3 write it in), in ``language``."""
        city, street, room = (in_language(self, field, language) for field in ("city", "street", "room"))
        return f"{city}, {street}, {self.house}, {room}"

    def addresses(self) -> dict[str, str]:
        """The address in each language, for an SMS written in its recipient's."""
        return {language: self.address_in(language) for language in CONTENT_LANGUAGES}
