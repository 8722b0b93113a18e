"""The citizen's page of the disability benefits' one application (S-7, B-12, B-6, B-10, B-11).

The offer is the signed-in person's own (for a ward, the legal representative receives it); any other
is not found. The page lists the benefits of B-12 the act gives a right to; the person ticks the ones
they choose and consents; then it shows each application: its start date, due date and decision (the
amount, or the refusal's ground with how to apply again and where to complain).

``disability_document_upload`` takes the document a waiting decision asks for (B-7: the birth or the
marriage certificate a state system cannot hold; B-9: the State Corporation's request) from the
applicant or their legal representative; another's application is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from benefits import selectors
from benefits.models import Application, DisabilityBenefit, DisabilityOffer, DocumentKind
from benefits.refusals import refusal_notice
from benefits.services_disability import disability_document_add, disability_offer_consent, documents_awaited
from portal.accounts.access import OWN_OR_WARDS, ObjectCheck, allow, citizen
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


class DocumentForm(forms.Form):
    """B-7, B-9: one of the documents a waiting decision asks for, and its file."""

    kind = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG"))

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in DocumentKind.choices if value in kinds]


def document_errors_add(form: DocumentForm, exc: ApplicationError) -> None:
    """The service names the document's kind (or ``file``) as the field: on the form, the file's."""
    for item in exc.items:
        form.add_error("file" if item.field != "kind" else "kind", str(item.message))


OWN_WAITING_APPLICATION = ObjectCheck(
    "own_waiting_disability_application",
    "the signed-in person's own disability benefit application, or their ward's (a live guardianship), "
    "while its decision waits for a document; others' are not found",
)


@allow(citizen(OWN_WAITING_APPLICATION))
@citizen_required
@require_http_methods(["GET", "POST"])
def disability_document_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    """B-7, B-9: upload the document the decision waits for; the decision forms again when it is the
    one a state system could not hold."""
    person = getattr(request.user, "person", None)
    if not isinstance(person, Person):
        raise Http404
    application = selectors.application_of_person_or_ward(person=person, public_id=public_id)
    if application is None:
        raise Http404
    kinds = documents_awaited(application)
    form = DocumentForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            _document, decision = disability_document_add(
                application=application,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
        except ApplicationError as exc:
            document_errors_add(form, exc)
        else:
            messages.success(
                request,
                gettext("Document received: the decision has been formed.")
                if decision is not None
                else gettext("Document received: the decision is being prepared."),
            )
            return redirect("benefits:cabinet")
    status = 400 if request.method == "POST" else 200
    context = {"application": application, "form": form, "kinds": kinds}
    return render(request, "benefits/disability_documents.html", context, status=status)
