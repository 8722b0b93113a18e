"""Pages of the register of MSE acts: the results in the cabinet (S-5) and the department staff's
planning of field sessions (S-4) and refusals of the service (S-6).

A person sees their own acts and their wards' (a live guardianship); another act is not found. Staff
see only the referrals of the people their department serves; another one is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import OWN_OR_WARDS, STAFF_DEPARTMENT, allow, citizen, department_staff
from portal.accounts.decorators import citizen_required as _citizen_required
from portal.accounts.decorators import department_staff_required as _department_staff_required
from portal.accounts.models import User
from portal.acts.documents import act_document, act_documents
from portal.acts.forms import PlanForm, RefusalForm
from portal.acts.models import MseAct
from portal.acts.selectors import (
    act_get_for_citizen,
    act_list_for_citizen,
    plan_list_for_department,
    referral_list_for_department,
    refusal_list_for_department,
)
from portal.acts.services import examination_plan_create, service_refusal_register
from portal.errors import ApplicationError, ApplicationErrors
from portal.people.models import Person
from portal.referrals.models import Referral

_View = Callable[..., HttpResponse]
# The core's decorators are untyped; these aliases give them the type they have.
citizen_required: Callable[[_View], _View] = _citizen_required
department_staff_required: Callable[[_View], _View] = _department_staff_required


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if not isinstance(person, Person):
        raise Http404
    return person


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def add_errors(form: Form, exc: ApplicationError | ApplicationErrors, default_field: str | None) -> None:
    """A service's refusal on the form: each item on its field (the form's own when it names none)."""
    for item in exc.items:
        field = item.field if item.field in form.fields else default_field
        form.add_error(field, str(item.message))


# --- S-5: the results in the cabinet --------------------------------------------------------------


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def results(request: HttpRequest) -> HttpResponse:
    """The acts of the person and their wards, each with the documents it produced."""
    acts = list(act_list_for_citizen(person=_person(request)))
    personal_data_read(request, acts, Subject.MSE_ACT, Purpose.MSE_REGISTER)
    rows = [(act, act_documents(act)) for act in acts]
    return render(request, "acts/results.html", {"rows": rows})


def _document_context(request: HttpRequest, public_id: str, slug: str) -> dict[str, Any]:
    act = act_get_for_citizen(person=_person(request), public_id=public_id)
    if act is None:
        raise Http404
    document = act_document(act, slug)
    if document is None:
        raise Http404
    personal_data_read(request, act, Subject.MSE_ACT, Purpose.MSE_REGISTER)
    return {"act": act, "document": document, "verification": act.signature_verification, "now": timezone.now()}


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def result_document(request: HttpRequest, public_id: str, slug: str) -> HttpResponse:
    """One document of an act as a page that prints well, with its signature's verification."""
    return render(request, "acts/document.html", _document_context(request, public_id, slug))


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def result_document_file(request: HttpRequest, public_id: str, slug: str) -> HttpResponse:
    """The same document as a file: one self-contained HTML page (styles inline, nothing fetched)."""
    context = _document_context(request, public_id, slug)
    act: MseAct = context["act"]
    body = render_to_string("acts/document_file.html", context, request=request)
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mse-{act.number}-{slug}.html"'
    return response


# --- S-4, S-6: the department's referrals, plans and refusals --------------------------------------


def _department_referral(request: HttpRequest, referral_id: str) -> Referral:
    department = _staff(request).department
    assert department is not None
    referral = referral_list_for_department(department=department).filter(public_id=referral_id).first()
    if referral is None:
        raise Http404
    personal_data_read(request, referral, Subject.REFERRAL, Purpose.MSE_REGISTER)
    return referral


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
def staff_referrals(request: HttpRequest) -> HttpResponse:
    """The department's open referrals (to plan a field session or refuse the service), its plans
    from today on and its latest refusals."""
    department = _staff(request).department
    assert department is not None
    referrals = list(referral_list_for_department(department=department)[:200])
    plans = list(plan_list_for_department(department=department).filter(planned_on__gte=timezone.localdate()))
    refusals = list(refusal_list_for_department(department=department)[:50])
    personal_data_read(request, [*referrals, *plans, *refusals], Subject.REFERRAL, Purpose.MSE_REGISTER)
    context = {"department": department, "referrals": referrals, "plans": plans, "refusals": refusals}
    return render(request, "acts/staff_referrals.html", context)


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_http_methods(["GET", "POST"])
def staff_plan(request: HttpRequest, referral_id: str) -> HttpResponse:
    """S-4: plan a field session or a home visit from a referral of the department."""
    referral = _department_referral(request, referral_id)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = examination_plan_create(actor_user=_staff(request), referral=referral, **form.cleaned_data)
        except (ApplicationError, ApplicationErrors) as exc:
            add_errors(form, exc, None)
        else:
            messages.success(
                request,
                _("Planned: %(place)s on %(day)s.")
                % {"place": plan.get_place_display(), "day": plan.planned_on.strftime("%d.%m.%Y")},
            )
            return redirect("acts:staff-referrals")
    return render(request, "acts/staff_plan.html", {"form": form, "referral": referral})


@allow(department_staff(STAFF_DEPARTMENT))
@department_staff_required
@require_http_methods(["GET", "POST"])
def staff_refusal(request: HttpRequest, referral_id: str) -> HttpResponse:
    """S-6: refuse the service on a referral of the department, on one of the law's two grounds."""
    referral = _department_referral(request, referral_id)
    staff = _staff(request)
    form = RefusalForm(request.POST if request.method == "POST" else None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        assert staff.department is not None
        try:
            service_refusal_register(
                actor_user=staff,
                person=referral.person,
                department=staff.department,
                referral=referral,
                **form.cleaned_data,
            )
        except (ApplicationError, ApplicationErrors) as exc:
            add_errors(form, exc, None)
        else:
            messages.success(request, _("The refusal of the service is registered."))
            return redirect("acts:staff-referrals")
    return render(request, "acts/staff_refusal.html", {"form": form, "referral": referral})
