"""The benefits in the admin: rate tables (item 2: staff edit them, each row with its source), the
applications with their checks, case file and decision (read-only: they change through services), and
the registration journal (appendix 6) exported as CSV or XLSX.

Rule 6: applications, decisions, journal entries and the payment lines staff reach are their own
department's or region's (``benefits.selectors.staff_area``; national staff every region's), an
out-of-area row being answered as a missing one. X-9: the payment list's page and every export
showing IINs (the journal, the payment list) record, in one INSERT, a read of each person on it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from benefits import selectors
from benefits.documents import DISABILITY_CHILD_RAISING
from benefits.documents import FUNERAL as FUNERAL_DOCUMENTS
from benefits.exports import as_csv, as_xlsx, journal_rows, payment_rows
from benefits.forms_survivor import (
    DEPENDANTS_PREFIX,
    DependantFormSet,
    SurvivorForm,
    survivor_errors_show,
    survivor_inputs,
)
from benefits.models import (
    Application,
    ApplicationCheck,
    ApplicationDocument,
    Channel,
    Decision,
    DisabilityBenefit,
    DocumentKind,
    JournalEntry,
    PaymentLine,
    PaymentList,
    RateBase,
    RateCoefficient,
)
from benefits.selectors import paid_carer_shares
from benefits.services import funeral_application_file, refusal_text
from benefits.services_disability import disability_application_file
from benefits.services_survivor import carer_work_book_present, survivor_application_file
from portal.accesslog.models import PersonalDataAccess
from portal.accesslog.recording import PersonalDataAdminMixin
from portal.accesslog.services import personal_data_access_record
from portal.admin_scoping import StaffScopedAdminMixin
from portal.errors import ApplicationError
from portal.people.errors import PERSON_UNKNOWN
from portal.people.models import Person


class BenefitsAreaAdminMixin(StaffScopedAdminMixin):
    """Rule 6 in the benefits' admin: the rows of the staff member's area (``selectors.staff_area``).

    The core's mixin, narrowed one step further: a staff account with no department or region that
    is not national staff (superuser, Committee, operator) reaches no row. ``area_prefix`` leads from
    the model to its application. Goes before ``admin.ModelAdmin`` in the bases.
    """

    area_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # the rules, for the core's mixin and readers; ``get_queryset`` applies them (``in_staff_area``)
        self.scope_department, self.scope_region = selectors.area_rules(self.area_prefix)
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super(StaffScopedAdminMixin, self).get_queryset(request)  # type: ignore[misc]
        return selectors.in_staff_area(queryset, request.user, prefix=self.area_prefix)

    def _row_in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or obj.pk is None or selectors.staff_area(request.user) is None:
            return True
        return bool(self.get_queryset(request).filter(pk=obj.pk).exists())


def _record_benefit_read(request: HttpRequest, iins: set[str], obj: Any = None) -> int:
    """X-9: a read of the people whose IINs a page or an export shows, in one INSERT (one row per
    person known to the portal, whatever the number of lines); returns how many were recorded."""
    people = Person.objects.filter(iin__in=iins - {""}).values_list("pk", flat=True)
    return personal_data_access_record(
        actor=request.user,
        persons=list(people),
        subject=PersonalDataAccess.Subject.BENEFIT,
        purpose=PersonalDataAccess.Purpose.BENEFIT_PAYMENT,
        channel=PersonalDataAccess.Channel.ADMIN,
        obj=obj,
    )


@admin.register(RateBase)
class RateBaseAdmin(admin.ModelAdmin[RateBase]):
    list_display = ["base", "year", "amount", "legal_source"]
    list_filter = ["base"]


@admin.register(RateCoefficient)
class RateCoefficientAdmin(admin.ModelAdmin[RateCoefficient]):
    list_display = ["programme", "code", "coefficient", "base", "rounding", "valid_from", "valid_until", "legal_source"]
    list_filter = ["programme", "base"]


class CheckInline(admin.TabularInline[ApplicationCheck, Application]):
    model = ApplicationCheck
    extra = 0
    can_delete = False
    readonly_fields = ["code", "passed", "detail", "source"]

    def has_add_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False


class DecisionInline(admin.StackedInline[Decision, Application]):
    model = Decision
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "amount", "computation", "ground_code", "approved_at"]

    def has_add_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False


class DocumentInline(admin.TabularInline[ApplicationDocument, Application]):
    """B-5, B-13: the documents attached, each opened through the access-checked, logged download."""

    model = ApplicationDocument
    extra = 0
    can_delete = False
    fields = ("kind", "dependant", "content_type", "size", "created_at", "download")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, obj: ApplicationDocument) -> str:
        url = reverse("benefits:document-download", kwargs={"public_id": obj.public_id})
        return format_html('<a href="{}">{}</a>', url, _("download"))


class StateCorporationFuneralForm(forms.Form):
    """B-1, B-5: what the State Corporation's staff member enters from the applicant's documents."""

    deceased_iin = forms.RegexField(regex=r"^\d{12}$", label=_("IIN of the deceased"))
    applicant_iin = forms.RegexField(regex=r"^\d{12}$", label=_("IIN of the applicant"), required=False)
    applicant_bin = forms.RegexField(
        regex=r"^\d{12}$", label=_("BIN of the applicant (a legal entity)"), required=False
    )
    applicant_name = forms.CharField(label=_("applicant's name"), max_length=300)
    death_date = forms.DateField(
        label=_("date of death on the certificate presented"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    death_certificate_number = forms.CharField(label=_("death certificate number"), max_length=40, required=False)
    # B-5: scans of the documents presented, needed only where the state systems do not confirm them
    burier_identity = forms.FileField(label=DocumentKind.BURIER_IDENTITY.label, required=False)
    burier_registration = forms.FileField(label=DocumentKind.BURIER_REGISTRATION.label, required=False)
    death_certificate = forms.FileField(label=DocumentKind.DEATH_CERTIFICATE.label, required=False)


class StateCorporationSurvivorForm(SurvivorForm):
    """B-13: the survivor benefit from the applicant's documents; the applicant is a registered person."""

    deceased_iin = forms.RegexField(regex=r"^\d{12}$", label=_("IIN of the deceased breadwinner"))
    applicant_iin = forms.RegexField(regex=r"^\d{12}$", label=_("IIN of the applicant"))

    field_order = ["deceased_iin", "applicant_iin"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_personal_data"].label = _(
            "The applicant gave written consent to access to their personal data of restricted access"
        )

    def clean_applicant_iin(self) -> Person:
        person = Person.objects.filter(iin=self.cleaned_data["applicant_iin"]).first()
        if person is None:
            raise forms.ValidationError(PERSON_UNKNOWN.message, code=PERSON_UNKNOWN.code)
        return person


