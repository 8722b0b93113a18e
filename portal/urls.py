from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views
from portal.monitoring import views as monitoring_views

# Each app owns its API (``<app>/api_urls.py``) and its pages (``<app>/urls.py``).
api_v1 = [
    path("", include("portal.referrals.api_urls")),
    path("", include("portal.accounts.api_urls")),
    path("", include("portal.consent.api_urls")),
    path("", include("portal.acts.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("queue_booking.api_urls")),
    path("", include("mse_pilot.api_urls")),
    path("", include("expert_registry.api_urls")),
    path("", include("benefits.api_urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", monitoring_views.metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # Swagger UI under the Content-Security-Policy: its init script is a URL (?script), not inline.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="portal/api_docs.html"),
        name="api-docs",
    ),
    path("api/<str:version>/", include(api_v1)),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("portal.accounts.urls")),
    path("my-data-access/", include("portal.accesslog.urls")),
    path("signatures/", include("portal.signatures.urls")),
    path("acts/", include("portal.acts.urls")),
    path("reports/", include("portal.reports.urls")),
    path("deadlines/", include("portal.deadlines.urls")),
    path("notifications/", include("notifications.urls")),
    path("queue/", include("queue_booking.urls")),
    path("pilot/", include("mse_pilot.urls")),
    path("experts/", include("expert_registry.urls")),
    path("benefits/", include("benefits.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
