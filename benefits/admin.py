"""The benefits in the admin: rate tables (item 2: staff edit them, each row with its source), the
applications with their checks, case file and decision (read-only: they change through services), and
the registration journal (appendix 6) exported as CSV or XLSX."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from benefits.exports import journal_rows
from benefits.models import Application, ApplicationCheck, Decision, JournalEntry, RateBase, RateCoefficient
from portal.accesslog.models import PersonalDataAccess
from portal.accesslog.recording import PersonalDataAdminMixin
from portal.spreadsheets import as_csv, as_xlsx


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


@admin.register(Application)
class ApplicationAdmin(PersonalDataAdminMixin, admin.ModelAdmin[Application]):
    access_subject = PersonalDataAccess.Subject.PERSON
    access_person_fields = ("applicant",)
    list_display = ["number", "programme", "channel", "stage", "submitted_at", "decision_due_at", "refusal_code"]
    list_filter = ["programme", "channel", "stage"]
    inlines = [CheckInline, DecisionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Application | None = None) -> list[str]:
        return [f.name for f in Application._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # filed through the service (API, portal, proactive); see docs/rules.md B-1

    def has_delete_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin[JournalEntry]):
    list_display = ["application", "registered_at"]
    date_hierarchy = "registered_at"
    actions = ["export_csv", "export_xlsx"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JournalEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: JournalEntry | None = None) -> bool:
        return False

    @admin.action(description=_("Export the journal (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> HttpResponse:
        rows = journal_rows(queryset.select_related("application").order_by("registered_at", "pk"))
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="journal.csv"'
        return response

    @admin.action(description=_("Export the journal (XLSX)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> HttpResponse:
        rows = journal_rows(queryset.select_related("application").order_by("registered_at", "pk"))
        response = HttpResponse(
            as_xlsx(rows, sheet="Journal"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="journal.xlsx"'
        return response
