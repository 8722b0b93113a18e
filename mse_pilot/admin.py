"""The remote pilot in the admin.

Act data (the window, the rollout starts, the mandatory examinations) applies nationwide: staff read
it, Committee staff and operators change it (``NationalDataAdminMixin``). Routing decisions and
remote cases hold personal data: read-only, scoped to the staff member's department or region by
the person's registration (as referrals are), and every read is logged (X-9). The anonymous counts of
refused intakes (P-4, X-7) are read-only too, scoped to a department by the department serving the
person's registration on the day and to a region by the medical organisation's.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mse_pilot.models import (
    Conclusion,
    IntakeRefusal,
    MandatoryExamination,
    PanelAssignment,
    PilotWindow,
    Programme,
    ProgrammeSeat,
    RemoteCase,
    RolloutStart,
    RoutingDecision,
)
from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.admin_languages import KazakhTextWarningAdminMixin
from portal.admin_scoping import NationalDataAdminMixin, ScopeRule, StaffScopedAdminMixin, atu_served_by_department
from portal.deadlines.states import deadline_state
from portal.workcal.services import working_hours_left


@admin.register(PilotWindow)
class PilotWindowAdmin(NationalDataAdminMixin, admin.ModelAdmin[PilotWindow]):
    list_display = ["name", "starts_on", "ends_on", "published_on", "assumed"]
    list_filter = ["assumed"]


@admin.register(RolloutStart)
class RolloutStartAdmin(NationalDataAdminMixin, admin.ModelAdmin[RolloutStart]):
    list_display = ["region_name", "region_kato", "mis_vendor", "starts_on", "ambiguous"]
    list_filter = ["mis_vendor", "ambiguous", "starts_on"]
    search_fields = ["region_name", "region_kato"]


@admin.register(MandatoryExamination)
class MandatoryExaminationAdmin(
    KazakhTextWarningAdminMixin, NationalDataAdminMixin, admin.ModelAdmin[MandatoryExamination]
):
    kazakh_fields = ("title",)
    list_display = ["group", "position", "code", "title_ru", "at_diagnosis", "requirement"]
    list_filter = ["group", "requirement", "at_diagnosis"]
    search_fields = ["code", "title_ru", "title_kk", "title_en"]


class _ReadOnlyAdmin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(
    PersonalDataAdminMixin, StaffScopedAdminMixin, _ReadOnlyAdmin, admin.ModelAdmin[RoutingDecision]
):
    """P-1, P-2: why a referral went to the remote pilot or stayed in person."""

    access_subject, access_person_fields = Subject.REFERRAL, ("person",)
    scope_department: ScopeRule | None = atu_served_by_department("person__registration_atu")
    scope_region = "person__registration_atu__region"

    list_display = ["referral", "remote", "reason", "nosology_group", "decided_on", "mis_vendor", "region_kato"]
    list_filter = ["remote", "reason", "nosology_group", "mis_vendor"]
    list_select_related = ["referral__person", "person", "nosology_group"]
    search_fields = ["referral__external_id"]
    date_hierarchy = "decided_on"


@admin.register(RemoteCase)
class RemoteCaseAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, _ReadOnlyAdmin, admin.ModelAdmin[RemoteCase]):
    """P-6: the draft acts on the waiting list, in arrival order, with their due time (P-7)."""

    access_subject, access_person_fields = Subject.REFERRAL, ("person",)
    scope_department: ScopeRule | None = atu_served_by_department("person__registration_atu")
    scope_region = "person__registration_atu__region"

    list_display = [
        "public_id",
        "person",
        "nosology_group",
        "stage",
        "received_at",
        "due_at",
        "due_reading",
        "programme",
        "no_expert_since",
        "methodology_since",
        "act",
    ]
    list_filter = ["stage", "nosology_group", "programme", ("no_expert_since", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "nosology_group"]
    search_fields = ["referral__external_id"]
    date_hierarchy = "received_at"


class ProgrammeSeatInline(admin.TabularInline[ProgrammeSeat, Programme]):
    model = ProgrammeSeat
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(NationalDataAdminMixin, admin.ModelAdmin[Programme]):
    """P-6, E-8: the programmes and their panels, as data."""

    list_display = ["code", "name_ru", "starts_on", "ends_on", "priority", "assumed"]
    inlines = [ProgrammeSeatInline]


@admin.register(PanelAssignment)
class PanelAssignmentAdmin(
    PersonalDataAdminMixin, StaffScopedAdminMixin, _ReadOnlyAdmin, admin.ModelAdmin[PanelAssignment]
):
    """P-6, E-8, E-9: who was assigned each case and why; X-6: the deadline radar (most urgent first)."""

    access_subject, access_person_fields = Subject.REFERRAL, ("person",)
    scope_department: ScopeRule | None = atu_served_by_department("person__registration_atu")
    scope_region = "person__registration_atu__region"

    list_display = ["case", "role", "seat", "status", "assigned_at", "due_at", "hours_left", "radar", "rule_version"]
    list_filter = ["status", "role"]
    list_select_related = ["case", "expert__person"]
    ordering = ["due_at", "pk"]
    readonly_fields = ["reason_pretty"]
    date_hierarchy = "due_at"

    @admin.display(description=_("working hours left"))
    def hours_left(self, obj: PanelAssignment) -> str:
        if obj.status != PanelAssignment.Status.ASSIGNED:
            return "—"
        return f"{working_hours_left(timezone.now(), obj.due_at):.2f}"

    @admin.display(description=_("deadline"))
    def radar(self, obj: PanelAssignment) -> str:
        if obj.status != PanelAssignment.Status.ASSIGNED:
            return "—"
        now = timezone.now()
        state = deadline_state(remaining=working_hours_left(now, obj.due_at), late=obj.due_at < now)
        return str({"late": _("late"), "due_soon": _("due soon"), "on_time": _("on time")}[state])

    @admin.display(description=_("why this expert"))
    def reason_pretty(self, obj: PanelAssignment) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.reason, ensure_ascii=False, indent=2))


@admin.register(Conclusion)
class ConclusionAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, _ReadOnlyAdmin, admin.ModelAdmin[Conclusion]):
    """Item 6, E-8: the experts' signed conclusions, their timeliness and methodology control's
    verdict (the methodology department's page ``/pilot/methodology/`` marks them)."""

    access_subject, access_person_fields = Subject.MSE_ACT, ("person",)
    scope_department: ScopeRule | None = atu_served_by_department("person__registration_atu")
    scope_region = "person__registration_atu__region"

    list_display = ["case", "recognised", "group", "signed_at", "on_time", "upheld", "reviewed_at"]
    list_filter = ["recognised", "group", "on_time", "upheld"]
    list_select_related = ["case"]
    ordering = ["-signed_at", "pk"]
    exclude = ["signature"]


@admin.register(IntakeRefusal)
class IntakeRefusalAdmin(StaffScopedAdminMixin, _ReadOnlyAdmin, admin.ModelAdmin[IntakeRefusal]):
    """P-4, X-7: forms refused for a missing mandatory examination, one anonymous row per missing
    examination (no person, referral or organisation: nothing to log, X-9). Written by the intake
    only, never changed or deleted; as the monthly report counts them, department staff read the rows
    of their department (the one serving the person's registration on the day), regional staff those
    of their region (the medical organisation's)."""

    scope_department = "department"
    scope_region = "region"
    list_display = ["day", "nosology_group", "examination_code", "region", "department", "mis_vendor", "integrator"]
    list_filter = ["day", "region", "department", "nosology_group", "examination_code", "mis_vendor"]
    list_select_related = ["nosology_group", "region", "department", "integrator"]
    date_hierarchy = "day"
