from __future__ import annotations

from django.contrib import admin

from portal.admin_languages import KazakhTextWarningAdminMixin
from portal.admin_scoping import NationalDataAdminMixin
from portal.nosology.models import NosologyCode, NosologyGroup


class NosologyCodeInline(admin.TabularInline[NosologyCode, NosologyGroup]):
    model = NosologyCode
    extra = 0


@admin.register(NosologyGroup)
class NosologyGroupAdmin(
    KazakhTextWarningAdminMixin,
    NationalDataAdminMixin,
    admin.ModelAdmin[NosologyGroup],
):
    # P-2 applies nationwide: every staff member with the view permission reads it; Committee
    # staff and operators change it when the act is amended.
    kazakh_fields = ("title",)
    list_display = ["number", "title_ru", "title_kk", "children_only"]
    inlines = [NosologyCodeInline]
    search_fields = ["title_ru", "title_kk", "codes__code"]
