"""Pages of the benefits: the citizen's cabinet, applying for the funeral payment on the portal,
confirmed with a code sent to the registered phone or with the person's electronic signature (B-1),
the printable receipt (B-2), the proactive offer's answer page (B-1), and the staff's approval with a
signature (item 7)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from benefits import selectors, services, services_survivor
from benefits.models import (
    Application,
    ApplicationCode,
    ApplicationDocument,
    DecisionKind,
    DocumentKind,
    ProactiveOffer,
)
from benefits.refusals import GROUNDS, refusal_notice
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import (
    ObjectCheck,
    allow,
    anonymous,
    citizen,
    committee_staff,
    department_staff,
    operator,
    provider_staff,
)
from portal.accounts.decorators import citizen_required
from portal.errors import ApplicationError, ErrorItem, NotFoundError, error_body
from portal.people.models import Person
from portal.people.selectors import person_can_act_for
from portal.signatures.widgets import signing_widget
from portal.uploads import private_file_response

OWN_APPLICATIONS = ObjectCheck(
    "own_benefit_applications",
    "the signed-in person's own benefit applications (as the applicant) and their wards' (a live "
    "guardianship); others' are not found",
)
OWN_CARER_SHARES = ObjectCheck(
    "own_carer_shares",
    "the signed-in person's own paid carer's shares of a survivor benefit (B-15, by their IIN); others' are not found",
)
OFFER_LINK = ObjectCheck(
    "offer_link",
    "the one proactive offer a signed link names (sent only to the person's registered phone); a forged or "
    "expired link reads nothing; no personal data is shown",
)


BY_CODE, BY_SIGNATURE = "code", "signature"


class FuneralApplyForm(forms.Form):
    deceased_iin = forms.RegexField(
        regex=r"^\d{12}$",
        label=gettext_lazy("IIN of the deceased"),
        error_messages={"invalid": gettext_lazy("Enter the 12 digits of the IIN.")},
    )
    # B-1: the portal application is confirmed by a code to the registered phone or by the signature
    confirm_by = forms.ChoiceField(
        label=gettext_lazy("How you confirm the application"),
        choices=[
            (BY_CODE, gettext_lazy("with a code sent to my registered mobile phone")),
            (BY_SIGNATURE, gettext_lazy("with my electronic signature (NCALayer)")),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial=BY_CODE,
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label=gettext_lazy("Code from the SMS"),
        error_messages={"invalid": gettext_lazy("Enter the 6 digits of the code from the SMS.")},
    )
    # B-5: only when the civil registry does not confirm the death
    death_date = forms.DateField(
        label=gettext_lazy("date of death on the certificate"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    death_certificate_number = forms.CharField(
        label=gettext_lazy("death certificate number"), max_length=40, required=False
    )
    death_certificate = forms.FileField(
        label=DocumentKind.DEATH_CERTIFICATE.label, required=False, help_text=gettext_lazy("PDF, JPEG or PNG")
    )


class FuneralSignForm(forms.Form):
    """B-1 with the signature: the deceased's IIN and the documents of ``CodeForm``, signed instead of
    the code; the signature (base64 CMS) comes from the signing widget."""

    deceased_iin = FuneralApplyForm.base_fields["deceased_iin"]
    death_date = CodeForm.base_fields["death_date"]
    death_certificate_number = CodeForm.base_fields["death_certificate_number"]
    death_certificate = CodeForm.base_fields["death_certificate"]
    signature = forms.CharField(widget=forms.HiddenInput, required=False)


class WorkBookForm(forms.Form):
    share = forms.UUIDField(widget=forms.HiddenInput)
    work_book_record = forms.CharField(
        label=gettext_lazy("Work book record of leaving work (its number and date)"), max_length=200
    )


def person_of_request(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if not isinstance(person, Person):  # citizen_required lets only a person's account in
        raise Http404
    return person


def form_error_add(form: forms.Form, exc: ApplicationError, default_field: str) -> None:
    form.add_error(exc.field if exc.field in form.fields else default_field, str(exc.message))


def signing_context(content: bytes, content_url: str) -> dict[str, Any]:
    """The signing page's widget and the text signed (the server's canonical content)."""
    return {
        "text": content.decode(),
        "signing": signing_widget(content=content, target="id_signature", content_url=content_url),
    }


def content_answer(content: bytes) -> JsonResponse:
    """The canonical content for the form as filled in, for the widget to sign (``content_url``)."""
    return JsonResponse({"content": base64.b64encode(content).decode("ascii"), "text": content.decode()})


def form_errors_answer(*forms_: forms.BaseForm, others: Any = ()) -> JsonResponse:
    """A form the widget cannot sign yet: each field's errors, as the core's one error shape."""
    items = [
        ErrorItem(None if name == "__all__" else form.add_prefix(name), "invalid", str(message))
        for form in forms_
        for name, errors in form.errors.items()
        for message in errors
    ]
    items += [ErrorItem(None, "invalid", str(message)) for message in others]
    return JsonResponse(error_body(items), status=400)


@allow(citizen(OWN_APPLICATIONS))
@citizen_required  # type: ignore[untyped-decorator]
def cabinet(request: HttpRequest) -> HttpResponse:
    """The person's applications: stage, decision due date, receipt, decision and amount."""
    person = person_of_request(request)
    applications = list(selectors.applications_of_person_and_wards(person=person))
    is_carer = selectors.paid_carer_shares(iin=person.iin).exists()
    requests = list(selectors.information_requests_of_person(person=person)[:50])  # B-9: the answers
    context = {"applications": applications, "is_carer": is_carer, "requests": requests}
    return render(request, "benefits/cabinet.html", context)


