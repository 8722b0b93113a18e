from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import ApiToken, Integrator, SignInCode, User
from portal.accounts.services import api_token_create


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("person", "department", "region")}),
    )
    list_display = ["username", "first_name", "last_name", "person", "department", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "department"]
    autocomplete_fields = ["person"]


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
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
        from portal.accounts.scopes import scope_values

        for integrator in queryset:
            _token, key = api_token_create(integrator=integrator, name="admin", scopes=scope_values())
            self.message_user(request, _("Token for %(i)s: %(k)s") % {"i": integrator, "k": key}, messages.WARNING)


@admin.register(SignInCode)
class SignInCodeAdmin(admin.ModelAdmin):
    list_display = ["iin", "created_at", "expires_at", "attempts", "used_at"]
    search_fields = ["iin"]
    readonly_fields = ["iin", "code_hash", "created_at", "expires_at", "attempts", "used_at"]
