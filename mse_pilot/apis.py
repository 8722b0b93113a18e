"""The remote pilot's API for integrators (item 8, X-8).

``GET /api/v1/pilot/referrals/<id>/remote-status/``: a referral's routing decision (P-1, P-2) and,
when it went to the pilot, its draft act's stage and due time (P-6, P-7), and once the act is
registered its result (act number and decision, P-8). A hospital system reads only the referrals
its own organisations signed; any other is 404, as a missing one. The register itself, with its
filters, is the core's ``GET /api/v1/acts/`` (``portal/acts/apis.py``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mse_pilot import selectors
from mse_pilot.models import RemoteCase, RoutingDecision
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import INTEGRATORS_PEOPLE, allow, integrator
from portal.accounts.permissions import HasScope
from portal.accounts.scopes import Scope
from portal.acts.models import Cause, DisabilityGroup, MseAct
from portal.referrals.models import Referral
from portal.referrals.selectors import referrals_visible_to_integrator

EXAMPLE_CASE: dict[str, object] = {
    "id": "5f1d2a8e-9c41-4b7a-8d0e-3c2b1a0f9e77",
    "stage": "waiting",
    "stage_text": "draft act on the waiting list",
    "received_at": "2026-03-20T16:30:00+05:00",
    "due_at": "2026-03-26T18:00:00+05:00",
}
EXAMPLE_STATUS: dict[str, object] = {
    "referral_id": "0b5a3c2e-3f7e-4d3c-a7c9-2b7f6d1e9a10",
    "route": "remote_pilot",
    "decision": {
        "remote": True,
        "reason": "pilot",
        "reason_text": "nosological form of the pilot, region and MIS taking part",
        "nosology_group": "down_syndrome",
        "decided_on": "2026-03-20",
    },
    "case": EXAMPLE_CASE,
    "result": None,
}
EXAMPLE_RESULT = {
    **EXAMPLE_STATUS,
    "case": {**EXAMPLE_CASE, "stage": "registered", "stage_text": "act registered"},
    "result": {
        "act_id": "7c0e2b1a-4d5f-4e6a-9b8c-1d2e3f4a5b6c",
        "act_number": "11-3-2026-00042",
        "registered_at": "2026-03-26T11:20:00+05:00",
        "examined_on": "2026-03-26",
        "recognised": True,
        "group": "2",
        "cause": "since_childhood",
        "term_until": "2027-03-26",
        "without_term": False,
    },
}


class RemoteStatusApi(APIView):
    """Item 8: where a referral stands in the remote pilot (routing decision, stage, due time)."""

    access_rule = allow(integrator(INTEGRATORS_PEOPLE, scope=Scope.REFERRALS_READ))  # its organisations' referrals
    permission_classes = [HasScope(Scope.REFERRALS_READ)]

    @extend_schema_serializer(component_name="PilotRemoteStatus")
    class Output(serializers.Serializer[Any]):
        @extend_schema_serializer(component_name="PilotRoutingDecision")
        class Decision(serializers.Serializer[RoutingDecision]):
            remote = serializers.BooleanField()
            reason = serializers.ChoiceField(choices=RoutingDecision.Reason.choices)
            reason_text = serializers.CharField(source="get_reason_display")
            nosology_group = serializers.CharField(source="nosology_group.code", allow_null=True, default=None)
            decided_on = serializers.DateField(help_text="The day the rules were read for: the form's signing day.")

        @extend_schema_serializer(component_name="PilotRemoteCase")
        class Case(serializers.Serializer[RemoteCase]):
            id = serializers.UUIDField(source="public_id")
            stage = serializers.ChoiceField(choices=RemoteCase.Stage.choices)
            stage_text = serializers.CharField(source="get_stage_display")
            received_at = serializers.DateTimeField(help_text="When the draft act arrived on the waiting list.")
            due_at = serializers.DateTimeField(help_text="When the expert's conclusion is due (P-7).")

        @extend_schema_serializer(component_name="PilotRemoteResult")
        class Result(serializers.Serializer[MseAct]):
            act_id = serializers.UUIDField(source="public_id")
            act_number = serializers.CharField(source="number")
            registered_at = serializers.DateTimeField()
            examined_on = serializers.DateField()
            recognised = serializers.BooleanField()
            group = serializers.ChoiceField(choices=[("", ""), *DisabilityGroup.choices])
            cause = serializers.ChoiceField(choices=[("", ""), *Cause.choices])
            term_until = serializers.DateField(allow_null=True)
            without_term = serializers.BooleanField()

        referral_id = serializers.UUIDField()
        route = serializers.ChoiceField(choices=Referral.Route.choices)
        decision = Decision(allow_null=True, help_text="Null for a referral routed before the pilot's rules.")
        case = Case(allow_null=True, help_text="Null unless the referral went to the remote pilot.")
        result = Result(
            allow_null=True,
            help_text="The registered act's number and decision (P-8); null until the act is registered. "
            "The register with filters: GET /api/v1/acts/.",
        )

    @extend_schema(
        operation_id="pilot_referral_remote_status",
        description="A referral's route in the remote pilot, its stage and due time, and the registered "
        "act's result. The register of acts with filters is GET /api/v1/acts/.",
        responses=Output,
        examples=[
            OpenApiExample("Routed to the pilot", value=EXAMPLE_STATUS, response_only=True),
            OpenApiExample("Act registered", value=EXAMPLE_RESULT, response_only=True),
        ],
    )
    def get(self, request: Request, version: str, public_id: UUID) -> Response:
        # the integrator of the token's service account (a token call is always one)
        caller = getattr(request.user, "integrator", None) if request.user.is_authenticated else None
        qs = referrals_visible_to_integrator(integrator=caller)
        referral = get_object_or_404(qs, public_id=public_id)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.REFERRAL_INTAKE)
        case = selectors.remote_case_of(referral=referral)
        act = case.act if case is not None else None
        if act is not None:
            personal_data_read(request, act, Subject.MSE_ACT, Purpose.MSE_REGISTER)
        data = {
            "referral_id": referral.public_id,
            "route": referral.route,
            "decision": selectors.routing_decision_of(referral=referral),
            "case": case,
            "result": act,
        }
        return Response(self.Output(data).data)
