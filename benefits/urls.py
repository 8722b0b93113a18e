"""Pages of this app (none yet).

Every view routed here declares who may use it and what it reaches, next to its code
(``portal/accounts/access.py``; see docs/security.md)::

    @allow(citizen(OWN_OR_WARDS))
    @citizen_required
    def application(request, public_id): ...

``tests/portal/test_sec4_access_rules.py`` fails for a view routed without one.
"""

from django.urls import URLPattern, URLResolver, path

from benefits import views_disability

app_name = "benefits"

urlpatterns: list[URLPattern | URLResolver] = [
    # S-7, B-12: the disability benefits' one application
    path("disability/<uuid:public_id>/", views_disability.disability_choice, name="disability-choice"),
]
