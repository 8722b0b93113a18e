"""The Committee's staff views of the registry (items 1, 2, 3, 5). Department and provider staff see
the experts of their own department or region only (``portal/admin_scoping.py``); every write of a
status goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from expert_registry.banking import bic_normalize, iban_normalize
from expert_registry.models import (
    Announcement,
    Application,
    ApplicationDocument,
    CabinetMessage,
    EvaluationFormula,
    EvaluationResult,
    Expert,
    ExpertContract,
    ExpertLeave,
    ExpertStateEvent,
    ExpertStatusChange,
    ModemLoan,
    Question,
    StateDocumentCheck,
    Tariff,
    TestAttempt,
    Training,
    WorkRecord,
)
from expert_registry.pricing import price_rows, price_table
from expert_registry.scoring import explain
from expert_registry.selectors import experts_untrained_after_first_month, modem_loans_overdue
from expert_registry.services.announcements import announcement_publish
from expert_registry.services.applications import application_admit_to_testing, application_documents_refuse
from expert_registry.services.exclusion import expert_exclude
from expert_registry.services.experts import (
    expert_bank_details_set,
    expert_leave_add,
    expert_leave_cancel,
    expert_status_change,
)
from expert_registry.services.testing import attempt_proctoring_record
from portal.accesslog.models import PersonalDataAccess
from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.accesslog.services import personal_data_access_record
from portal.admin_scoping import NationalDataAdminMixin, StaffScopedAdminMixin, scope_filter
from portal.errors import ApplicationError
from portal.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, as_csv, as_xlsx


class ExpertStatusChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ExpertStatusChange
    extra = 0
    can_delete = False
    fields = (
        "at",
        "from_status",
        "to_status",
        "effective_from",
        "effective_until",
        "exclusion_ground",
        "evidence",
        "actor",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExpertForm(forms.ModelForm):  # type: ignore[type-arg]
    new_status = forms.ChoiceField(
        label=_("change status to"), required=False, choices=[("", "---"), *Expert.Status.choices]
    )
    status_from = forms.DateField(label=_("from"), required=False)
    status_until = forms.DateField(label=_("until (incapacity)"), required=False)
    exclusion = forms.TypedChoiceField(
        label=_("ground of exclusion"),
        required=False,
        coerce=int,
        choices=[("", "---"), *Expert.ExclusionGround.choices],
    )
    evidence = forms.CharField(label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Expert
        fields = (
            "person",
            "kind",
            "position",
            "department",
            "region",
            "nosology_groups",
            "planned_monthly_cases",
            "bank_name",
            "account_number",
            "bic",
            "iban",
            "account_type",
        )

    def clean_iban(self) -> str:
        value = self.cleaned_data.get("iban") or ""
        if not value:
            return ""
        try:
            return iban_normalize(value)
        except ApplicationError as exc:
            raise exc.as_validation_error() from exc

    def clean_bic(self) -> str:
        value = self.cleaned_data.get("bic") or ""
        if not value:
            return ""
        try:
            return bic_normalize(value)
        except ApplicationError as exc:
            raise exc.as_validation_error() from exc


@admin.register(Expert)
class ExpertAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    access_subject = Subject.PERSON
    access_person_fields = ("person",)
    scope_department = "department"
    scope_region = "region"
    form = ExpertForm
    list_display = ("person", "kind", "position", "department", "region", "status", "status_since")
    list_filter = ("kind", "position", "status", "region")
    search_fields = ("person__last_name", "person__iin")
    autocomplete_fields = ("person",)
    filter_horizontal = ("nosology_groups",)
    readonly_fields = ("status", "status_since", "incapacitated_from", "incapacitated_until", "exclusion_ground")
    inlines = [ExpertStatusChangeInline]

    def save_model(self, request: HttpRequest, obj: Expert, form: Any, change: bool) -> None:
        data = form.cleaned_data
        super().save_model(request, obj, form, change)
        if data.get("iban") and data.get("bic"):
            expert_bank_details_set(
                expert=obj,
                bank_name=data.get("bank_name") or "",
                iban=data["iban"],
                bic=data["bic"],
                account_number=data.get("account_number") or "",
                account_type=data.get("account_type") or "текущий",
            )
        if data.get("new_status") == Expert.Status.EXCLUDED:
            # E-7: every ground with its evidence; ground 5 only after more than 3 missed months.
            try:
                expert_exclude(
                    expert=obj,
                    ground=data.get("exclusion") or 0,
                    evidence=data.get("evidence") or "",
                    actor=request.user,
                    on_date=data.get("status_from"),
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
        elif data.get("new_status"):
            try:
                expert_status_change(
                    expert=obj,
                    to_status=data["new_status"],
                    actor=request.user,
                    on_date=data.get("status_from"),
                    until=data.get("status_until"),
                    ground=data.get("exclusion"),
                    evidence=data.get("evidence") or "",
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))


class ExpertLeaveForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ExpertLeave
        fields = ("expert", "starts_on", "ends_on", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        expert, starts_on, ends_on = data.get("expert"), data.get("starts_on"), data.get("ends_on")
        if self.instance.pk is None and expert and starts_on and ends_on:
            # the service's own checks, said on the form; it checks again under the expert's lock
            try:
                with transaction.atomic():
                    expert_leave_add(expert=expert, starts_on=starts_on, ends_on=ends_on, actor=None)
                    transaction.set_rollback(True)
            except ApplicationError as exc:
                raise exc.as_validation_error() from exc
        return data


@admin.register(ExpertLeave)
class ExpertLeaveAdmin(StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """P-6, E-8, E-9: dated leaves; written and withdrawn through ``services.experts`` (audited, X-5)."""

    scope_department = "expert__department"
    scope_region = "expert__region"
    form = ExpertLeaveForm
    list_display = ("expert", "starts_on", "ends_on", "note", "created_by", "created_at")
    list_filter = ("starts_on",)
    autocomplete_fields = ("expert",)
    readonly_fields = ("created_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ExpertLeave | None = None) -> Any:
        if obj is not None:  # a recorded leave is withdrawn, never edited
            return ("expert", "starts_on", "ends_on", "note", "created_by", "created_at")
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ExpertLeave, form: Any, change: bool) -> None:
        if change:
            return
        leave = expert_leave_add(
            expert=obj.expert, starts_on=obj.starts_on, ends_on=obj.ends_on, actor=request.user, note=obj.note
        )
        obj.pk, obj._state.adding = leave.pk, False

    def delete_model(self, request: HttpRequest, obj: ExpertLeave) -> None:
        expert_leave_cancel(leave=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ExpertLeave]) -> None:
        for leave in queryset:
            expert_leave_cancel(leave=leave)


@admin.register(WorkRecord)
class WorkRecordAdmin(StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    scope_department = "expert__department"
    scope_region = "expert__region"
    list_display = ("case_ref", "expert", "received_at", "due_at", "decided_at", "upheld")
    readonly_fields = ("expert", "case_ref", "received_at", "due_at", "decided_at", "upheld")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Announcement)
class AnnouncementAdmin(NationalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title_ru", "acceptance_starts_on", "acceptance_ends_on", "candidates_to_select", "published_at")
    readonly_fields = ("published_at", "published_by")
    actions = ["publish"]

    @admin.action(description=_("Publish the selected announcements (E-1)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        for announcement in queryset:
            try:
                announcement_publish(announcement=announcement, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{announcement}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("Published: %(a)s") % {"a": announcement}, messages.SUCCESS)


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApplicationDocument
    extra = 0
    can_delete = False
    fields = ("kind", "content_type", "size", "sha256")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StateCheckInline(admin.TabularInline):  # type: ignore[type-arg]
    """E-3: what each state system answered and what it means, for the Committee's check."""

    model = StateDocumentCheck
    extra = 0
    can_delete = False
    fields = ("document", "system", "outcome", "verdict", "detail", "upload_kind", "asked_count", "asked_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(PersonalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    access_subject = Subject.PERSON
    access_person_fields = ("person",)
    list_display = ("person", "announcement", "status", "submitted_at", "test_deadline")
    list_filter = ("status", "announcement")
    inlines = [DocumentInline, StateCheckInline]
    actions = ["admit", "refuse_incomplete", "refuse_disqualifying", "refuse_missing_proof"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Application._meta.fields] + ["nosology_groups"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _each(self, request: HttpRequest, queryset: QuerySet[Application], call: Any) -> None:
        for application in queryset:
            try:
                call(application)
            except ApplicationError as exc:
                self.message_user(request, f"{application}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Accept the documents: admit to testing"))
    def admit(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._each(request, queryset, lambda a: application_admit_to_testing(application=a, actor=request.user))

    @admin.action(description=_("Refuse (E-4): incomplete or expired documents"))
    def refuse_incomplete(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._each(
            request,
            queryset,
            lambda a: application_documents_refuse(
                application=a, grounds=["incomplete_or_expired"], actor=request.user
            ),
        )

    @admin.action(description=_("Refuse (E-4): psychiatric, narcological registration or criminal record"))
    def refuse_disqualifying(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._each(
            request,
            queryset,
            lambda a: application_documents_refuse(
                application=a, grounds=["disqualifying_information"], actor=request.user
            ),
        )

    @admin.action(description=_("Refuse (E-4): no proof of (1)-(4)"))
    def refuse_missing_proof(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._each(
            request,
            queryset,
            lambda a: application_documents_refuse(application=a, grounds=["missing_proof"], actor=request.user),
        )


@admin.register(Question)
class QuestionAdmin(NationalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "is_active")
    list_filter = ("is_active",)


class AttemptForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TestAttempt
        fields = ("proctoring", "proctoring_document")


@admin.register(TestAttempt)
class TestAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The manual proctoring backend: staff record each session's conclusion here."""

    form = AttemptForm
    list_display = ("application", "number", "started_at", "submitted_at", "correct_count", "proctoring", "result")
    list_filter = ("proctoring", "result")
    readonly_fields = (
        "application",
        "number",
        "started_at",
        "ends_at",
        "submitted_at",
        "correct_count",
        "question_count",
        "result",
        "result_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TestAttempt, form: Any, change: bool) -> None:
        if "proctoring" in form.changed_data and obj.proctoring != TestAttempt.Proctoring.PENDING:
            try:
                attempt_proctoring_record(
                    attempt=TestAttempt.objects.get(pk=obj.pk),
                    conclusion=obj.proctoring,
                    actor=request.user,
                    document=obj.proctoring_document,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))


@admin.register(CabinetMessage)
class CabinetMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("application", "created_at", "__str__")
    readonly_fields = ("person", "application", "text_kk", "text_ru", "text_en")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ExpertContract)
class ExpertContractAdmin(PersonalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-6: contracts offered at inclusion, their term and signature; written only by the services."""

    access_subject = Subject.PERSON
    access_person_fields = ("person",)  # ExpertContract.person_id
    list_display = ("expert", "included_on", "sign_by", "status", "signed_at")
    list_filter = ("status",)
    readonly_fields = (
        "application",
        "expert",
        "content",
        "included_on",
        "sign_by",
        "status",
        "signed_at",
        "verification",
        "refused_at",
    )
    exclude = ("signature",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ExpertStateEvent)
class ExpertStateEventAdmin(PersonalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-7 (2)-(4): what the state systems said, as received by the daily poll."""

    access_subject = Subject.PERSON
    access_person_fields = ("person",)  # ExpertStateEvent.person_id
    list_display = ("expert", "ground", "event_date", "system", "created_at")
    list_filter = ("ground",)
    readonly_fields = ("expert", "ground", "system", "event_date", "evidence", "reference")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- E-10, E-11, E-12 -----------------------------------------------------------------------------


def _record_expert_reads(request: HttpRequest, person_ids: list[int], obj: Any = None) -> None:
    """X-9: the people behind expert rows read in the admin (names, bank details)."""
    personal_data_access_record(
        actor=request.user,
        persons=person_ids,
        subject=PersonalDataAccess.Subject.PERSON,
        purpose=PersonalDataAccess.Purpose.ADMINISTRATION,
        channel=PersonalDataAccess.Channel.ADMIN,
        obj=obj,
    )


@admin.register(EvaluationFormula)
class EvaluationFormulaAdmin(NationalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-10: the Committee's staff add a version; a version that has results is frozen."""

    list_display = ("version", "valid_from", "weight_timeliness", "weight_quality", "weight_volume", "volume_cap")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.results.exists():
            return [f.name for f in EvaluationFormula._meta.fields]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvaluationResult)
class EvaluationResultAdmin(StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-10 results with their explainer; E-11 the price table of the selected months (XLSX, CSV)."""

    scope_department = "expert__department"
    scope_region = "expert__region"
    list_display = (
        "expert",
        "period",
        "period_start",
        "decided",
        "timeliness",
        "quality",
        "volume",
        "score",
        "formula",
    )
    list_filter = ("period", "period_start", "expert__region")
    list_select_related = ("expert__person", "expert__region", "formula")
    fields = readonly_fields = (
        "expert",
        "period",
        "period_start",
        "period_end",
        "formula",
        "received",
        "decided",
        "decided_on_time",
        "reviewed",
        "upheld",
        "planned",
        "timeliness",
        "quality",
        "volume",
        "score",
        "computed_at",
        "explainer",
    )
    actions = ["export_price_xlsx", "export_price_csv"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("how the score was made"))
    def explainer(self, obj: EvaluationResult) -> SafeString:
        return format_html_join("", "<p>{}</p>", ((line,) for line in explain(obj)))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and response.status_code == 200:
            _record_expert_reads(request, [obj.expert.person_id], obj=obj)
        return response

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            _record_expert_reads(request, [r.expert.person_id for r in changelist.result_list])
        return response

    def _price_table(self, request: HttpRequest, queryset: QuerySet[EvaluationResult]) -> list[Any] | None:
        results = list(
            queryset.filter(period=EvaluationResult.Period.MONTH)
            .select_related("expert__person", "expert__region")
            .order_by("period_start", "expert__region__name_ru", "expert__person__last_name", "pk")
        )
        try:
            rows = price_rows(results=results)
        except ApplicationError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return None
        _record_expert_reads(request, [r.expert.person_id for r in results])
        return price_table(rows, formed_on=timezone.localdate())

    @admin.action(description=_("Price table of appendix 8 with totals per region (XLSX)"))
    def export_price_xlsx(self, request: HttpRequest, queryset: QuerySet[EvaluationResult]) -> HttpResponse | None:
        table = self._price_table(request, queryset)
        if table is None:
            return None
        response = HttpResponse(as_xlsx(table, sheet="Price table"), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="price-table.xlsx"'
        return response

    @admin.action(description=_("Price table of appendix 8 with totals per region (CSV)"))
    def export_price_csv(self, request: HttpRequest, queryset: QuerySet[EvaluationResult]) -> HttpResponse | None:
        table = self._price_table(request, queryset)
        if table is None:
            return None
        response = HttpResponse(as_csv(table), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="price-table.csv"'
        return response


@admin.register(Tariff)
class TariffAdmin(NationalDataAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-11: the tariff of a doctor-expert's service for each year (data, not code)."""

    list_display = ("year", "amount", "basis")


@admin.register(Training)
class TrainingAdmin(StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-12: training in the first month after inclusion, and consultations."""

    scope_department = "expert__department"
    scope_region = "expert__region"
    list_display = ("expert", "kind", "held_on", "hours", "topic", "given_by")
    list_filter = ("kind",)
    autocomplete_fields = ("expert",)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # E-12: the active experts whose first month ended with no training recorded in it
        missing = experts_untrained_after_first_month(on_date=timezone.localdate())
        scoped: Any = scope_filter  # the core's helper is untyped
        experts = scoped(Expert.objects.all(), request.user, department="department", region="region")
        allowed = set(experts.values_list("pk", flat=True))
        names = [f"{e} ({end:%d.%m.%Y})" for e, end in missing if e.pk in allowed]
        if names:
            self.message_user(
                request,
                _("No training in the first month (ended on): %(names)s") % {"names": "; ".join(names)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


class OverdueFilter(admin.SimpleListFilter):
    title = _("return")
    parameter_name = "return"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("out", _("not returned")), ("overdue", _("overdue")), ("returned", _("returned"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ModemLoan]) -> QuerySet[ModemLoan]:
        if self.value() == "overdue":
            return queryset.filter(pk__in=modem_loans_overdue(on_date=timezone.localdate()).values("pk"))
        if self.value() == "out":
            return queryset.filter(returned_on__isnull=True)
        if self.value() == "returned":
            return queryset.filter(returned_on__isnull=False)
        return queryset


@admin.register(ModemLoan)
class ModemLoanAdmin(StaffScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """E-12: the loan log of USB modems; overdue ones are marked and listed by the filter."""

    scope_department = "expert__department"
    scope_region = "expert__region"
    list_display = ("serial_number", "expert", "issued_on", "due_back_on", "returned_on", "overdue")
    list_filter = (OverdueFilter,)
    search_fields = ("serial_number",)
    autocomplete_fields = ("expert",)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: ModemLoan) -> bool:
        return obj.is_overdue_on(timezone.localdate())

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
