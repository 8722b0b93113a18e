"""The provider's and departments' admin of the queue: pilots, schedules (with a month view),
business trips and days off (with a confirmation step when bookings are affected), bookings and
their history, the waiting list and the incident log."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.admin_scoping import StaffScopedAdminMixin, staff_scope
from queue_booking import selectors, services
from queue_booking.models import (
    Booking,
    BookingTransition,
    Incident,
    Pilot,
    ReceptionException,
    ReceptionSchedule,
    Slot,
    WaitlistEntry,
)

MSG_CONFIRM = _(
    "%(n)s booked visit(s) fall on these days and will move to “to rebook”; each person gets an SMS "
    "and first choice of the next free place: %(people)s. Tick “confirm” and save again to proceed."
)
MSG_MOVED = _("%(n)s booking(s) moved to “to rebook”; the people were notified.")
MSG_MISSING_SCHEDULES = _("No reception schedule for %(year)s yet (due by 25 December): %(departments)s.")


def _warn_missing_schedules(request) -> None:
    """Q-3 [A]: from 15 December, staff see which departments of their area lack next year's schedule."""
    warning = selectors.schedule_warning()
    if warning:
        year, missing = warning
        scope = staff_scope(request.user)  # department and provider staff hear of their area only
        if scope is not None:
            kind, pk = scope
            missing = [d for d in missing if (d.pk if kind == "department" else d.region_id) == pk]
            if not missing:
                return
        messages.warning(
            request,
            MSG_MISSING_SCHEDULES % {"year": year, "departments": ", ".join(str(d) for d in missing)},
        )


class DepartmentScopedAdmin(StaffScopedAdminMixin, admin.ModelAdmin):
    """Q-12: department staff see their department's rows, provider staff their region's."""

    scope_department = "department"
    scope_region = "department__region"


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):  # national data: not scoped
    list_display = ["name", "starts_on", "ends_on", "order_reference"]
    filter_horizontal = ["regions"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(ReceptionSchedule)
class ReceptionScheduleAdmin(DepartmentScopedAdmin):
    list_display = ["department", "year", "capacity_per_slot", "month_link"]
    list_filter = ["year", "department__region"]
    search_fields = ["department__name_ru", "department__name_kk"]
    readonly_fields = ["approved_by", "created_at", "updated_at"]

    @admin.display(description=_("calendar"))
    def month_link(self, obj):
        url = reverse("admin:queue_booking_receptionschedule_month", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("month view"))

    def changelist_view(self, request, extra_context=None):
        _warn_missing_schedules(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        obj.approved_by = request.user
        obj.save()
        moved = services.reception_schedule_publish(schedule=obj, actor_user=request.user)
        if moved:
            messages.warning(request, MSG_MOVED % {"n": len(moved)})

    def get_urls(self):
        return [
            path(
                "<int:pk>/month/",
                self.admin_site.admin_view(self.month_view),
                name="queue_booking_receptionschedule_month",
            ),
            *super().get_urls(),
        ]

    def month_view(self, request, pk):
        """A calendar of one month: working days, trips and days off, taken/total places per day."""
        schedule = get_object_or_404(self.get_queryset(request).select_related("department"), pk=pk)
        if not self.has_view_or_change_permission(request, schedule):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in request.GET.get("month", "").split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            first = today.replace(day=1) if today.year == schedule.year else dt.date(schedule.year, 1, 1)
        prev_month = (first - dt.timedelta(days=1)).replace(day=1)
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reception calendar: %(department)s") % {"department": schedule.department},
            "opts": self.model._meta,
            "schedule": schedule,
            "month": first,
            "prev_month": f"{prev_month:%Y-%m}",
            "next_month": f"{next_month:%Y-%m}",
            "weeks": selectors.schedule_month(department=schedule.department, year=first.year, month=first.month),
            "today": today,
        }
        return TemplateResponse(request, "admin/queue_booking/month.html", context)


class ReceptionExceptionForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("confirm: move the affected bookings to “to rebook”"),
        required=False,
        help_text=_("Needed only when booked visits fall on these days."),
    )

    class Meta:
        model = ReceptionException
        fields = ["department", "kind", "starts_on", "ends_on", "capacity_per_slot", "note"]

    def clean(self):
        data = super().clean()
        department, starts_on, ends_on = data.get("department"), data.get("starts_on"), data.get("ends_on")
        if department and starts_on and ends_on:
            if ends_on < starts_on:
                raise ValidationError({"ends_on": _("The end is before the start.")})
            affected = selectors.closure_affected_bookings(
                department=department,
                starts_on=starts_on,
                ends_on=ends_on,
                capacity_per_slot=data.get("capacity_per_slot") or 0,
            )
            self.affected = affected
            if affected and not data.get("confirm"):
                people = "; ".join(
                    f"{b.person.full_name} ({timezone.localtime(b.starts_at):%d.%m.%Y %H:%M}, {b.ticket_number})"
                    for b in affected
                )
                raise ValidationError(MSG_CONFIRM % {"n": len(affected), "people": people}, code="confirm_needed")
        return data


