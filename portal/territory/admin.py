from django.contrib import admin

from portal.admin_languages import KazakhTextWarningAdminMixin
from portal.territory.models import Atu, MseDepartment, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["kato", "name_ru", "name_kk"]
    search_fields = ["kato", "name_ru", "name_kk"]


@admin.register(Atu)
class AtuAdmin(admin.ModelAdmin):
    list_display = ["kato", "name_ru", "name_kk", "kind", "parent", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["kato", "name_ru", "name_kk"]
    autocomplete_fields = ["parent"]


@admin.register(MseDepartment)
class MseDepartmentAdmin(KazakhTextWarningAdminMixin, admin.ModelAdmin):
    kazakh_fields = ("city", "street", "room")  # the name_kk is required already
    list_display = ["number", "name_ru", "region", "city_ru", "street_ru", "house", "room_ru", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name_ru", "name_kk", "city_ru", "city_kk", "street_ru", "street_kk"]
    filter_horizontal = ["atus"]
