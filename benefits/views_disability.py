"""The citizen's page of the disability benefits' one application (S-7, B-12, B-6, B-10, B-11).

The offer is the signed-in person's own (for a ward, the legal representative receives it); any other
is not found. The page lists the benefits of B-12 the act gives a right to; the person ticks the ones
they choose and consents; then it shows each application: its start date, due date and decision (the
amount, or the refusal's ground with how to apply again and where to complain).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from benefits.models import Application, DisabilityBenefit, DisabilityOffer
from benefits.refusals import refusal_notice
from benefits.services_disability import disability_offer_consent
from portal.accounts.access import OWN_OR_WARDS, allow, citizen
from portal.accounts.decorators import citizen_required as _citizen_required
from portal.errors import ApplicationError
from portal.people.models import Person

_View = Callable[..., HttpResponse]
citizen_required: Callable[[_View], _View] = _citizen_required


class ChoiceForm(forms.Form):
    benefits = forms.MultipleChoiceField(
        label=_("Benefits you apply for"), widget=forms.CheckboxSelectMultiple, choices=DisabilityBenefit.choices
    )
    consent = forms.BooleanField(
        label=_("I consent to access to my personal data of restricted access needed for the benefits"),
        required=False,
    )

    def __init__(self, *args: Any, offered: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["benefits"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(value, label) for value, label in DisabilityBenefit.choices if value in offered]


def _offer(request: HttpRequest, public_id: str) -> DisabilityOffer:
    person = getattr(request.user, "person", None)
    if not isinstance(person, Person):
        raise Http404
    offer = DisabilityOffer.objects.select_related("act").filter(person=person, public_id=public_id).first()
    if offer is None:
        raise Http404
    return offer


def _rows(offer: DisabilityOffer) -> list[dict[str, Any]]:
    language = (get_language() or "ru")[:2]
    rows = []
    applications = (
        Application.objects.filter(assignment__offer=offer).select_related("assignment", "decision").order_by("pk")
    )
    for application in applications:
        decision = getattr(application, "decision", None)
        refusal = ""
        if decision is not None and decision.kind == "refused":
            refusal = refusal_notice(decision.ground_code, language)
        rows.append({"application": application, "decision": decision, "refusal": refusal})
    return rows


@allow(citizen(OWN_OR_WARDS))
@citizen_required
@require_http_methods(["GET", "POST"])
def disability_choice(request: HttpRequest, public_id: str) -> HttpResponse:
    """S-7, B-12: choose the benefits of the one application and consent; then follow each."""
    offer = _offer(request, public_id)
    form = ChoiceForm(request.POST or None, offered=list(offer.offered))
    if request.method == "POST" and offer.status == DisabilityOffer.Status.OFFERED and form.is_valid():
        try:
            disability_offer_consent(
                offer=offer,
                chosen=form.cleaned_data["benefits"],
                consent_personal_data=form.cleaned_data["consent"],
                filed_by_user=request.user,
            )
        except ApplicationError as exc:
            form.add_error("benefits", str(exc.message))
        else:
            return redirect("benefits:disability-choice", public_id=offer.public_id)
    return render(request, "benefits/disability_choice.html", {"offer": offer, "form": form, "rows": _rows(offer)})
