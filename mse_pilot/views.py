"""Pages of the remote pilot: the deadline radar (X-6) for staff and for experts; the expert's
workspace (item 6); the methodology department's queue (E-8 [A]); the person's remote cases in the
cabinet (item 7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from expert_registry import selectors as expert_registry_selectors
from mse_pilot import services
from mse_pilot.errors import CONCLUSION_OTHER_CASE, DECLINE_REASON_REQUIRED
from mse_pilot.forms import ConclusionForm, DeclineForm
from mse_pilot.models import Conclusion, PanelAssignment, RemoteCase
from mse_pilot.selectors import (
    cases_waiting_without_expert,
    conclusions_to_review,
    deadline_radar,
    methodology_queue,
    remote_cases_for_cabinet,
    workspace_rows,
)
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import (
    ALL_ROWS,
    OWN_OR_WARDS,
    STAFF_DEPARTMENT,
    STAFF_REGION,
    ObjectCheck,
    allow,
    citizen,
    committee_staff,
    department_staff,
    operator,
    provider_staff,
)
from portal.accounts.decorators import citizen_required as _citizen_required
from portal.acts.selectors import act_list_for_person
from portal.admin_scoping import atu_served_by_department, scope_filter
from portal.deadlines.states import due_soon_hours
from portal.errors import ApplicationError, NotFoundError
from portal.people.selectors import ward_list
from portal.signatures.widgets import signing_widget

_View = TypeVar("_View", bound=Callable[..., Any])
citizen_required: Callable[[_View], _View] = _citizen_required
RADAR_PURPOSE = Purpose.ADMINISTRATION
OWN_ASSIGNMENTS = ObjectCheck("own_assignments", "the cases assigned to the signed-in expert only")


@allow(
    department_staff(STAFF_DEPARTMENT),
    provider_staff(STAFF_REGION),
    committee_staff(ALL_ROWS),
    operator(ALL_ROWS),
)
@login_required(login_url="accounts:staff-sign-in")
def radar(request: HttpRequest) -> HttpResponse:
    """X-6: every open assignment of the staff member's area, the most urgent first."""
    if not request.user.is_staff:
        raise PermissionDenied
    rows = scope_filter(
        PanelAssignment.objects.all(),
        request.user,
        department=atu_served_by_department("person__registration_atu"),
        region="person__registration_atu__region",
    )
    waiting = scope_filter(
        cases_waiting_without_expert(),
        request.user,
        department=atu_served_by_department("person__registration_atu"),
        region="person__registration_atu__region",
    )
    radar_rows = deadline_radar(now=timezone.now(), assignments=rows)
    if radar_rows:  # the cases are people's
        personal_data_read(request, [r.assignment.case for r in radar_rows], Subject.REFERRAL, RADAR_PURPOSE)
    context = {"rows": radar_rows, "waiting": list(waiting), "due_soon_hours": due_soon_hours(), "staff": True}
    return render(request, "mse_pilot/radar.html", context)


@allow(citizen(OWN_ASSIGNMENTS))
@citizen_required
def my_radar(request: HttpRequest) -> HttpResponse:
    """X-6: the signed-in expert's own open cases, the most urgent first."""
    person_id = getattr(request.user, "person_id", None)
    rows = PanelAssignment.objects.filter(expert__person_id=person_id) if person_id else PanelAssignment.objects.none()
    context = {"rows": deadline_radar(now=timezone.now(), assignments=rows), "due_soon_hours": due_soon_hours()}
    return render(request, "mse_pilot/radar.html", context)


# --- Item 6: the expert's workspace ------------------------------------------------------------

# the expert examines the case (its referral, the person's earlier acts) to give the conclusion
WORKSPACE_PURPOSE = Purpose.REMOTE_EXAMINATION


def _person_id(request: HttpRequest) -> int | None:
    return getattr(request.user, "person_id", None)


def _form_errors(form: Form, exc: ApplicationError) -> None:
    for item in exc.items:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))


@allow(citizen(OWN_ASSIGNMENTS))
@citizen_required
def workspace(request: HttpRequest) -> HttpResponse:
    """Item 6: the signed-in expert's assigned cases with their due times, the most urgent first;
    anyone who is not a registry expert is not found."""
    person = getattr(request.user, "person", None)
    if person is None or expert_registry_selectors.expert_of(person=person) is None:
        raise Http404
    rows = workspace_rows(person_id=person.pk, now=timezone.now())
    return render(request, "mse_pilot/workspace.html", {"rows": rows, "due_soon_hours": due_soon_hours()})


