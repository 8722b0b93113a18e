"""Admin: the message log (filters, resend keeping history) and the versioned template editor."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.catalog import SAMPLE_CONTEXTS
from notifications.masking import mask_text
from notifications.models import LANGUAGE_NAMES, LANGUAGES, Message, MessageEvent, Template, TemplateVersion
from notifications.rendering import render, sms_encoding_and_segments
from notifications.selectors import template_changed
from portal.accesslog.recording import PersonalDataAdminMixin, Subject
from portal.admin_scoping import StaffScopedAdminMixin
from portal.errors import ApplicationError
from portal.validators import format_phone


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    can_delete = False
    fields = ["version", "created_at", "edited_by", "text_kk", "text_ru", "text_en"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "rule", "version", "urgent", "updated_at"]
    search_fields = ["key", "name", "rule", "text_ru", "text_kk", "text_en"]
    readonly_fields = ["key", "rule", "placeholders_list", "version", "preview"]
    fields = [
        "key",
        "name",
        "rule",
        "placeholders_list",
        "urgent",
        "text_kk",
        "text_ru",
        "text_en",
        "version",
        "preview",
    ]
    inlines = [TemplateVersionInline]

    def has_add_permission(self, request):
        return False  # templates are the ones code sends; they come with the code (data migration)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("required placeholders"))
    def placeholders_list(self, obj):
        return ", ".join(f"{{{p}}}" for p in obj.placeholders)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        context = SAMPLE_CONTEXTS.get(obj.key)
        if not obj.pk or context is None:
            return "-"
        rows = []
        for language in LANGUAGES:
            try:
                text = render(obj.text_for(language), context, language)
            except (KeyError, ValueError):
                rows.append((LANGUAGE_NAMES[language], language, _("cannot render"), ""))
                continue
            encoding, segments = sms_encoding_and_segments(text)
            note = ngettext("%(n)s segment", "%(n)s segments", segments) % {"n": segments}
            rows.append((LANGUAGE_NAMES[language], language, text, f"{note}, {encoding.upper()}"))
        return format_html(
            "<dl>{}</dl>",
            format_html_join("", '<dt>{}</dt><dd lang="{}">{}<br><small>{}</small></dd>', rows),
        )

    def save_model(self, request, obj, form, change):
        # Versioning lives in the service: the edited texts go through ``template_update``.
        Template.objects.filter(pk=obj.pk).update(name=obj.name, urgent=obj.urgent)
        template_changed(key=obj.key)  # an update sends no signal
        texts = {language: form.cleaned_data[f"text_{language}"] for language in LANGUAGES}
        try:
            services.template_update(template=obj, texts=texts, edited_by=request.user)
        except ValidationError as exc:  # the form's clean already checked: a concurrent edit
            self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)
        obj.refresh_from_db()


class MessageEventInline(admin.TabularInline):
    model = MessageEvent
    extra = 0
    can_delete = False
    fields = ["status", "at", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
    access_subject, access_person_fields = Subject.MESSAGE, ("recipient",)
    # staff see their department's (or region's) messages; a message without a department
    # only users who see every row do.
    scope_department = "department"
    scope_region = "department__region"

    list_display = [
        "id",
        "created_at",
        "template",
        "phone_display",
        "language",
        "status",
        "segments",
        "department",
        "attempts",
        "reason",
    ]
    list_filter = ["status", "template", ("created_at", admin.DateFieldListFilter), "department", "backend", "language"]
    list_select_related = ["template", "department"]
    search_fields = ["=dedupe_key", "=gateway_id", "=public_id", "phone"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    inlines = [MessageEventInline]
    fields = [
        "public_id",
        "template",
        "template_version",
        "dedupe_key",
        "recipient",
        "phone_display",
        "language",
        "text_display",
        "encoding",
        "segments",
        "urgent",
        "department",
        "status",
        "reason",
        "error_code",
        "backend",
        "gateway_id",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sending_at",
        "sent_at",
        "delivered_at",
        "failed_at",
        "resend_of",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("phone"), ordering="phone")
    def phone_display(self, obj):
        return format_phone(obj.phone)

    @admin.display(description=_("text"))
    def text_display(self, obj):
        return mask_text(obj.text) if obj.template.sensitive else obj.text

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.change_message")

    @admin.action(
        description=_("Resend the selected messages (as new messages; history is kept)"), permissions=["resend"]
    )
    def resend(self, request, queryset):
        done, refused = 0, []
        for message in queryset.select_related("recipient", "template"):
            if message.template.sensitive:
                refused.append(f"#{message.pk}: {_('a one-time code is not resent')}")
                continue
            try:
                services.message_resend(message=message)
            except ApplicationError as exc:
                refused.append(f"#{message.pk}: {exc.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request, ngettext("%(n)s message queued again.", "%(n)s messages queued again.", done) % {"n": done}
            )
        if refused:
            self.message_user(request, "; ".join(str(r) for r in refused), level=messages.WARNING)
