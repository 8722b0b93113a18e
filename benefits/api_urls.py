"""API of this app (none yet).

Every APIView routed here declares its access rule as a class attribute (``portal/accounts/access.py``;
see docs/security.md)::

    class ApplicationListApi(APIView):
        access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=BenefitScope.BENEFITS_READ))
        permission_classes = [HasScope(BenefitScope.BENEFITS_READ)]

``tests/portal/test_sec4_access_rules.py`` fails for a view routed without one.
"""

from django.urls import URLPattern, URLResolver, path

from benefits import apis_survivor

app_name = "benefits-api"

urlpatterns: list[URLPattern | URLResolver] = [
    # B-16: a school's notice of expulsion or extramural study
    path("benefits/school-notices/", apis_survivor.SchoolNoticeApi.as_view(), name="school-notice"),
]
