"""API of the disability benefits: the State Corporation files the one application (B-12) for the
person named in the ``X-Citizen-IIN`` header (B-6, B-7, B-9).

As the funeral payment's and the survivor benefit's filings (``apis``, ``apis_survivor``): an
integrator of kind State Corporation with the scope ``benefits:write`` (others 403), the person a
person the portal knows (404 ``person_unknown``), never named in the URL; the applications are read
with ``GET benefits/applications/{id}/`` (only the ones the caller filed, X-8). Without files the body
is JSON; with the birth or marriage certificate of appendix 3 it is ``multipart/form-data``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits.apis import (
    EXAMPLE_ACCEPTED,
    FILED_BY_INTEGRATOR,
    MSG_STATE_CORPORATION_ONLY,
    ApplicationOutput,
    document_field,
    state_corporation_of,
)
from benefits.apis_survivor import APPLICANT_PARAMETER, person_named
from benefits.documents import DISABILITY_CHILD_RAISING
from benefits.errors import DISABILITY_ALREADY_APPLIED, NO_DISABILITY_ACT
from benefits.models import Channel, DisabilityBenefit, DocumentKind
from benefits.scopes import BenefitScope
from benefits.services_disability import disability_application_file
from portal.accounts.access import allow, integrator
from portal.accounts.acting import FIELD
from portal.accounts.permissions import HasScope
from portal.people.errors import PERSON_UNKNOWN
from portal.uploads import FILE_TYPE

EXAMPLE_DISABILITY = {
    **EXAMPLE_ACCEPTED,
    "programme": "disability",
    "stage": "accepted",
    "number": "D-2026-000042",
    "submitted_at": "2026-12-14T10:00:00+05:00",
    "registered_at": "2026-12-14T10:00:00+05:00",
    "decision_due_at": "2026-12-23T18:00:00+05:00",
    "decision": None,
}


def _error(field: str | None, code: str, message: Any) -> dict[str, Any]:
    return {"errors": [{"field": field, "code": code, "message": str(message)}]}


class DisabilityApplicationFileApi(APIView):
    """File the disability benefits' application at the State Corporation for the person named in the
    ``X-Citizen-IIN`` header, under their registered MSE act (B-6, B-7, B-9, B-12)."""

    access_rule = allow(integrator(FILED_BY_INTEGRATOR, scope=BenefitScope.BENEFITS_WRITE))
    permission_classes = [HasScope(BenefitScope.BENEFITS_WRITE)]

    class Input(serializers.Serializer[Any]):
        class Meta:
            ref_name = "DisabilityApplicationInput"

        benefits = serializers.ListField(
            child=serializers.ChoiceField(choices=DisabilityBenefit.choices),
            required=False,
            allow_empty=False,
            max_length=len(DisabilityBenefit.choices),
            help_text="B-12: the benefits chosen among those the MSE act gives a right to; "
            "the state social disability benefit when not given.",
        )
        consent_personal_data = serializers.BooleanField(
            help_text="The person's written consent, given at the office, to access to their personal data of "
            "restricted access; without it the draft decision refuses (B-10 (3))."
        )
        # B-7 (appendix 3, items 4 and 5): with the benefit for raising a child with disability
        birth_certificate = document_field(DocumentKind.BIRTH_CERTIFICATE)
        marriage_certificate = document_field(DocumentKind.MARRIAGE_CERTIFICATE)

    class Output(serializers.Serializer[Any]):
        class Meta:
            ref_name = "DisabilityApplicationOutput"

        applications = ApplicationOutput(many=True, help_text="One application per benefit chosen (B-12).")

    @extend_schema(
        request={"application/json": Input, "multipart/form-data": Input},
        parameters=[APPLICANT_PARAMETER],
        responses={201: Output},
        examples=[
            OpenApiExample(
                "The state social disability benefit",
                value={"benefits": ["social"], "consent_personal_data": True},
                request_only=True,
            ),
            OpenApiExample(
                "Accepted: the decision due in 7 working days",
                value={"applications": [EXAMPLE_DISABILITY]},
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Consent not given",
                value=_error("consent_personal_data", "required", "This field is required."),
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "No MSE act establishes disability",
                value=_error(None, NO_DISABILITY_ACT.code, NO_DISABILITY_ACT.message),
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "A file that is not a PDF, JPEG or PNG",
                value=_error("birth_certificate", FILE_TYPE.code, FILE_TYPE.message),
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Not the State Corporation",
                value=_error(None, "not_state_corporation", MSG_STATE_CORPORATION_ONLY),
                response_only=True,
                status_codes=["403"],
            ),
            OpenApiExample(
                "The person is unknown",
                value=_error(FIELD, PERSON_UNKNOWN.code, PERSON_UNKNOWN.message),
                response_only=True,
                status_codes=["404"],
            ),
            OpenApiExample(
                "Already filed under this act",
                value=_error("benefits", DISABILITY_ALREADY_APPLIED.code, DISABILITY_ALREADY_APPLIED.message),
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def post(self, request: Request, version: str) -> Response:
        corp = state_corporation_of(request)
        person = person_named(request)
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        applications = disability_application_file(
            person=person,
            benefits=data.get("benefits"),
            consent_personal_data=data["consent_personal_data"],
            channel=Channel.STATE_CORPORATION,
            filed_by_user=request.user,
            filed_by_integrator=corp,
            documents={kind: data.get(kind) for kind in DISABILITY_CHILD_RAISING},
        )
        return Response(self.Output({"applications": applications}).data, status=status.HTTP_201_CREATED)
