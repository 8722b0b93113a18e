"""Pages of the registry of doctor-experts. Each view declares its access rule next to its code."""

from django.urls import URLPattern, URLResolver, path

from expert_registry import views

app_name = "expert_registry"

urlpatterns: list[URLPattern | URLResolver] = [
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<uuid:public_id>/", views.announcement, name="announcement"),
    path("announcements/<uuid:public_id>/apply/", views.apply, name="apply"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/evaluations/<uuid:public_id>/", views.evaluation, name="evaluation"),
    path("applications/<uuid:public_id>/test/", views.test_start, name="test-start"),
    path("tests/<uuid:public_id>/", views.test_take, name="test"),
    path("documents/<uuid:public_id>/", views.document_download, name="document"),
    path("applications/<uuid:public_id>/documents/", views.document_upload, name="document-upload"),
    path("contracts/<uuid:public_id>/", views.contract_sign_page, name="contract"),
    path("exclusion/", views.own_exclusion, name="own-exclusion"),
]
