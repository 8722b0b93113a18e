"""Forms of the expert's workspace (item 6) and the methodology department (E-8). They read only the
input's shape; the rules are the services' (``conclusion_content``, ``act_decision_check``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mse_pilot.services import ConclusionDraft
from portal.acts.models import Cause, DisabilityGroup


def _is_yes(value: str) -> bool:
    return value == "yes"


class ConclusionForm(forms.Form):
    """Item 6: the expert's conclusion on a remote case."""

    recognised = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("recognised as a person with disability")), ("no", _("not recognised"))],
        coerce=_is_yes,
        widget=forms.RadioSelect,
    )
    group = forms.ChoiceField(
        label=_("Disability group"), choices=[("", _("none")), *DisabilityGroup.choices], required=False
    )
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", _("none")), *Cause.choices], required=False)
    term_until = forms.DateField(
        label=_("Established until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    without_term = forms.BooleanField(label=_("Without a re-examination date"), required=False)
    general_capacity_loss = forms.IntegerField(
        label=_("Degree of loss of general working capacity, %"), required=False, min_value=0, max_value=1000
    )
    professional_capacity_loss = forms.IntegerField(
        label=_("Degree of loss of professional working capacity, %"), required=False, min_value=0, max_value=1000
    )
    ipr_social = forms.BooleanField(label=_("Social part of the IPR needed"), required=False)
    ipr_professional = forms.BooleanField(label=_("Professional part of the IPR needed"), required=False)
    needs_help_and_care = forms.BooleanField(label=_("Needs additional help and care"), required=False)
    rehabilitation_needs = forms.CharField(
        label=_("Rehabilitation needs for the IPR"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def draft(self) -> ConclusionDraft:
        d: dict[str, Any] = self.cleaned_data
        return ConclusionDraft(
            recognised=bool(d["recognised"]),
            reasons=d["reasons"],
            group=d["group"] or "",
            cause=d["cause"] or "",
            term_until=d["term_until"],
            without_term=bool(d["without_term"]),
            general_capacity_loss=d["general_capacity_loss"],
            professional_capacity_loss=d["professional_capacity_loss"],
            ipr_social=bool(d["ipr_social"]),
            ipr_professional=bool(d["ipr_professional"]),
            needs_help_and_care=bool(d["needs_help_and_care"]),
            rehabilitation_needs=d["rehabilitation_needs"] or "",
        )


class DeclineForm(forms.Form):
    """E-8 [A]: a member declines the case (it goes to the methodology department)."""

    reason = forms.CharField(label=_("Why you decline"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
