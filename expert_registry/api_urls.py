"""API of the registry of doctor-experts (item 11): reads for the Committee's systems, ``apis.py``."""

from django.urls import URLPattern, URLResolver, path

from expert_registry import apis

app_name = "expert_registry-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("experts/applications/", apis.ApplicationListApi.as_view(), name="application-list"),
    path("experts/evaluations/", apis.EvaluationListApi.as_view(), name="evaluation-list"),
    path("experts/exclusions/", apis.ExclusionListApi.as_view(), name="exclusion-list"),
    path("experts/registry/", apis.RegistryListApi.as_view(), name="registry-list"),
]
