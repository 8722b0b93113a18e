"""API of the register of MSE acts (``/api/v1/acts/``).

X-8: an integrator reads the acts of its own people only (those with a referral from one of its
medical organisations); a citizen signed in with a session reads their own and their wards'. An
act outside that is answered 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import INTEGRATORS_PEOPLE, OWN_OR_WARDS, allow, citizen, integrator
from portal.accounts.acting import MSG_NOT_CITIZEN
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.acts.models import MseAct
from portal.acts.scopes import ActScope
from portal.acts.selectors import act_list_filter, act_list_for_citizen, acts_visible_to_integrator
from portal.errors import ForbiddenError

MAX_LIMIT = 500


class ActOutput(serializers.ModelSerializer[MseAct]):
    class Meta:
        model = MseAct
        ref_name = "MseAct"
        fields = [
            "id",
            "number",
            "person_iin",
            "referral",
            "department",
            "region",
            "kind",
            "place",
            "examined_on",
            "registered_at",
            "recognised",
            "group",
            "cause",
            "category",
            "term_until",
            "without_term",
            "general_capacity_loss",
            "professional_capacity_loss",
            "ipr_social",
            "ipr_professional",
            "needs_help_and_care",
            "signer_iin",
            "signature_verified",
        ]

    id = serializers.UUIDField(source="public_id")
    person_iin = serializers.CharField(source="person.iin")
    referral = serializers.UUIDField(source="referral.public_id", allow_null=True, default=None)
    department = serializers.IntegerField(source="department.number")
    region = serializers.CharField(source="department.region.kato")
    signature_verified = serializers.SerializerMethodField()

    def get_signature_verified(self, act: MseAct) -> bool:
        return act.signature_verification.outcome == "valid"


EXAMPLE_ACT: dict[str, Any] = {
    "id": "5f0c7a3e-8c1b-4c0e-9f55-3b2a4d6e7f80",
    "number": "11-3-2026-00042",
    "person_iin": "900101300017",
    "referral": "0b5a3c2e-3f7e-4d3c-a7c9-2b7f6d1e9a10",
    "department": 3,
    "region": "110000000",
    "kind": "primary",
    "place": "department",
    "examined_on": "2026-11-24",
    "registered_at": "2026-11-24T11:20:00+05:00",
    "recognised": True,
    "group": "2",
    "cause": "general_illness",
    "category": "adult",
    "term_until": "2027-12-01",
    "without_term": False,
    "general_capacity_loss": None,
    "professional_capacity_loss": None,
    "ipr_social": True,
    "ipr_professional": False,
    "needs_help_and_care": False,
    "signer_iin": "800202400704",
    "signature_verified": True,
}


def _visible(request: Request) -> QuerySet[MseAct]:
    if is_integrator_call(request):
        return acts_visible_to_integrator(integrator=getattr(request.user, "integrator", None))
    person = getattr(request.user, "person", None)
    if person is None:
        raise ForbiddenError(MSG_NOT_CITIZEN, code="not_citizen")
    return act_list_for_citizen(person=person)


class ActListApi(APIView):
    """The register: an integrator's own people's acts, or a citizen's own and wards', newest first."""

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=ActScope.READ))
    permission_classes = [HasScope(ActScope.READ)]

    class Filter(serializers.Serializer[Any]):
        class Meta:
            ref_name = "MseActFilter"

        examined_from = serializers.DateField(required=False, help_text="First day of the period (examination date).")
        examined_to = serializers.DateField(required=False, help_text="Last day of the period (inclusive).")
        region = serializers.RegexField(r"^\d{9}$", required=False, help_text="The region's KATO code (9 digits).")
        decision = serializers.ChoiceField(
            choices=["recognised", "not_recognised"], required=False, help_text="Recognised as disabled or not."
        )
        limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=100)
        offset = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            start, end = attrs.get("examined_from"), attrs.get("examined_to")
            if start and end and end < start:
                raise serializers.ValidationError({"examined_to": "The period ends before it starts."})
            return attrs

    @extend_schema(
        parameters=[
            OpenApiParameter("examined_from", str, required=False, description="YYYY-MM-DD, first day of the period."),
            OpenApiParameter("examined_to", str, required=False, description="YYYY-MM-DD, last day (inclusive)."),
            OpenApiParameter("region", str, required=False, description="The region's KATO code, 9 digits."),
            OpenApiParameter("decision", str, required=False, enum=["recognised", "not_recognised"]),
            OpenApiParameter("limit", int, required=False, description=f"At most {MAX_LIMIT}; 100 by default."),
            OpenApiParameter("offset", int, required=False),
        ],
        responses=ActOutput(many=True),
        examples=[OpenApiExample("Acts", value=[EXAMPLE_ACT], response_only=True)],
    )
    def get(self, request: Request, version: str) -> Response:
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        decision = f.get("decision")
        acts = act_list_filter(
            _visible(request).select_related("signature_verification"),
            registered_from=f.get("examined_from"),
            registered_to=f.get("examined_to"),
            region_kato=f.get("region"),
            recognised=None if decision is None else decision == "recognised",
        )
        rows = list(acts[f["offset"] : f["offset"] + f["limit"]])
        personal_data_read(request, rows, Subject.MSE_ACT, Purpose.MSE_REGISTER)
        return Response(ActOutput(rows, many=True).data)


class ActDetailApi(APIView):
    """One act: an integrator's own people's, or the citizen's own or a ward's; any other is 404."""

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=ActScope.READ))
    permission_classes = [HasScope(ActScope.READ)]

    @extend_schema(responses=ActOutput, examples=[OpenApiExample("Act", value=EXAMPLE_ACT, response_only=True)])
    def get(self, request: Request, version: str, public_id: str) -> Response:
        act = get_object_or_404(_visible(request).select_related("signature_verification"), public_id=public_id)
        personal_data_read(request, act, Subject.MSE_ACT, Purpose.MSE_REGISTER)
        return Response(ActOutput(act).data)
