"""The State Corporation's (and the provider's) staff page of the disability benefits' applications
that wait for staff (B-9): request more documents, which extends the term by 5 working days once, and
form the decision from the state data (B-7, B-10).

Staff see and act on their own department's or region's applications only (``selectors.staff_area``);
only numbers, benefits and dates are shown (no personal data); a state system that does not answer
leaves the decision waiting with a message (never a refusal). Where a state system cannot hold the
record (B-7) the decision waits for the document, asked for as more documents; staff attach the
documents the applicant brings (``disability_document_attach``), as the applicant may in the cabinet.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from benefits import selectors
from benefits.models import DocumentKind
from benefits.programmes.disability import DocumentsNeeded, StateSystemUnavailable
from benefits.services_disability import (
    disability_decision_attempt,
    disability_document_add,
    disability_more_documents_request,
    documents_awaited,
)
from benefits.views_disability import DocumentForm
from portal.accounts.access import ObjectCheck, allow, committee_staff, department_staff, operator, provider_staff
from portal.errors import ApplicationError

PERMISSION = "benefits.change_application"
HANDLER_AREA = ObjectCheck(
    "benefit_handler_area",
    "staff with the permission to handle benefit applications (State Corporation, provider): the disability "
    "applications waiting for a decision of their department's or region's people (the applicant's permanent "
    "registration, else that of the person the benefit concerns); another area's application is not found; "
    "numbers and dates only, no personal data",
)
HANDLER_NATIONAL = ObjectCheck(
    "benefit_handler_national",
    "Committee staff and operators with the permission to handle benefit applications: every region's "
    "disability applications waiting for a decision; numbers and dates only, no personal data",
)
ACCESS = allow(
    department_staff(HANDLER_AREA),
    provider_staff(HANDLER_AREA),
    committee_staff(HANDLER_NATIONAL),
    operator(HANDLER_NATIONAL),
)


DOCUMENTS_NEEDED: dict[str, str | Promise] = {
    DocumentKind.BIRTH_CERTIFICATE: gettext_lazy(
        "The civil registry holds the births registered after 13.08.2007 only and no other record links the "
        "applicant to the child: the birth certificate is requested (more documents). Nothing was refused."
    ),
    DocumentKind.MARRIAGE_CERTIFICATE: gettext_lazy(
        "The birth record names the parent under another surname and the civil registry holds no marriage "
        "registered after 01.06.2008 that changed it: the marriage or divorce certificate is requested "
        "(more documents). Nothing was refused."
    ),
}


def _check(request: HttpRequest) -> None:
    user = request.user
    if not user.is_staff or not user.has_perm(PERMISSION):
        raise PermissionDenied


@ACCESS
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["GET"])
def disability_waiting(request: HttpRequest) -> HttpResponse:
    """B-9: the applications of the staff member's area that wait for staff, with their due dates."""
    _check(request)
    rows = list(selectors.disability_applications_waiting(user=request.user).prefetch_related("documents"))
    for application in rows:  # B-7, B-9: the documents on file, and the form for those awaited
        kinds = documents_awaited(application)
        vars(application).update(
            upload_form=DocumentForm(kinds=kinds, prefix=str(application.public_id)) if kinds else None,
            uploaded=list(application.documents.all()),
        )
    return render(request, "benefits/staff_disability.html", {"rows": rows})


@ACCESS
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["POST"])
def disability_act(request: HttpRequest, public_id: str) -> HttpResponse:
    """B-9: ``action=more_documents`` extends the term once; ``action=form_decision`` forms the decision.
    An application of another area (or not waiting) is not found: nothing changes."""
    _check(request)
    application = selectors.disability_applications_waiting(user=request.user).filter(public_id=public_id).first()
    if application is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "more_documents":
            disability_more_documents_request(application=application)
            messages.success(
                request,
                _("More documents requested for %(number)s: the decision is now due %(due)s.")
                % {"number": application.number, "due": application.decision_due_at},
            )
        elif action == "form_decision":
            decision = disability_decision_attempt(application=application)
            messages.success(
                request,
                _("Decision formed for %(number)s: %(kind)s.")
                % {"number": application.number, "kind": decision.get_kind_display()},
            )
        else:
            messages.error(request, _("action: choose to request more documents or to form the decision."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    except DocumentsNeeded as exc:
        messages.error(
            request, str(DOCUMENTS_NEEDED.get(exc.document, DOCUMENTS_NEEDED[DocumentKind.BIRTH_CERTIFICATE]))
        )
    except StateSystemUnavailable:
        messages.error(
            request, _("A state system did not answer: the decision waits; try again later. Nothing was refused.")
        )
    return redirect("benefits:staff-disability")


@ACCESS
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["POST"])
def disability_document_attach(request: HttpRequest, public_id: str) -> HttpResponse:
    """B-7, B-9: attach a document the waiting decision asks for, brought by the applicant; the
    decision forms again when it is the one a state system could not hold. Another area's
    application (or one not waiting) is not found: nothing is saved."""
    _check(request)
    application = selectors.disability_applications_waiting(user=request.user).filter(public_id=public_id).first()
    if application is None:
        raise Http404
    form = DocumentForm(request.POST, request.FILES, kinds=documents_awaited(application), prefix=str(public_id))
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
        return redirect("benefits:staff-disability")
    try:
        _document, decision = disability_document_add(
            application=application,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
            uploaded_by=request.user,
        )
    except ApplicationError as exc:
        for item in exc.items:
            messages.error(request, f"{item.field}: {item.message}")
    else:
        messages.success(
            request,
            _("Document attached to %(number)s: decision formed, %(kind)s.")
            % {"number": application.number, "kind": decision.get_kind_display()}
            if decision is not None
            else _("Document attached to %(number)s.") % {"number": application.number},
        )
    return redirect("benefits:staff-disability")