@allow(citizen(OWN_ASSIGNMENTS))
@citizen_required
@require_http_methods(["GET", "POST"])
def workspace_case(request: HttpRequest, case_id: str) -> HttpResponse:
    """Item 6: one of the expert's own cases: the referral, every examination, the person's earlier
    acts; the conclusion, checked, then signed with the expert's EDS over its canonical content.
    Another expert's case is not found; every read of the person's data is logged (X-9)."""
    try:
        assignment = services.assignment_of(person_id=_person_id(request), case_public_id=case_id)
    except NotFoundError:
        raise Http404 from None
    case = assignment.case
    personal_data_read(request, case.referral, Subject.REFERRAL, WORKSPACE_PURPOSE)
    earlier = list(act_list_for_person(person=case.person))
    if earlier:
        personal_data_read(request, earlier, Subject.MSE_ACT, WORKSPACE_PURPOSE)
    conclusion = Conclusion.objects.filter(assignment=assignment).first()
    is_open = assignment.status == assignment.Status.ASSIGNED
    form = ConclusionForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "assignment": assignment,
        "case": case,
        "referral": case.referral,
        "examinations": list(case.referral.examinations.all()),
        "earlier_acts": earlier,
        "conclusion": conclusion,
        "is_open": is_open,
        "form": form,
        "decline_form": DeclineForm(),
        "signing": None,
    }
    status = 200
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        draft = form.draft()
        signature = request.POST.get("signature", "").strip()
        try:
            if signature:
                services.conclusion_sign(
                    person_id=_person_id(request), case_public_id=case.public_id, draft=draft, signature=signature
                )
                messages.success(request, _("Your conclusion is signed and recorded."))
                return redirect("mse_pilot:workspace-case", case_id=case.public_id)
            if not is_open:
                services.conclusion_sign(  # refused with the reason (redistributed, signed, declined)
                    person_id=_person_id(request), case_public_id=case.public_id, draft=draft, signature=""
                )
            built = services.conclusion_content(
                assignment=assignment, draft=draft, examined_on=timezone.localdate(timezone.now())
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
            status = exc.status if exc.status != 400 else 200
        else:
            context["signing"] = signing_widget(content=built.content, target="id_signature")
            context["decision"] = built.decision
    return render(request, "mse_pilot/workspace_case.html", context, status=status)


@allow(citizen(OWN_ASSIGNMENTS))
@citizen_required
@require_POST
def workspace_decline(request: HttpRequest, case_id: str) -> HttpResponse:
    """E-8 [A]: the expert declines their own case; it goes to the methodology department."""
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(DECLINE_REASON_REQUIRED, field="reason")
        services.assignment_decline(
            person_id=_person_id(request), case_public_id=case_id, reason=form.cleaned_data["reason"]
        )
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You declined the case; the methodology department decides it."))
    return redirect("mse_pilot:workspace-case", case_id=case_id)


# --- E-8 [A]: the methodology department ------------------------------------------------------

METHODOLOGY_PURPOSE = Purpose.REMOTE_EXAMINATION  # methodology control of the panel's conclusions


def _methodology_only(request: HttpRequest) -> None:
    if not services.is_methodology(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


@allow(committee_staff(ALL_ROWS))
@login_required(login_url="accounts:staff-sign-in")
def methodology(request: HttpRequest) -> HttpResponse:
    """E-8 [A]: the cases the methodology department decides (no majority, a member declined) and
    the signed conclusions methodology control has not marked yet."""
    _methodology_only(request)
    queue = list(methodology_queue())
    to_review = list(conclusions_to_review()[:200])
    if queue:
        personal_data_read(request, queue, Subject.REFERRAL, METHODOLOGY_PURPOSE)
    if to_review:
        personal_data_read(request, to_review, Subject.MSE_ACT, METHODOLOGY_PURPOSE)
    return render(request, "mse_pilot/methodology.html", {"queue": queue, "to_review": to_review})


@allow(committee_staff(ALL_ROWS))
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["GET", "POST"])
def methodology_case(request: HttpRequest, case_id: str) -> HttpResponse:
    """E-8 [A]: one case: its panel and conclusions; the department decides it (the act follows a
    chosen conclusion), sends it back to the waiting list, or marks conclusions upheld or not."""
    _methodology_only(request)
    case = get_object_or_404(RemoteCase.objects.select_related("nosology_group", "act"), public_id=case_id)
    personal_data_read(request, case, Subject.REFERRAL, METHODOLOGY_PURPOSE)
    if request.method == "POST":
        action = request.POST.get("action", "")
        user: Any = request.user
        try:
            if action == "decide":
                services.case_methodology_decide(
                    actor_user=user, case=case, conclusion_public_id=request.POST.get("conclusion", "")
                )
                messages.success(request, _("Decided: the act is registered with the chosen conclusion."))
            elif action == "redistribute":
                services.case_methodology_redistribute(actor_user=user, case=case)
                messages.success(request, _("The case is back on the waiting list for a new panel."))
            elif action in ("upheld", "not_upheld"):
                conclusion = services.conclusion_of_case(case=case, public_id=request.POST.get("conclusion", ""))
                if conclusion is None:
                    raise ApplicationError(CONCLUSION_OTHER_CASE, field="conclusion")
                services.conclusion_review(actor_user=user, conclusion=conclusion, upheld=action == "upheld")
                messages.success(request, _("The review is recorded in the expert's work record."))
            else:
                messages.error(request, _("Choose what to do."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        return redirect("mse_pilot:methodology-case", case_id=case.public_id)
    context = {
        "case": case,
        "panel": list(case.panel.select_related("expert").order_by("role", "seat", "pk")),
        "conclusions": list(case.conclusions.select_related("expert").order_by("signed_at", "pk")),
    }
    return render(request, "mse_pilot/methodology_case.html", context)


# --- Item 7: the person's remote cases in the cabinet ----------------------------------------


@allow(citizen(OWN_OR_WARDS))
@citizen_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """Item 7: the person's own and wards' remote cases: the stage and due time, then the results
    (the core's pages) once the act is registered."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    ids = [person.pk, *ward_list(representative=person).values_list("pk", flat=True)]
    cases = list(remote_cases_for_cabinet(person_ids=ids))
    return render(request, "mse_pilot/my_cases.html", {"cases": cases})
