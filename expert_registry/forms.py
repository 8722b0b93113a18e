"""The shape of the registry's forms; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from expert_registry.models import Application, ApplicationDocument
from portal.nosology.models import NosologyGroup


class ApplicationForm(forms.Form):
    """Appendix 1, and the declared data the rules of points 5 and 7 check."""

    residence_address = forms.CharField(label=_("Residence address"), max_length=300)
    nosology_groups = forms.ModelMultipleChoiceField(
        label=_("Nosological forms"),
        queryset=NosologyGroup.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    email = forms.EmailField(label=_("E-mail (mandatory)"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=24)
    diploma_specialty = forms.ChoiceField(label=_("Diploma specialty"), choices=Application.Specialty.choices)
    diploma_foreign = forms.BooleanField(label=_("The diploma was issued abroad"), required=False)
    certificate_specialty = forms.CharField(label=_("Specialist certificate: specialty"), max_length=200)
    certificate_number = forms.CharField(label=_("Specialist certificate: number"), max_length=64)
    mse_experience_months = forms.IntegerField(label=_("Work in MSE departments (months)"), min_value=0, initial=0)
    training_hours_last_5_years = forms.IntegerField(
        label=_("MSE training in the last 5 years (hours)"), min_value=0, initial=0
    )
    diploma = forms.FileField(label=_("Diploma (PDF, JPEG or PNG)"), required=False)
    recognition = forms.FileField(label=_("Recognition or nostrification of a foreign diploma"), required=False)
    employment = forms.FileField(label=_("Proof of continuous work experience"), required=False)
    certificate = forms.FileField(label=_("Specialist certificate"), required=False)
    training = forms.FileField(label=_("Proof of MSE training"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I consent to the collection and processing, including transfer to third parties, of my personal data "
            "(full name, IIN, bank details, e-mail, phone) by the Committee for regulation and control in social "
            "protection (BIN 141140008702), needed for inclusion in the registry, until exclusion from it. "
            "There is no cross-border transfer and no publication of the data."
        ),
        required=False,
    )
    warned_false_information = forms.BooleanField(
        label=_("I am warned of liability for false information and forged documents."), required=False
    )
    warned_equipment = forms.BooleanField(
        label=_(
            "I am warned that I provide my own computer meeting the requirements of the CBDI system and internet "
            "access to it through a USB modem."
        ),
        required=False,
    )
    tariff_accepted = forms.BooleanField(
        label=_("I have read and accept the tariff and terms of pay of a doctor-expert."), required=False
    )

    UPLOADS = ("diploma", "recognition", "employment", "certificate", "training")


class DocumentUploadForm(forms.Form):
    """E-3: a copy of a document the state systems lack, uploaded while the documents are checked."""

    kind = forms.ChoiceField(label=_("Document"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class ContractSignForm(forms.Form):
    """E-6: the CMS signature over the contract's text, filled by the signing widget."""

    signature = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"id": "id_signature"}))


class OwnExclusionForm(forms.Form):
    """E-7 (1), appendix 6: the expert's own application for exclusion."""

    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500, widget=forms.Textarea)
    confirm = forms.BooleanField(label=_("I ask to be excluded from the registry of experts"))
