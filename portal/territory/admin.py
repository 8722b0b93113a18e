from django.contrib import admin
from django.db.models import Q

from portal.admin_languages import KazakhTextWarningAdminMixin
from portal.admin_scoping import StaffScopedAdminMixin, atu_served_by_department
from portal.territory.models import Atu, MseDepartment, Region


def region_of_department(department_id: int) -> Q:
    return Q(pk__in=MseDepartment.objects.filter(pk=department_id).values("region_id"))


@admin.register(Region)
class RegionAdmin(StaffScopedAdminMixin, admin.ModelAdmin):
    # department staff see their department's region, provider staff their own.
    scope_department = region_of_department
    scope_region = "pk"

    list_display = ["kato", "name_ru", "name_kk"]
    search_fields = ["kato", "name_ru", "name_kk"]


@admin.register(Atu)
class AtuAdmin(StaffScopedAdminMixin, admin.ModelAdmin):
    # department staff see the units their department serves, provider staff their region's;
    # a unit's region and parent are chosen within the area, so no one moves another area's unit.
    scope_department = atu_served_by_department("pk")
    scope_region = "region"

    list_display = ["kato", "name_ru", "name_kk", "kind", "parent", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["kato", "name_ru", "name_kk"]
    autocomplete_fields = ["parent"]


@admin.register(MseDepartment)
class MseDepartmentAdmin(KazakhTextWarningAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
    # department staff see their department, provider staff their region's; the ATUs served
    # are chosen among the area's, so no one maps another region's unit to their department.
    scope_department = "pk"
    scope_region = "region"
    kazakh_fields = ("city", "street", "room")  # the name_kk is required already

    list_display = ["number", "name_ru", "region", "city_ru", "street_ru", "house", "room_ru", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name_ru", "name_kk", "city_ru", "city_kk", "street_ru", "street_kk"]
    filter_horizontal = ["atus"]
