from django.contrib import admin

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
class MseDepartmentAdmin(admin.ModelAdmin):
    list_display = ["number", "name_ru", "region", "city", "street", "house", "room", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name_ru", "name_kk", "city", "street"]
    filter_horizontal = ["atus"]
