"""API of the remote pilot (``mse_pilot/apis.py``); every view declares its access rule."""

from django.urls import URLPattern, URLResolver, path

from mse_pilot import apis

app_name = "mse_pilot-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "pilot/referrals/<uuid:public_id>/remote-status/",
        apis.RemoteStatusApi.as_view(),
        name="remote-status",
    ),
]