@allow(citizen(OWN_APPLICATIONS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def funeral_apply(request: HttpRequest) -> HttpResponse:
    """B-1, step 1: the deceased's IIN; the code goes to the applicant's registered phone."""
    person = person_of_request(request)
    form = FuneralApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm_by"] == BY_SIGNATURE:
            sign_form = FuneralSignForm(initial={"deceased_iin": form.cleaned_data["deceased_iin"]})
            return _funeral_sign_page(request, person, sign_form, form.cleaned_data["deceased_iin"])
        try:
            row = services.application_code_request(person=person, deceased_iin=form.cleaned_data["deceased_iin"])
        except ApplicationError as exc:
            form_error_add(form, exc, "deceased_iin")
        else:
            return redirect("benefits:funeral-confirm", code_id=row.public_id)
    return render(request, "benefits/funeral_apply.html", {"form": form, "has_phone": bool(person.phone)})


@allow(citizen(OWN_APPLICATIONS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def funeral_confirm(request: HttpRequest, code_id: Any) -> HttpResponse:
    """B-1, step 2: the code from the SMS files the application; the checks of B-3 run at once."""
    person = person_of_request(request)
    if not ApplicationCode.objects.filter(public_id=code_id, person=person).exists():
        raise Http404
    form = CodeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_code_confirm(
                person=person,
                code_id=code_id,
                code=data["code"],
                presented_death_date=data["death_date"],
                presented_certificate=data["death_certificate_number"],
                documents={"death_certificate": data["death_certificate"]},
            )
        except ApplicationError as exc:
            for item in exc.items:
                form.add_error(item.field if item.field in form.fields else "code", str(item.message))
        else:
            if application.number:
                messages.success(request, _("Your application is accepted."))
            else:
                messages.error(
                    request,
                    _("Your application is not accepted: %(reason)s") % {"reason": services.refusal_text(application)},
                )
            return redirect("benefits:receipt", public_id=application.public_id)
    return render(request, "benefits/funeral_confirm.html", {"form": form})


def _funeral_sign_page(
    request: HttpRequest, person: Person, form: FuneralSignForm, deceased_iin: str, status: int = 200
) -> HttpResponse:
    content = services.funeral_signed_content(person=person, deceased_iin=deceased_iin)
    context = {"form": form, **signing_context(content, reverse("benefits:funeral-sign"))}
    return render(request, "benefits/funeral_confirm.html", context, status=status)


@allow(citizen(OWN_APPLICATIONS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def funeral_sign(request: HttpRequest) -> HttpResponse:
    """B-1, step 2 with the signature: the person signs the application's canonical content (built here
    from the form as filled in, ``prepare``) with their own certificate; the signed form files it, the
    checks of B-3 run at once, as with the code. A signature the verifier refuses files nothing."""
    person = person_of_request(request)
    form = FuneralSignForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _funeral_sign_page(request, person, form, "")
    if not form.is_valid():
        if "prepare" in request.POST:
            return form_errors_answer(form)
        return _funeral_sign_page(request, person, form, request.POST.get("deceased_iin", ""), status=400)
    data = form.cleaned_data
    arguments = {
        "deceased_iin": data["deceased_iin"],
        "presented_death_date": data["death_date"],
        "presented_certificate": data["death_certificate_number"],
        "documents": {"death_certificate": data["death_certificate"]},
    }
    if "prepare" in request.POST:
        return content_answer(services.funeral_signed_content(person=person, **arguments))
    try:
        application = services.application_signature_confirm(person=person, signature=data["signature"], **arguments)
    except ApplicationError as exc:
        for item in exc.items:  # the signature's reason stands above the form (its field is hidden)
            field = item.field if item.field in form.fields and item.field != "signature" else None
            form.add_error(field, str(item.message))
        return _funeral_sign_page(request, person, form, data["deceased_iin"], status=400)
    if application.number:
        messages.success(request, _("Your application is accepted."))
    else:
        messages.error(
            request, _("Your application is not accepted: %(reason)s") % {"reason": services.refusal_text(application)}
        )
    return redirect("benefits:receipt", public_id=application.public_id)


@allow(citizen(OWN_CARER_SHARES))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def carer_work_book(request: HttpRequest) -> HttpResponse:
    """B-15: the carer presents this year's work book record of leaving work for each paid carer's share."""
    person = person_of_request(request)
    shares = list(selectors.paid_carer_shares(iin=person.iin))
    form = WorkBookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        share = next((d for d in shares if d.public_id == form.cleaned_data["share"]), None)
        if share is None:
            raise Http404
        try:
            services_survivor.carer_work_book_present(
                dependant_id=share.pk, record=form.cleaned_data["work_book_record"]
            )
        except ApplicationError as exc:
            form_error_add(form, exc, "work_book_record")
        else:
            messages.success(request, _("Your work book record is taken: the proof is renewed for a year."))
            return redirect("benefits:carer-work-book")
    return render(request, "benefits/carer_work_book.html", {"shares": shares, "form": form})


@allow(citizen(OWN_APPLICATIONS))
@citizen_required  # type: ignore[untyped-decorator]
def receipt(request: HttpRequest, public_id: Any) -> HttpResponse:
    """B-2: the printable electronic receipt of an application (or its non-acceptance with the reason)."""
    person = person_of_request(request)
    application = selectors.application_of_person_or_ward(person=person, public_id=public_id)
    if application is None:
        raise Http404
    decision = getattr(application, "decision", None)
    refused = "" if decision is None or decision.kind != DecisionKind.REFUSED else decision.ground_code
    context = {
        "application": application,
        "reason": services.refusal_text(application) if not application.number else "",
        # B-10, B-11: a refused decision names its ground, how to apply again and where to complain
        "refusal": refusal_notice(refused, get_language() or "ru") if refused in GROUNDS else "",
        "checks": list(application.checks.all()),
    }
    return render(request, "benefits/receipt.html", context)


@allow(anonymous(OFFER_LINK))
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """B-1: the proactive offer's answer, from the link in the SMS sent to the registered phone."""
    row = services.proactive_offer_from_link(token)
    if row is None:
        raise Http404
    if request.method == "POST" and row.status == ProactiveOffer.Status.SENT:
        answer = request.POST.get("answer")
        if answer in ("yes", "no"):
            try:
                row = services.proactive_offer_answer(offer=row, consent=answer == "yes")
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            return redirect("benefits:offer", token=token)
    context: dict[str, object] = {"offer": row}
    if row.application is not None:
        context["accepted"] = bool(row.application.number)
        context["reason"] = "" if row.application.number else services.refusal_text(row.application)
        context["number"] = row.application.number
    return render(request, "benefits/offer.html", context)


APPROVER_AREA = ObjectCheck(
    "benefit_approver_area",
    "staff with the permission to approve benefit decisions: the draft decisions of their department's or "
    "region's applications (the applicant's permanent registration, else that of the person the benefit "
    "concerns); another area's decision is not found and nothing is approved",
)
APPROVER_NATIONAL = ObjectCheck(
    "benefit_approver_national",
    "Committee staff and operators with the permission to approve benefit decisions: every region's drafts",
)


def _ids(raw: str) -> list[uuid.UUID]:
    ids = []
    for part in raw.split(","):
        try:
            ids.append(uuid.UUID(part.strip()))
        except ValueError:
            continue
    return ids


@allow(
    department_staff(APPROVER_AREA),
    provider_staff(APPROVER_AREA),
    committee_staff(APPROVER_NATIONAL),
    operator(APPROVER_NATIONAL),
)
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest) -> HttpResponse:
    """Item 7: the authorised staff member signs the decisions named (``ids``) or a day's batch (``day``),
    of their own area only (``selectors.staff_area``): a day's batch holds the area's drafts, a decision
    of another area posted by its id is not found (404) and nothing is approved."""
    user = request.user
    if not user.is_staff or not user.has_perm("benefits.approve_decision"):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    day = parse_date(source.get("day", "") or "")
    if day is not None:
        drafts = list(selectors.decisions_to_approve(user=user, day=day))
    else:
        drafts = list(selectors.decisions_to_approve(user=user, public_ids=_ids(source.get("ids", ""))))
    person = getattr(user, "person", None)
    error = ""
    if request.method == "POST":
        try:
            approved = services.decisions_approve(
                public_ids=_ids(request.POST.get("ids", "")), approver=user, cms=request.POST.get("signature", "")
            )
        except NotFoundError:
            raise Http404 from None
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Approved: %(count)s decision(s).") % {"count": len(approved)})
            return redirect("admin:benefits_decision_changelist")
    content = (
        services.decisions_signed_content(decisions=drafts, approver_iin=person.iin) if person is not None else b""
    )
    context = {
        "drafts": drafts,
        "ids": ",".join(str(d.public_id) for d in drafts),
        "text": content.decode(),
        "error": error,
        "has_iin": person is not None,
        "signing": signing_widget(content=content, target="id_signature"),
    }
    return render(request, "benefits/approve.html", context, status=400 if error else 200)


DOCUMENT_READERS = ObjectCheck(
    "benefit_document",
    "an uploaded document (B-5, B-13) of the signed-in person's own application or of their ward's (a live "
    "guardianship); others are not found (the core records no one's reading of their own or their ward's data)",
)
DOCUMENT_HANDLERS = ObjectCheck(
    "benefit_document_area",
    "staff with the permission to view benefit applications: the documents of their department's or "
    "region's applications (B-4's area; Committee staff and operators every region's); another area's "
    "document is not found; each read is logged (X-9)",
)
HANDLER_PERMISSIONS = ("benefits.view_application", "benefits.change_application")


@allow(
    citizen(DOCUMENT_READERS),
    department_staff(DOCUMENT_HANDLERS),
    provider_staff(DOCUMENT_HANDLERS),
    committee_staff(DOCUMENT_HANDLERS),
    operator(DOCUMENT_HANDLERS),
)
@login_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, public_id: Any) -> FileResponse:
    """B-5, B-13: an uploaded document, served from the private storage as an attachment."""
    document = ApplicationDocument.objects.select_related("application__applicant").filter(public_id=public_id).first()
    if document is None:
        raise Http404
    user: Any = request.user
    applicant = document.application.applicant
    person = getattr(user, "person", None)
    representative = (
        isinstance(person, Person) and applicant is not None and person_can_act_for(actor=person, subject=applicant)
    )
    handler = (
        user.is_staff
        and any(user.has_perm(p) for p in HANDLER_PERMISSIONS)
        and selectors.in_staff_area(Application.objects.filter(pk=document.application_id), user).exists()
    )
    if not (representative or handler):
        raise Http404
    personal_data_read(request, document, Subject.PERSON, Purpose.ADMINISTRATION, persons=[applicant])
    return private_file_response(document.file, content_type=document.content_type, filename=document.kind)
