"""The survivor benefit's form (B-13..B-15), shared by the citizen's page and the State Corporation's
admin form: the death document, the dependants (a formset), the documents "as applicable" and the
consent. ``survivor_inputs`` turns the cleaned forms into the service's arguments, and
``survivor_errors_show`` puts the service's errors (``dependants[1].iin``) on the field they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from benefits.documents import SURVIVOR as SURVIVOR_DOCUMENTS
from benefits.models import Dependant, DocumentKind
from benefits.services_survivor import DependantInput
from portal.errors import ApplicationError
from portal.validators import iin_birth_date, validate_iin

FILE_HELP = _("PDF, JPEG or PNG")
OPTIONAL_DOCUMENTS = tuple(k for k in SURVIVOR_DOCUMENTS if k != DocumentKind.DEATH_DOCUMENT)
DEPENDANT_FIELD = re.compile(r"^dependants\[(\d+)\]\.(\w+)$")


def _file(kind: DocumentKind) -> forms.FileField:
    return forms.FileField(label=kind.label, required=False, help_text=FILE_HELP)


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


class SurvivorForm(forms.Form):
    """B-13, B-14: the application's own data; the deceased's IIN comes from the caller."""

    right_arose_on = _date(_("date of death (the day the right arose)"), required=True)
    death_document_number = forms.CharField(
        label=_("number of the death certificate or notice, or of the court decision"),
        max_length=40,
        required=False,
        help_text=_("Not needed when the civil registry has the death; otherwise give the number or attach the file."),
    )
    death_document = _file(DocumentKind.DEATH_DOCUMENT)
    civil_registry_note = _file(DocumentKind.CIVIL_REGISTRY_NOTE)
    guardianship = _file(DocumentKind.GUARDIANSHIP)
    military_id = _file(DocumentKind.MILITARY_ID)
    death_in_service = _file(DocumentKind.DEATH_IN_SERVICE)
    consent_personal_data = forms.BooleanField(
        label=_("I consent to access to my personal data of restricted access needed for the benefit"),
        required=False,
        help_text=_("Without the consent the application is refused (the law on personal data, art. 8)."),
    )


class DependantForm(forms.Form):
    """One dependant (B-13, B-15): who they are, the proof of kinship, for 18-23 the school's
    certificate, for a carer the youngest child cared for and the record of leaving work."""

    iin = forms.RegexField(
        regex=r"^\d{12}$",
        label=_("dependant's IIN"),
        error_messages={"invalid": _("Enter the 12 digits of the IIN.")},
    )
    relation = forms.ChoiceField(label=_("relation to the deceased"), choices=Dependant.Relation.choices)
    kinship_document = forms.CharField(
        label=_("number of the kinship document (birth, marriage, divorce, paternity)"),
        max_length=40,
        required=False,
        help_text=_("Not needed when the civil registry's birth record names the deceased as a parent."),
    )
    kinship = _file(DocumentKind.KINSHIP)
    study_certificate_number = forms.CharField(
        label=_("school certificate number (aged 18 to 23, full-time study)"), max_length=40, required=False
    )
    school_bin = forms.RegexField(regex=r"^\d{12}$", label=_("school's BIN"), required=False)
    full_time_until = _date(_("full-time study certified until"))
    study_certificate = _file(DocumentKind.STUDY_CERTIFICATE)
    youngest_cared_birth_date = _date(_("a carer: date of birth of the youngest child cared for (under 8)"))
    work_book_record = forms.CharField(
        label=_("a carer: the work book's record of leaving work"),
        max_length=100,
        required=False,
        help_text=_("Without it the state systems are asked whether you stopped working."),
    )

    def clean_iin(self) -> str:
        iin: str = self.cleaned_data["iin"]
        try:
            validate_iin(iin)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from None
        return iin


class BaseDependantFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(f.has_changed() for f in self.forms):
            raise ValidationError(_("Name at least one dependant."), code="no_dependants")


DependantFormSet = forms.formset_factory(
    DependantForm, formset=BaseDependantFormSet, extra=2, max_num=20, validate_max=True
)
DEPENDANTS_PREFIX = "dependants"


def survivor_inputs(form: forms.Form, formset: forms.BaseFormSet) -> tuple[dict[str, Any], list[int]]:  # type: ignore[type-arg]
    """The service's arguments from the cleaned forms, and which formset row each dependant is (the
    rows left empty are skipped, so ``dependants[i]`` of the service is row ``rows[i]``)."""
    data = form.cleaned_data
    dependants, rows = [], []
    for index, row in enumerate(formset.forms):
        d = row.cleaned_data
        if not row.has_changed() or not d:
            continue
        rows.append(index)
        dependants.append(
            DependantInput(
                iin=d["iin"],
                birth_date=iin_birth_date(d["iin"]),
                relation=d["relation"],
                kinship_document=d["kinship_document"],
                study_certificate_number=d["study_certificate_number"],
                school_bin=d["school_bin"],
                full_time_until=d["full_time_until"],
                youngest_cared_birth_date=d["youngest_cared_birth_date"],
                work_book_record=d["work_book_record"],
                documents={kind: d[kind] for kind in (DocumentKind.KINSHIP, DocumentKind.STUDY_CERTIFICATE)},
            )
        )
    arguments = {
        "right_arose_on": data["right_arose_on"],
        "death_document": data["death_document_number"],
        "dependants": dependants,
        "consent_personal_data": data["consent_personal_data"],
        "documents": {kind: data[kind] for kind in SURVIVOR_DOCUMENTS},
    }
    return arguments, rows


def survivor_errors_show(
    exc: ApplicationError,
    form: forms.Form,
    formset: forms.BaseFormSet,  # type: ignore[type-arg]
    rows: list[int],
    *,
    default_field: str | None = None,
) -> None:
    """Each of the service's errors on the field it names: ``dependants[i].<field>`` on that dependant's
    row, a field of ``form`` on it, anything else on ``default_field`` (or the form as a whole)."""
    for item in exc.items:
        match = DEPENDANT_FIELD.match(item.field or "")
        if match and int(match.group(1)) < len(rows):
            row = formset.forms[rows[int(match.group(1))]]
            name = match.group(2)
            row.add_error(name if name in row.fields else None, str(item.message))
        elif item.field in form.fields:
            form.add_error(item.field, str(item.message))
        else:
            form.add_error(default_field if default_field in form.fields else None, str(item.message))
