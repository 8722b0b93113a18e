from django.urls import path, re_path

from portal.reports import views

app_name = "reports"

MONTH = r"(?P<month>[0-9]{4}-[0-9]{2})"
AREA = r"(?P<area>all|[rd][0-9]+)"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(rf"^(?P<key>[a-z0-9_-]+)/{MONTH}/{AREA}/$", views.detail, name="detail"),
    re_path(rf"^(?P<key>[a-z0-9_-]+)/{MONTH}/{AREA}/build/$", views.build, name="build"),
    re_path(rf"^(?P<key>[a-z0-9_-]+)/{MONTH}/{AREA}/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
]