class StateCorporationDisabilityForm(forms.Form):
    """B-6, B-12: the disability benefits under the person's registered MSE act, from the documents
    presented at the office; the person is a registered person."""

    person_iin = forms.RegexField(regex=r"^\d{12}$", label=_("IIN of the person with disability"))
    benefits = forms.MultipleChoiceField(
        label=_("benefits chosen"),
        choices=DisabilityBenefit.choices,
        initial=[DisabilityBenefit.SOCIAL],
        widget=forms.CheckboxSelectMultiple,
    )
    consent_personal_data = forms.BooleanField(
        label=_("The person gave written consent to access to their personal data of restricted access"),
        required=False,
        help_text=_("Without the consent the application is refused (the law on personal data, art. 8)."),
    )
    birth_certificate = forms.FileField(label=DocumentKind.BIRTH_CERTIFICATE.label, required=False)
    marriage_certificate = forms.FileField(label=DocumentKind.MARRIAGE_CERTIFICATE.label, required=False)

    def clean_person_iin(self) -> Person:
        person = Person.objects.filter(iin=self.cleaned_data["person_iin"]).first()
        if person is None:
            raise forms.ValidationError(PERSON_UNKNOWN.message, code=PERSON_UNKNOWN.code)
        return person


class CarerWorkBookForm(forms.Form):
    """B-15: the carer's yearly work book record of leaving work, entered from the book presented."""

    carer_iin = forms.RegexField(regex=r"^\d{12}$", label=_("IIN of the carer"))
    work_book_record = forms.CharField(
        label=_("work book record of leaving work (its number and date)"), max_length=200
    )


