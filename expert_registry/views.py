"""Pages of the registry: the public announcements (E-1), the candidate's application (E-3), cabinet
and test (E-5), and the access-checked download of an uploaded document."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from expert_registry.forms import ApplicationForm, ContractSignForm, DocumentUploadForm, OwnExclusionForm
from expert_registry.models import (
    Application,
    ApplicationDocument,
    EvaluationResult,
    Expert,
    ExpertContract,
    Question,
    TestAttempt,
)
from expert_registry.scoring import explain
from expert_registry.selectors import (
    announcement_list_published,
    applications_of,
    contract_status_of,
    evaluations_of,
    expert_of,
)
from expert_registry.services.applications import ApplicationInput, application_submit
from expert_registry.services.contracts import contract_sign
from expert_registry.services.exclusion import expert_exclude
from expert_registry.services.statechecks import application_document_upload
from expert_registry.services.testing import attempt_start, attempt_submit
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import ALL_ROWS, PUBLIC, ObjectCheck, allow, anonymous, citizen, committee_staff
from portal.accounts.decorators import citizen_required as _citizen_required
from portal.accounts.roles import Role
from portal.errors import ApplicationError
from portal.people.models import Person
from portal.signatures.widgets import signing_widget
from portal.uploads import private_file_response

_View = Callable[..., HttpResponse]
# The core's decorator is untyped; this alias gives it the type it has.
citizen_required: Callable[[_View], _View] = _citizen_required


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if not isinstance(person, Person):
        raise Http404
    return person


_MSG_CONFIRM = _("Confirm that you ask to be excluded from the registry.")
OWN_APPLICATION = ObjectCheck(
    "own_application", "the candidate's own applications, tests, documents and evaluation results"
)


@allow(anonymous(PUBLIC))
def announcements(request: HttpRequest) -> HttpResponse:
    return render(request, "expert_registry/announcements.html", {"announcements": announcement_list_published()})


@allow(anonymous(PUBLIC))
def announcement(request: HttpRequest, public_id: str) -> HttpResponse:
    item = get_object_or_404(announcement_list_published(), public_id=public_id)
    return render(request, "expert_registry/announcement.html", {"a": item})


@allow(citizen(OWN_APPLICATION))
@citizen_required
def apply(request: HttpRequest, public_id: str) -> HttpResponse:
    item = get_object_or_404(announcement_list_published(), public_id=public_id)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        uploads = {
            k: (f.name or k, cast(IO[bytes], f))
            for k in ApplicationForm.UPLOADS
            if (f := request.FILES.get(k)) is not None
        }
        data = ApplicationInput(
            residence_address=d["residence_address"],
            nosology_groups=list(d["nosology_groups"]),
            email=d["email"] or "",
            phone=d["phone"],
            consent=d["consent"],
            tariff_accepted=d["tariff_accepted"],
            warned_false_information=d["warned_false_information"],
            warned_equipment=d["warned_equipment"],
            diploma_specialty=d["diploma_specialty"],
            diploma_foreign=d["diploma_foreign"],
            certificate_specialty=d["certificate_specialty"],
            certificate_number=d["certificate_number"],
            mse_experience_months=d["mse_experience_months"],
            training_hours_last_5_years=d["training_hours_last_5_years"],
            uploads=uploads,
        )
        try:
            application_submit(announcement=item, person=_person(request), data=data, actor=request.user)
        except ApplicationError as exc:
            for error in exc.items:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            return redirect("expert_registry:cabinet")
    return render(request, "expert_registry/apply.html", {"a": item, "form": form}, status=400 if form.errors else 200)


@allow(citizen(OWN_APPLICATION))
@citizen_required
def cabinet(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    expert = expert_of(person=person)
    context: dict[str, Any] = {
        "applications": applications_of(person=person),
        "upload_form": DocumentUploadForm(),
        # item 11: the contract's state and the evaluation results (E-10) of the expert
        "expert": expert,
        "contract_status": contract_status_of(expert=expert),
        "evaluations": evaluations_of(expert=expert) if expert is not None else [],
    }
    return render(request, "expert_registry/cabinet.html", context)


@allow(citizen(OWN_APPLICATION))
@citizen_required
def evaluation(request: HttpRequest, public_id: str) -> HttpResponse:
    """E-10: one evaluation result of the signed-in expert, explained line by line."""
    result = get_object_or_404(
        EvaluationResult.objects.select_related("formula"), public_id=public_id, expert__person=_person(request)
    )
    return render(request, "expert_registry/evaluation.html", {"result": result, "lines": explain(result)})


def _own_application(request: HttpRequest, public_id: str) -> Application:
    return get_object_or_404(Application, public_id=public_id, person=_person(request))


@allow(citizen(OWN_APPLICATION))
@citizen_required
@require_POST
def test_start(request: HttpRequest, public_id: str) -> HttpResponse:
    application = _own_application(request, public_id)
    try:
        attempt = attempt_start(application=application, language=(get_language() or "ru")[:2])
    except ApplicationError as exc:
        return render(request, "expert_registry/refused.html", {"message": exc.message}, status=exc.status)
    return redirect("expert_registry:test", public_id=attempt.public_id)


@allow(citizen(OWN_APPLICATION))
@citizen_required
def test_take(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = get_object_or_404(
        TestAttempt,
        public_id=public_id,
        application__person=request.user.person,  # type: ignore[union-attr]
    )
    if request.method == "POST":
        # Only the chosen options are read; anything else posted (a "score") is ignored.
        answers = {}
        for qid in attempt.question_ids:
            value = request.POST.get(f"q{qid}", "")
            if value.isdigit():
                answers[str(qid)] = int(value)
        try:
            attempt_submit(attempt=attempt, answers=answers)
        except ApplicationError as exc:
            return render(request, "expert_registry/refused.html", {"message": exc.message}, status=exc.status)
        return redirect("expert_registry:cabinet")
    by_id = Question.objects.in_bulk([int(q) for q in attempt.question_ids])
    questions: list[dict[str, Any]] = [
        {
            "id": q,
            "text": by_id[q].text(attempt.language),
            "options": list(enumerate(by_id[q].options(attempt.language))),
        }
        for q in (int(x) for x in attempt.question_ids)
        if q in by_id
    ]
    return render(request, "expert_registry/test.html", {"attempt": attempt, "questions": questions})


@allow(citizen(OWN_APPLICATION), committee_staff(ALL_ROWS))
@login_required
def document_download(request: HttpRequest, public_id: str) -> FileResponse:
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), public_id=public_id)
    user: Any = request.user
    own = user.person_id is not None and document.application.person_id == user.person_id
    committee = user.is_staff and (user.is_superuser or user.has_role(Role.COMMITTEE_STAFF))
    if not (own or committee):
        raise Http404
    if not own:
        personal_data_read(request, document.application, Subject.PERSON, Purpose.EXPERT_REGISTRY)
    return private_file_response(document.file, content_type=document.content_type, filename=document.kind)


@allow(citizen(OWN_APPLICATION))
@citizen_required
@require_POST
def document_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    """E-3: the candidate uploads a copy of a document the state systems lack ((1)-(4))."""
    application = _own_application(request, public_id)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = "; ".join(
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items() if f in form.fields
        )
        return render(request, "expert_registry/refused.html", {"message": message}, status=400)
    upload = form.cleaned_data["file"]
    try:
        application_document_upload(
            application=application,
            kind=form.cleaned_data["kind"],
            name=upload.name or form.cleaned_data["kind"],
            file=cast(IO[bytes], upload),
        )
    except ApplicationError as exc:
        return render(request, "expert_registry/refused.html", {"message": exc.message}, status=exc.status)
    return redirect("expert_registry:cabinet")


@allow(citizen(OWN_APPLICATION))
@citizen_required
def contract_sign_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """E-6: the contract's text, the signing widget; the signature is verified against the doctor's IIN."""
    contract = get_object_or_404(
        ExpertContract.objects.select_related("application"), public_id=public_id, application__person=_person(request)
    )
    form = ContractSignForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            contract_sign(contract=contract, signature=form.cleaned_data["signature"] or "")
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
            contract.refresh_from_db()
        else:
            return redirect("expert_registry:cabinet")
    context = {
        "contract": contract,
        "form": form,
        "signing": signing_widget(content=contract.content_bytes, target="id_signature"),
    }
    return render(request, "expert_registry/contract.html", context, status=status)


@allow(citizen(OWN_APPLICATION))
@citizen_required
@require_POST
def own_exclusion(request: HttpRequest) -> HttpResponse:
    """E-7 (1), appendix 6: the expert applies to be excluded; the ground's evidence is this application."""
    person = _person(request)
    expert = get_object_or_404(Expert, person=person)
    form = OwnExclusionForm(request.POST)
    if not form.is_valid():
        return render(request, "expert_registry/refused.html", {"message": _MSG_CONFIRM}, status=400)
    evidence = f"appendix 6: the expert's own application in the cabinet, {timezone.localtime():%d.%m.%Y %H:%M}"
    if form.cleaned_data["reason"]:
        evidence += f"; {form.cleaned_data['reason']}"
    try:
        expert_exclude(
            expert=expert, ground=Expert.ExclusionGround.OWN_APPLICATION, evidence=evidence, actor=request.user
        )
    except ApplicationError as exc:
        return render(request, "expert_registry/refused.html", {"message": exc.message}, status=exc.status)
    return redirect("expert_registry:cabinet")
