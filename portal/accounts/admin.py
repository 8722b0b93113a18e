from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import ApiToken, Integrator, SignInCode, User
from portal.accounts.scopes import scope_choices, scope_values
from portal.accounts.services import api_token_create, api_token_scopes_check
from portal.errors import ApplicationError


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("person", "department", "region")}),
    )
    list_display = ["username", "first_name", "last_name", "person", "department", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "department"]
    autocomplete_fields = ["person"]


class ApiTokenForm(forms.ModelForm):
    """A token's row on its integrator's page. The scopes are checked as ``api_token_create`` checks
    them (X-8: a scope the integrator's kind may not hold is a ``scopes`` error on the form), also
    when the integrator's kind is changed on the same page."""

    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=scope_choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scopes", "expires_at", "revoked_at"]

    integrator: Integrator | None = None  # the integrator as edited on the page (``ApiTokenFormSet``)

    def clean(self):
        cleaned = super().clean()
        integrator = self.integrator
        if integrator is not None and "scopes" in cleaned:
            try:
                api_token_scopes_check(integrator=integrator, scopes=cleaned["scopes"])
            except ApplicationError as exc:
                for item in exc.items:
                    self.add_error("scopes", forms.ValidationError(item.message, code=item.code))
        return cleaned


class ApiTokenFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # the page's integrator, its kind as submitted: not the row's copy read from the database
        form.integrator = self.instance


class ApiTokenInline(admin.TabularInline):
    """Tokens are issued here (a new row: ``api_token_create``, the key shown once) or by the action."""

    model = ApiToken
    form = ApiTokenForm
    formset = ApiTokenFormSet
    extra = 0
    fields = ["name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "last_used_at"]


@admin.register(Integrator)
class IntegratorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "bin", "language", "is_active"]
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["name", "bin"]
    filter_horizontal = ["departments"]
    inlines = [ApiTokenInline]
    actions = ["issue_token"]

    @admin.action(description=_("Issue a token with all scopes (the key is shown once)"))
    def issue_token(self, request, queryset):
        # every scope the integrator's kind may hold
        for integrator in queryset:
            scopes = scope_values(integrator_kind=integrator.kind)
            _token, key = api_token_create(integrator=integrator, name="admin", scopes=scopes)
            self.message_user(request, _("Token for %(i)s: %(k)s") % {"i": integrator, "k": key}, messages.WARNING)

    def save_formset(self, request, form, formset, change):
        """A new token row is issued by ``api_token_create`` (a key, its hash, the scopes checked again)
        and its key shown once; existing rows are saved as edited."""
        if formset.model is not ApiToken:
            return super().save_formset(request, form, formset, change)
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row in rows:
            if row.pk is not None:
                row.save()
                continue
            _token, key = api_token_create(
                integrator=form.instance, name=row.name, scopes=list(row.scopes), expires_at=row.expires_at
            )
            self.message_user(request, _("Token for %(i)s: %(k)s") % {"i": form.instance, "k": key}, messages.WARNING)
        return None


@admin.register(SignInCode)
class SignInCodeAdmin(admin.ModelAdmin):
    list_display = ["iin", "created_at", "expires_at", "attempts", "used_at"]
    search_fields = ["iin"]
    readonly_fields = ["iin", "address", "code_hash", "created_at", "expires_at", "attempts", "used_at"]
