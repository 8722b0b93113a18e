"""Forms of the register's staff pages: a field session or home visit planned (S-4), the service
refused (S-6). They only read the input's shape; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.acts.models import FIELD_PLACES, RefusalGround


class PlanForm(forms.Form):
    place = forms.ChoiceField(
        label=_("Where"), choices=[(p.value, p.label) for p in FIELD_PLACES], widget=forms.RadioSelect
    )
    planned_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    address = forms.CharField(
        label=_("Address or institution"), max_length=300, required=False, help_text=_("Where the commission goes.")
    )


class RefusalForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (S-6)"), choices=RefusalGround.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("What was found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), strip=True
    )
    decided_on = forms.DateField(label=_("Date of refusal"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["details"].help_text = _("Which document or data, and why it does not meet the requirements.")
