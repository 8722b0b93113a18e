"""The citizen's pages of the survivor benefit (B-13..B-15), on the funeral payment's pattern (B-1): the
deceased breadwinner's IIN sends a code to the registered phone; the code, with the death document,
the dependants, the documents "as applicable" and the consent, files the application, for the
signed-in person or a ward they represent today. Or, chosen on the first page, the person signs the
same application with their own electronic signature instead of the code. Then the receipt; the
cabinet follows it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from benefits import services
from benefits.forms_survivor import (
    DEPENDANTS_PREFIX,
    DependantFormSet,
    SurvivorForm,
    survivor_errors_show,
    survivor_inputs,
)
from benefits.models import ApplicationCode, Programme
from benefits.services_survivor import (
    survivor_application_code_confirm,
    survivor_application_signature_confirm,
    survivor_signed_content,
)
from benefits.views import (
    BY_SIGNATURE,
    CodeForm,
    FuneralApplyForm,
    content_answer,
    form_error_add,
    form_errors_answer,
    person_of_request,
    signing_context,
)
from portal.accounts.access import OWN_OR_WARDS, allow, citizen
from portal.accounts.decorators import citizen_required
from portal.errors import ApplicationError
from portal.people.models import Person
from portal.people.selectors import ward_list

SELF = "self"


class SurvivorApplyForm(FuneralApplyForm):
    """Step 1: the deceased breadwinner's IIN (the funeral form's field, labelled for this benefit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deceased_iin"].label = gettext_lazy("IIN of the deceased breadwinner")


class SurvivorConfirmForm(SurvivorForm):
    """Step 2: for whom (the person or a ward), the application's data and the code from the SMS."""

    applicant = forms.ChoiceField(label=gettext_lazy("Applying for"))
    code = CodeForm.base_fields["code"]

    field_order = ["applicant"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wards = {str(w.pk): w for w in ward_list(representative=person).order_by("pk")}
        field = self.fields["applicant"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(SELF, _("myself"))] + [
            (pk, _("%(name)s (as the legal representative)") % {"name": w.full_name}) for pk, w in self.wards.items()
        ]
        field.initial = SELF


class SurvivorSignForm(SurvivorConfirmForm):
    """Step 2 with the signature: the deceased's IIN, for whom, the application's data; the signature
    (base64 CMS) from the signing widget instead of the code."""

    code = None  # type: ignore[assignment]
    deceased_iin = SurvivorApplyForm.base_fields["deceased_iin"]
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["deceased_iin", "applicant"]


@allow(citizen(OWN_OR_WARDS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def survivor_apply(request: HttpRequest) -> HttpResponse:
    """Step 1: the deceased breadwinner's IIN; the code goes to the signed-in person's registered phone."""
    person = person_of_request(request)
    form = SurvivorApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm_by"] == BY_SIGNATURE:
            iin = form.cleaned_data["deceased_iin"]
            sign_form = SurvivorSignForm(initial={"deceased_iin": iin}, person=person)
            return _sign_page(request, sign_form, DependantFormSet(prefix=DEPENDANTS_PREFIX), content=b"")
        try:
            row = services.application_code_request(
                person=person, deceased_iin=form.cleaned_data["deceased_iin"], programme=Programme.SURVIVOR
            )
        except ApplicationError as exc:
            form_error_add(form, exc, "deceased_iin")
        else:
            return redirect("benefits:survivor-confirm", code_id=row.public_id)
    return render(request, "benefits/survivor_apply.html", {"form": form, "has_phone": bool(person.phone)})


def _grown(data: Any) -> Any:
    """The dependants' formset with one more row ("add a dependant"); nothing is filed."""
    data = data.copy()
    key = f"{DEPENDANTS_PREFIX}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(min(int(data.get(key, "0")) + 1, 20))
    return data


@allow(citizen(OWN_OR_WARDS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def survivor_confirm(request: HttpRequest, code_id: Any) -> HttpResponse:
    """Step 2: the application with its documents and dependants, confirmed by the code (B-13..B-15)."""
    person = person_of_request(request)
    if not ApplicationCode.objects.filter(public_id=code_id, person=person, programme=Programme.SURVIVOR).exists():
        raise Http404
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    adding = data is not None and "add_dependant" in data
    if adding:
        data, files = _grown(data), None
    form = SurvivorConfirmForm(data, files, person=person)
    formset = DependantFormSet(data, files, prefix=DEPENDANTS_PREFIX)
    if data is not None and not adding and form.is_valid() and formset.is_valid():
        arguments, rows = survivor_inputs(form, formset)
        choice = form.cleaned_data["applicant"]
        applicant = person if choice == SELF else form.wards[choice]
        try:
            application = survivor_application_code_confirm(
                person=person,
                code_id=code_id,
                code=form.cleaned_data["code"],
                applicant=applicant,
                filed_by_user=request.user,
                **arguments,
            )
        except ApplicationError as exc:
            survivor_errors_show(exc, form, formset, rows, default_field="code")
        else:
            messages.success(request, _("Your application is accepted."))
            return redirect("benefits:receipt", public_id=application.public_id)
    return render(request, "benefits/survivor_confirm.html", {"form": form, "formset": formset})


def _sign_page(
    request: HttpRequest, form: SurvivorSignForm, formset: Any, *, content: bytes, status: int = 200
) -> HttpResponse:
    context = {"form": form, "formset": formset, **signing_context(content, reverse("benefits:survivor-sign"))}
    return render(request, "benefits/survivor_confirm.html", context, status=status)


@allow(citizen(OWN_OR_WARDS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def survivor_sign(request: HttpRequest) -> HttpResponse:
    """Step 2 with the signature (B-13): the person signs the application's canonical content (built
    here from the form as filled in, ``prepare``) with their own certificate, for themselves or their
    ward; the signed form files it as the code does. A signature the verifier refuses files nothing."""
    person = person_of_request(request)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    adding = data is not None and "add_dependant" in data
    if adding:
        data, files = _grown(data), None
    form = SurvivorSignForm(data, files, person=person)
    formset = DependantFormSet(data, files, prefix=DEPENDANTS_PREFIX)
    if data is None or adding:
        return _sign_page(request, form, formset, content=b"")
    prepare = "prepare" in data
    if not (form.is_valid() and formset.is_valid()):
        if prepare:
            return form_errors_answer(form, *formset.forms, others=formset.non_form_errors())
        return _sign_page(request, form, formset, content=b"", status=400)
    arguments, rows = survivor_inputs(form, formset)
    choice = form.cleaned_data["applicant"]
    applicant = person if choice == SELF else form.wards[choice]
    deceased_iin = form.cleaned_data["deceased_iin"]
    if prepare:
        return content_answer(
            survivor_signed_content(person=person, applicant=applicant, deceased_iin=deceased_iin, **arguments)
        )
    try:
        application = survivor_application_signature_confirm(
            person=person,
            signature=form.cleaned_data["signature"],
            applicant=applicant,
            deceased_iin=deceased_iin,
            filed_by_user=request.user,
            **arguments,
        )
    except ApplicationError as exc:
        survivor_errors_show(exc, form, formset, rows, default_field="signature")
        return _sign_page(request, form, formset, content=b"", status=400)
    messages.success(request, _("Your application is accepted."))
    return redirect("benefits:receipt", public_id=application.public_id)
