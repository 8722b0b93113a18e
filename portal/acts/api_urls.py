from django.urls import path

from portal.acts import apis

urlpatterns = [
    path("acts/", apis.ActListApi.as_view(), name="act-list"),
    path("acts/<uuid:public_id>/", apis.ActDetailApi.as_view(), name="act-detail"),
]
