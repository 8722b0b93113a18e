"""B-9: requests for information on the assignment of a benefit (answered within 30 minutes).

The citizen asks from the cabinet about one of their own (or their ward's) applications; the stage
and the decision's due date are answered at once by the portal, any other question by staff of the
application's area on their page (``benefits:staff-information``), which the deadline radar links.
Staff see numbers, questions and dates; no IIN, name or phone is shown or carried in a URL.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from benefits import selectors
from benefits.models import InformationRequest
from benefits.services_information import (
    ANSWER_MAX,
    QUESTION_MAX,
    information_request_answer,
    information_request_ask,
)
from benefits.views import OWN_APPLICATIONS, person_of_request
from benefits.views_staff import _check
from portal.accounts.access import (
    ObjectCheck,
    allow,
    citizen,
    committee_staff,
    department_staff,
    operator,
    provider_staff,
)
from portal.accounts.decorators import citizen_required
from portal.errors import ApplicationError

ANSWERER_AREA = ObjectCheck(
    "benefit_information_area",
    "staff with the permission to handle benefit applications (State Corporation, provider): the requests for "
    "information about the applications of their department's or region's people (the area of the applications, "
    "B-4), waiting for an answer; another area's request is not found; numbers, questions and dates only",
)
ANSWERER_NATIONAL = ObjectCheck(
    "benefit_information_national",
    "Committee staff and operators with the permission to handle benefit applications: every region's requests "
    "for information waiting for an answer; numbers, questions and dates only",
)
ACCESS = allow(
    department_staff(ANSWERER_AREA),
    provider_staff(ANSWERER_AREA),
    committee_staff(ANSWERER_NATIONAL),
    operator(ANSWERER_NATIONAL),
)


class AskForm(forms.Form):
    topic = forms.ChoiceField(
        label=gettext_lazy("What do you want to know?"),
        choices=InformationRequest.Topic.choices,
        widget=forms.RadioSelect,
        initial=InformationRequest.Topic.STATUS,
    )
    question = forms.CharField(
        label=gettext_lazy("Your question"),
        required=False,
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only for another question: staff answer within 30 minutes."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


@allow(citizen(OWN_APPLICATIONS))
@citizen_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "POST"])
def information_ask(request: HttpRequest, public_id: Any) -> HttpResponse:
    """B-9: ask about one's own (or a ward's) application; another's is not found."""
    person = person_of_request(request)
    application = selectors.application_of_person_or_ward(person=person, public_id=public_id)
    if application is None:
        raise Http404
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = information_request_ask(
                person=person,
                application=application,
                topic=form.cleaned_data["topic"],
                question=form.cleaned_data["question"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            if row.answered_at is not None:
                messages.success(request, _("The answer is in your cabinet."))
            else:
                messages.success(
                    request, _("Your question is sent: the answer will be in your cabinet within 30 minutes.")
                )
            return redirect("benefits:cabinet")
    requests = selectors.information_requests_of_person(person=person).filter(application=application)
    return render(
        request, "benefits/information_ask.html", {"form": form, "application": application, "requests": requests}
    )


@ACCESS
@login_required(login_url="accounts:staff-sign-in")
@require_http_methods(["GET", "POST"])
def information_open(request: HttpRequest) -> HttpResponse:
    """B-9: the requests of the staff member's area waiting for an answer, the nearest due first;
    POST ``request`` (public id) and ``answer`` answers one. Another area's request is not found."""
    _check(request)
    requests = selectors.information_requests_open(user=request.user)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        public_id = request.POST.get("request", "")
        form = AnswerForm(request.POST)
        try:
            if not form.is_valid():
                errors[public_id] = " ".join(str(e) for e in form.errors.get("answer", []))
            else:
                row = information_request_answer(
                    requests=requests,
                    public_id=public_id,
                    user=request.user,
                    answer=form.cleaned_data["answer"],
                )
                messages.success(request, _("Answer to %(number)s sent.") % {"number": row.application.number})
                return redirect("benefits:staff-information")
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404 from exc
            errors[public_id] = str(exc.message)
        except ValueError as exc:  # not a UUID: no such request
            raise Http404 from exc
        status = 400
    return render(request, "benefits/staff_information.html", {"rows": list(requests), "errors": errors}, status=status)
