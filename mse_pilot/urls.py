"""Pages of this app: the deadline radar (X-6), the expert's workspace (item 6), the methodology
department (E-8), the person's remote cases (item 7).

Every view routed here declares who may use it and what it reaches, next to its code
(``portal/accounts/access.py``; see docs/security.md)::

    @allow(citizen(OWN_OR_WARDS))
    @citizen_required
    def application(request, public_id): ...

``tests/portal/test_sec4_access_rules.py`` fails for a view routed without one.
"""

from django.urls import URLPattern, URLResolver, path

from mse_pilot import views

app_name = "mse_pilot"

urlpatterns: list[URLPattern | URLResolver] = [
    path("radar/", views.radar, name="radar"),
    path("radar/mine/", views.my_radar, name="my-radar"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/<uuid:case_id>/", views.workspace_case, name="workspace-case"),
    path("workspace/<uuid:case_id>/decline/", views.workspace_decline, name="workspace-decline"),
    path("methodology/", views.methodology, name="methodology"),
    path("methodology/<uuid:case_id>/", views.methodology_case, name="methodology-case"),
    path("mine/", views.my_cases, name="my-cases"),
]