@admin.register(Application)
class ApplicationAdmin(PersonalDataAdminMixin, BenefitsAreaAdminMixin, admin.ModelAdmin[Application]):
    access_subject = PersonalDataAccess.Subject.BENEFIT
    access_person_fields = ("applicant",)
    list_display = ["number", "programme", "channel", "stage", "submitted_at", "decision_due_at", "refusal_code"]
    list_filter = ["programme", "channel", "stage"]
    inlines = [CheckInline, DecisionInline, DocumentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Application | None = None) -> list[str]:
        return [f.name for f in Application._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # filed through the service: the State Corporation's form below, the API, the portal

    def has_delete_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "file-funeral/",
                self.admin_site.admin_view(self.file_funeral_view),
                name="benefits_application_file_funeral",
            ),
            path(
                "carer-work-book/",
                self.admin_site.admin_view(self.carer_work_book_view),
                name="benefits_application_carer_work_book",
            ),
            path(
                "file-disability/",
                self.admin_site.admin_view(self.file_disability_view),
                name="benefits_application_file_disability",
            ),
            path(
                "file-survivor/",
                self.admin_site.admin_view(self.file_survivor_view),
                name="benefits_application_file_survivor",
            ),
        ]
        return own + super().get_urls()

    def _filing_allowed(self, request: HttpRequest) -> None:
        """The State Corporation's filing forms: staff with the permission to add applications."""
        if not request.user.has_perm("benefits.add_application"):
            raise PermissionDenied

    def _filed(self, request: HttpRequest, application: Application) -> HttpResponse:
        if application.number:
            self.message_user(request, _("Accepted: registration number %s.") % application.number)
        else:
            reason = refusal_text(application)
            self.message_user(request, _("Not accepted: %s") % reason, level=messages.WARNING)
        return HttpResponseRedirect(reverse("admin:benefits_application_change", args=[application.pk]))

    def _filing_page(self, request: HttpRequest, *, title: Any, help: Any, **forms_: Any) -> HttpResponse:
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": title,
            "help": help,
            "opts": self.model._meta,
            **forms_,
        }
        return TemplateResponse(request, "benefits/admin/file_application.html", context)

    def file_funeral_view(self, request: HttpRequest) -> HttpResponse:
        """B-1: the State Corporation's staff member enters the application (3 working days' term)."""
        self._filing_allowed(request)
        form = StateCorporationFuneralForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                application = funeral_application_file(
                    deceased_iin=data["deceased_iin"],
                    channel=Channel.STATE_CORPORATION,
                    applicant_iin=data["applicant_iin"],
                    applicant_bin=data["applicant_bin"],
                    applicant_name=data["applicant_name"],
                    confirmed_by="staff",
                    filed_by_user=request.user,
                    presented_death_date=data["death_date"],
                    presented_certificate=data["death_certificate_number"],
                    documents={kind: data[kind] for kind in FUNERAL_DOCUMENTS},
                )
            except ApplicationError as exc:
                for item in exc.items:
                    form.add_error(item.field if item.field in form.fields else None, str(item.message))
            else:
                return self._filed(request, application)
        return self._filing_page(
            request, title=_("File a funeral payment application (State Corporation)"), help=FUNERAL_HELP, form=form
        )

    def file_survivor_view(self, request: HttpRequest) -> HttpResponse:
        """B-13..B-15: the State Corporation's staff member enters the survivor benefit application from
        the documents presented (7 working days' term, B-14)."""
        self._filing_allowed(request)
        data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
        form = StateCorporationSurvivorForm(data, files)
        formset = DependantFormSet(data, files, prefix=DEPENDANTS_PREFIX)
        if data is not None and form.is_valid() and formset.is_valid():
            arguments, rows = survivor_inputs(form, formset)
            try:
                application = survivor_application_file(
                    applicant=form.cleaned_data["applicant_iin"],
                    deceased_iin=form.cleaned_data["deceased_iin"],
                    channel=Channel.STATE_CORPORATION,
                    confirmed_by="staff",
                    filed_by_user=request.user,
                    **arguments,
                )
            except ApplicationError as exc:
                survivor_errors_show(exc, form, formset, rows)
            else:
                return self._filed(request, application)
        return self._filing_page(
            request,
            title=_("File a survivor benefit application (State Corporation)"),
            help=SURVIVOR_HELP,
            form=form,
            formset=formset,
        )

    def file_disability_view(self, request: HttpRequest) -> HttpResponse:
        """B-6, B-9, B-12: the State Corporation's staff member files the disability benefits chosen
        under the person's registered MSE act (7 working days' term; staff form the decision, B-7)."""
        self._filing_allowed(request)
        form = StateCorporationDisabilityForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                applications = disability_application_file(
                    person=data["person_iin"],
                    benefits=data["benefits"],
                    consent_personal_data=data["consent_personal_data"],
                    channel=Channel.STATE_CORPORATION,
                    filed_by_user=request.user,
                    documents={kind: data[kind] for kind in DISABILITY_CHILD_RAISING},
                )
            except ApplicationError as exc:
                for item in exc.items:
                    form.add_error(item.field if item.field in form.fields else None, str(item.message))
            else:
                return self._filed(request, applications[0])
        return self._filing_page(
            request,
            title=_("File a disability benefit application (State Corporation)"),
            help=DISABILITY_HELP,
            form=form,
        )

    def carer_work_book_view(self, request: HttpRequest) -> HttpResponse:
        """B-15: the State Corporation's staff member enters the carer's yearly work book record."""
        self._filing_allowed(request)
        form = CarerWorkBookForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            share = paid_carer_shares(iin=form.cleaned_data["carer_iin"]).first()
            if share is None:
                form.add_error("carer_iin", _("No paid carer's share is found for this IIN."))
            else:
                try:
                    carer_work_book_present(dependant_id=share.pk, record=form.cleaned_data["work_book_record"])
                except ApplicationError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
                else:
                    self.message_user(request, _("The work book record is taken: the proof is renewed for a year."))
                    return HttpResponseRedirect(reverse("admin:benefits_application_carer_work_book"))
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Carer's yearly work book record (State Corporation)"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "benefits/admin/carer_work_book.html", context)


