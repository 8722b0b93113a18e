"""The State Corporation's (and the provider's) staff page of the disability benefits' applications
that wait for staff (B-9): request more documents, which extends the term by 5 working days once, and
form the decision from the state data (B-7, B-10).

Only numbers, benefits and dates are shown (no personal data); a state system that does not answer
leaves the decision waiting with a message (never a refusal).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from benefits import selectors
from benefits.programmes.disability import StateSystemUnavailable
from benefits.services_disability import disability_decision_form, disability_more_documents_request
from portal.accounts.access import ObjectCheck, allow, staff
from portal.errors import ApplicationError

PERMISSION = "benefits.change_application"
BENEFIT_HANDLER = ObjectCheck(
    "benefit_handler",
    "staff with the permission to handle benefit applications (State Corporation, provider): the disability "
    "applications waiting for a decision, nationwide; numbers and dates only, no personal data",
)


def _check(request: HttpRequest) -> None:
    user = request.user
    if not user.is_staff or not user.has_perm(PERMISSION):
        raise PermissionDenied


@allow(staff(BENEFIT_HANDLER))
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["GET"])
def disability_waiting(request: HttpRequest) -> HttpResponse:
    """B-9: the applications that wait for staff, with their due dates."""
    _check(request)
    rows = list(selectors.disability_applications_waiting())
    return render(request, "benefits/staff_disability.html", {"rows": rows})


@allow(staff(BENEFIT_HANDLER))
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["POST"])
def disability_act(request: HttpRequest, public_id: str) -> HttpResponse:
    """B-9: ``action=more_documents`` extends the term once; ``action=form_decision`` forms the decision."""
    _check(request)
    application = selectors.disability_applications_waiting().filter(public_id=public_id).first()
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
            decision = disability_decision_form(application=application)
            messages.success(
                request,
                _("Decision formed for %(number)s: %(kind)s.")
                % {"number": application.number, "kind": decision.get_kind_display()},
            )
        else:
            messages.error(request, _("action: choose to request more documents or to form the decision."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    except StateSystemUnavailable:
        messages.error(
            request, _("A state system did not answer: the decision waits; try again later. Nothing was refused.")
        )
    return redirect("benefits:staff-disability")