@admin.register(ReceptionException)
class ReceptionExceptionAdmin(DepartmentScopedAdmin):
    form = ReceptionExceptionForm
    list_display = ["department", "kind", "starts_on", "ends_on", "capacity_per_slot", "note"]
    list_filter = ["kind", "department__region", "department"]
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        moved = services.reception_exception_save(exception=obj, actor_user=request.user)
        if moved:
            url = reverse("admin:queue_booking_booking_changelist") + "?status__exact=to_rebook"
            messages.warning(
                request,
                format_html('{} <a href="{}">{}</a>', MSG_MOVED % {"n": len(moved)}, url, _("See the list.")),
            )

    def delete_model(self, request, obj):
        services.reception_exception_delete(exception=obj, actor_user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.reception_exception_delete(exception=obj, actor_user=request.user)


@admin.register(Slot)
class SlotAdmin(DepartmentScopedAdmin):
    list_display = ["department", "starts_at", "capacity", "booked"]
    list_filter = ["department__region", "department"]
    date_hierarchy = "day"

    def has_add_permission(self, request):  # slots come from the schedule
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BookingTransitionInline(admin.TabularInline):
    model = BookingTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor_user", "actor_person", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Annul for lateness (more than 15 minutes late)"))
def annul_late(modeladmin, request, queryset):
    from portal.errors import ApplicationError

    done = 0
    for booking in queryset.select_related("department", "person", "booked_by"):
        try:
            services.booking_annul_late(booking=booking, actor_user=request.user)
            done += 1
        except ApplicationError as exc:
            messages.error(request, f"{booking.ticket_number}: {exc.message}")
    if done:
        messages.success(request, _("%(n)s booking(s) annulled.") % {"n": done})


@admin.register(Booking)
class BookingAdmin(PersonalDataAdminMixin, DepartmentScopedAdmin):
    access_subject, access_person_fields = Subject.BOOKING, ("person", "booked_by")
    list_display = ["ticket_number", "person", "department", "starts_at", "kind", "status", "held_place"]
    list_filter = ["status", "kind", "department__region", "department"]
    search_fields = ["ticket_number", "person__iin", "person__last_name"]
    date_hierarchy = "day"
    list_select_related = ["person", "department", "held_slot"]
    readonly_fields = [
        "public_id",
        "referral",
        "person",
        "booked_by",
        "department",
        "slot",
        "day",
        "starts_at",
        "ticket_sequence",
        "ticket_number",
        "status",
        "kind",
        "arrived_at",
        "finished_at",
        "reminder_sent_at",
        "held_slot",
        "hold_until",
        "rebooked_as",
        "created_at",
        "updated_at",
    ]
    inlines = [BookingTransitionInline]
    actions = [annul_late]

    @admin.display(description=_("place held"))
    def held_place(self, obj):
        if obj.held_slot_id is None:
            return "—"
        held, until = timezone.localtime(obj.held_slot.starts_at), timezone.localtime(obj.hold_until)
        return f"{held:%d.%m.%Y %H:%M} → {until:%d.%m %H:%M}"

    def has_add_permission(self, request):  # bookings are made through the services
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(PersonalDataAdminMixin, DepartmentScopedAdmin):
    access_subject, access_person_fields = Subject.WAITLIST, ("person", "asked_by")
    list_display = ["person", "asked_by", "department", "created_at", "last_offered_at", "left_at"]
    list_filter = ["department"]
    search_fields = ["person__iin", "person__last_name"]
    raw_id_fields = ["person", "asked_by"]


@admin.register(Incident)
class IncidentAdmin(StaffScopedAdminMixin, admin.ModelAdmin):
    """Q-13: the deadline and, before it passes, what is about to be late (X-6).

    Q-12: an incident without a department concerns the whole pilot (the queue, the SMS gateway):
    provider staff of every region see it, department staff do not.
    """

    scope_department = "department"

    @staticmethod
    def scope_region(region_id: int) -> Q:
        return Q(department__region=region_id) | Q(department__isnull=True)

    list_display = ["title", "department", "found_at", "report_due_at", "deadline_state", "reported_at"]
    list_filter = ["department", ("reported_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "description"]
    readonly_fields = ["report_due_at", "recorded_by", "created_at", "updated_at"]
    fields = [
        "title",
        "description",
        "department",
        "found_at",
        "report_due_at",
        "reported_at",
        "reported_to",
        "recorded_by",
    ]

    @admin.display(description=_("deadline"))
    def deadline_state(self, obj):
        now = timezone.now()
        if obj.reported_at is not None:
            return format_html('<span style="color:#1b5e20">{}</span>', _("reported"))
        if obj.is_overdue(now):
            return format_html('<strong style="color:#b71c1c">{}</strong>', _("OVERDUE"))
        if obj.report_due_at - now <= dt.timedelta(hours=24):
            return format_html('<strong style="color:#e65100">{}</strong>', _("due within 24 hours"))
        return _("on time")

    def save_model(self, request, obj, form, change):
        services.incident_record(incident=obj, actor_user=request.user)
