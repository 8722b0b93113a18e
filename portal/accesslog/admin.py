from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.accesslog.models import PersonalDataAccess
from portal.accesslog.recording import PersonalDataAdminMixin, Subject


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PersonalDataAdminMixin, admin.ModelAdmin[PersonalDataAccess]):
    """X-9: append-only. Read here (which is itself a read of the person's data, and recorded);
    rows leave only through the retention purge."""

    access_subject = Subject.ACCESS_LOG

    list_display = [
        "accessed_at",
        "person",
        "actor",
        "actor_kind",
        "organisation_name",
        "subject",
        "purpose",
        "channel",
        "object_label",
        "object_id",
    ]
    list_filter = ["actor_kind", "subject", "purpose", "channel"]
    list_select_related = ["person", "actor", "integrator", "department", "region"]
    date_hierarchy = "accessed_at"
    search_fields = ["actor__username", "object_id"]

    @admin.display(description=_("organisation"))
    def organisation_name(self, obj: PersonalDataAccess) -> str:
        return obj.organisation

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PersonalDataAccess | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PersonalDataAccess | None = None) -> bool:
        return False
