"""API of the benefits. Every APIView routed here declares its access rule as a class attribute
(``portal/accounts/access.py``)."""

from django.urls import URLPattern, URLResolver, path

from benefits import apis, apis_disability, apis_survivor

app_name = "benefits-api"

urlpatterns: list[URLPattern | URLResolver] = [
    # B-16: a school's notice of expulsion or extramural study
    path("benefits/school-notices/", apis_survivor.SchoolNoticeApi.as_view(), name="school-notice"),
    path("benefits/funeral/applications/", apis.FuneralApplicationFileApi.as_view(), name="funeral-application-file"),
    path(
        "benefits/survivor/applications/",
        apis_survivor.SurvivorApplicationFileApi.as_view(),
        name="survivor-application-file",
    ),
    path(
        "benefits/disability/applications/",
        apis_disability.DisabilityApplicationFileApi.as_view(),
        name="disability-application-file",
    ),
    path("benefits/applications/<uuid:public_id>/", apis.ApplicationStatusApi.as_view(), name="application-status"),
]
