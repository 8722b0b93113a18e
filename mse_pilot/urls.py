"""Pages of this app: the deadline radar (X-6) for staff and for experts.

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
]
