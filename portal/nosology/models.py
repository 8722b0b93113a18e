"""P-2: nosological forms as data, each with the ICD-10 codes it covers.

Shared by the remote pilot (which referrals it takes, P-1, P-3) and the registry of experts (which
forms an expert may review, E-2), so it lives in the core and neither app owns it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel, in_language
from portal.validators import validate_icd10


class NosologyGroup(TimeStampedModel):
    """A nosological form of the pilot's list (appendix 1 to the algorithm), with its titles."""

    number = models.PositiveSmallIntegerField(_("number in the act's list"), unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    listing = models.TextField(
        _("ICD-10 codes as the act lists them"),
        blank=True,
        help_text=_("For reference; the codes the portal matches are the rows below."),
    )
    children_only = models.BooleanField(
        _("children only"), default=False, help_text=_("The act names the form for children (under 18).")
    )

    class Meta:
        verbose_name = _("nosological form")
        verbose_name_plural = _("nosological forms")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return in_language(self, "title")


class NosologyCode(models.Model):
    """One ICD-10 code (a category such as S48, or a subcode such as S48.1) of a nosological form."""

    group = models.ForeignKey(
        NosologyGroup, verbose_name=_("nosological form"), on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("ICD-10 code"), max_length=8, unique=True, validators=[validate_icd10])

    class Meta:
        verbose_name = _("ICD-10 code of a nosological form")
        verbose_name_plural = _("ICD-10 codes of nosological forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
