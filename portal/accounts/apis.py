from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.access import OWN_ACCOUNT, allow, integrator, signed_in
from portal.accounts.models import ApiToken


class WhoAmIApi(APIView):
    """Who the caller is and, for a token, its scopes: a first call to check a new integration."""

    access_rule = allow(signed_in(OWN_ACCOUNT), integrator(OWN_ACCOUNT))  # any token, whatever its scopes

    @extend_schema(
        responses=inline_serializer(
            "WhoAmI",
            {
                "username": serializers.CharField(),
                "integrator": serializers.CharField(allow_null=True),
                "scopes": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request, version):
        integrator = getattr(request.user, "integrator", None)
        scopes = request.auth.scopes if isinstance(request.auth, ApiToken) else []
        return Response(
            {"username": request.user.username, "integrator": integrator.name if integrator else None, "scopes": scopes}
        )