FUNERAL_HELP = _(
    "The civil registry and the recipients' register are checked at once; enter the certificate presented "
    "only when the registry has no record of the death."
)
DISABILITY_HELP = _(
    "The person's registered MSE act establishing disability is found by their IIN; the decision is due in "
    "7 working days and staff form it from the state systems. Attach the birth or marriage certificate only "
    "for the benefit for raising a child with disability, where the civil registry cannot confirm it."
)
SURVIVOR_HELP = _(
    "The civil registry is asked for the death and the dependants' birth records; attach a scan only of a "
    "document the registry does not confirm. Every dependant must have a right, or nothing is filed."
)


@admin.register(JournalEntry)
class JournalEntryAdmin(BenefitsAreaAdminMixin, admin.ModelAdmin[JournalEntry]):
    list_display = ["application", "registered_at"]
    date_hierarchy = "registered_at"
    actions = ["export_csv", "export_xlsx"]
    area_prefix = "application__"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JournalEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: JournalEntry | None = None) -> bool:
        return False

    def _rows(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> list[list[str]]:
        """The journal's rows (appendix 6: applicants' and the deceased's IINs), the read recorded (X-9)."""
        entries = list(queryset.select_related("application").order_by("registered_at", "pk"))
        shown = {e.application.applicant_iin for e in entries} | {e.application.subject_iin for e in entries}
        _record_benefit_read(request, shown)
        return journal_rows(entries)

    @admin.action(description=_("Export the journal (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> HttpResponse:
        rows = self._rows(request, queryset)
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="journal.csv"'
        return response

    @admin.action(description=_("Export the journal (XLSX)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> HttpResponse:
        rows = self._rows(request, queryset)
        response = HttpResponse(
            as_xlsx(rows, sheet="Journal"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="journal.xlsx"'
        return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(Decision)
class DecisionAdmin(BenefitsAreaAdminMixin, admin.ModelAdmin[Decision]):
    """Item 7: draft decisions approved with a signature on the approval page (one or a day's batch)."""

    area_prefix = "application__"

    list_display = ["application", "kind", "amount", "periodic", "start_date", "created_at", "approved_at"]
    list_filter = ["kind", "approved_at"]
    date_hierarchy = "created_at"
    actions = ["approve_with_signature"]

    def get_readonly_fields(self, request: HttpRequest, obj: Decision | None = None) -> list[str]:
        return [f.name for f in Decision._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Decision | None = None) -> bool:
        return False

    @admin.action(description=_("Approve with an electronic signature"), permissions=["approve"])
    def approve_with_signature(self, request: HttpRequest, queryset: QuerySet[Decision]) -> HttpResponse:
        ids = ",".join(str(d.public_id) for d in queryset.filter(approved_at__isnull=True))
        return HttpResponseRedirect(f"{reverse('benefits:approve')}?ids={ids}")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("benefits.approve_decision")


PAYMENT_LINE_AREA = "decision__application__"


class PaymentLineInline(admin.TabularInline[PaymentLine, PaymentList]):
    model = PaymentLine
    extra = 0
    can_delete = False
    max_num = 0
    readonly_fields = ("recipient", "programme", "amount", "arrears_months", "arrears", "total")
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[PaymentLine]:
        # rule 6: the month's list is national; the lines a staff member sees are of their area
        return selectors.in_staff_area(super().get_queryset(request), request.user, prefix=PAYMENT_LINE_AREA)


@admin.register(PaymentList)
class PaymentListAdmin(admin.ModelAdmin[PaymentList]):
    """Item 7: the month's payment lists (built by the beat), exported as CSV or XLSX.

    A list is the country's month; its lines (recipients' IINs), on its page and in its exports, are
    those of the staff member's area, and each showing records a read of their people (X-9). The
    change list shows months only: no personal data, nothing recorded.
    """

    list_display = ["month", "built_at"]
    actions = ["export_csv", "export_xlsx"]
    readonly_fields = ["month", "built_at"]
    inlines = [PaymentLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PaymentList | None = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        payment_list = self.get_object(request, object_id) if response.status_code == 200 else None
        if request.method == "GET" and payment_list is not None:
            # the lines shown: those of the inline, if the staff member may see it
            for inline in self.get_inline_instances(request, payment_list):
                if isinstance(inline, PaymentLineInline):
                    lines = inline.get_queryset(request).filter(payment_list=payment_list)
                    shown = set(lines.values_list("recipient", flat=True))
                    _record_benefit_read(request, shown, obj=payment_list)
        return response

    def _lines(self, request: HttpRequest, queryset: QuerySet[PaymentList]) -> list[PaymentLine]:
        lines = selectors.in_staff_area(
            PaymentLine.objects.filter(payment_list__in=queryset), request.user, prefix=PAYMENT_LINE_AREA
        )
        return list(lines.select_related("decision__application").order_by("month", "pk"))

    def _rows(self, request: HttpRequest, queryset: QuerySet[PaymentList]) -> list[list[str]]:
        lines = self._lines(request, queryset)
        _record_benefit_read(request, {line.recipient for line in lines})
        return payment_rows(lines)

    @admin.action(description=_("Export the payment list (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[PaymentList]) -> HttpResponse:
        response = HttpResponse(as_csv(self._rows(request, queryset)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="payment-list.csv"'
        return response

    @admin.action(description=_("Export the payment list (XLSX)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[PaymentList]) -> HttpResponse:
        response = HttpResponse(as_xlsx(self._rows(request, queryset)), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="payment-list.xlsx"'
        return response
