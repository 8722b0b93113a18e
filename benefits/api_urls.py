"""API of the benefits. Every APIView routed here declares its access rule as a class attribute
(``portal/accounts/access.py``)."""

from django.urls import URLPattern, URLResolver, path

from benefits import apis

app_name = "benefits-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("benefits/funeral/applications/", apis.FuneralApplicationFileApi.as_view(), name="funeral-application-file"),
    path("benefits/applications/<uuid:public_id>/", apis.ApplicationStatusApi.as_view(), name="application-status"),
]
