"""X-8: an integrator obtains a person's consent by a code sent to the person's registered phone.

1. ``POST consents/codes/`` with ``X-Citizen-IIN`` (the person who consents: the examined person,
   or their legal representative with ``referral_id`` of the ward's referral): the portal sends a
   one-time code by SMS to that person's registered phone.
2. The person tells the code; ``POST consents/codes/{id}/confirm/`` with it records the consent,
   channel ``sms_code``, with the integrator.

Only integrators call these (a citizen consents in the portal). The person must be one of the
integrator's people (a referral from its organisations), else 404 as for an unknown IIN.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.access import INTEGRATORS_PEOPLE, allow, integrator
from portal.accounts.acting import CITIZEN_IIN_PARAMETER, acting_person
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.scopes import Scope
from portal.accounts.selectors import integrator_of
from portal.consent.services import (
    MSG_TOO_MANY_CODES,
    consent_code_confirm,
    consent_code_request,
)
from portal.errors import ForbiddenError, NotFoundError
from portal.referrals.selectors import referrals_visible_to_integrator

MSG_REFERRAL_NOT_FOUND = _("No such referral.")
MSG_INTEGRATORS_ONLY = _("Only integrators ask for consent by code; a citizen gives it in the portal.")

EXAMPLE_CODE_ID = "3d9a6a0e-2c1f-4c55-9a39-8f7d0f1b2c44"


def _integrator(request):
    if not is_integrator_call(request):
        raise ForbiddenError(MSG_INTEGRATORS_ONLY, code="not_integrator")
    return integrator_of(request.user)


class ConsentCodeRequestApi(APIView):
    """Send a one-time consent code to the registered phone of the person named in X-Citizen-IIN."""

    access_rule = allow(integrator(INTEGRATORS_PEOPLE, scope=Scope.CONSENTS_WRITE))
    permission_classes = [HasScope(Scope.CONSENTS_WRITE)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "ConsentCodeRequestInput"

        referral_id = serializers.UUIDField(
            required=False,
            help_text=(
                "Only when the named person consents for a ward as their legal representative: the ward's "
                "referral (from one of the integrator's organisations). Omitted: the named person consents "
                "for themselves."
            ),
        )

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "ConsentCodeRequestOutput"

        id = serializers.UUIDField(source="public_id")
        scope = serializers.CharField()
        expires_at = serializers.DateTimeField()
        message_id = serializers.UUIDField(
            allow_null=True, help_text="The SMS with the code: its delivery at GET notifications/messages/{id}/."
        )

    @extend_schema(
        request=Input,
        parameters=[CITIZEN_IIN_PARAMETER],
        responses={201: Output},
        examples=[
            OpenApiExample("For themselves", value={}, request_only=True),
            OpenApiExample(
                "Code sent",
                value={
                    "id": EXAMPLE_CODE_ID,
                    "scope": "personal_data",
                    "expires_at": "2026-12-01T10:10:00+05:00",
                    "message_id": "9b2e8f4c-1d3a-4e6b-8c7d-5a4f3e2d1c0b",
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Too many codes",
                value={
                    "errors": [
                        {
                            "field": "citizen_iin",
                            "code": "consent_code_rate_limited",
                            "message": str(MSG_TOO_MANY_CODES),
                        }
                    ]
                },
                response_only=True,
                status_codes=["429"],
            ),
        ],
    )
    def post(self, request, version):
        integrator = _integrator(request)
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        person = acting_person(request)
        subject = person
        if s.validated_data.get("referral_id"):
            referral = (
                referrals_visible_to_integrator(integrator=integrator)
                .select_related("person")
                .filter(public_id=s.validated_data["referral_id"])
                .first()
            )
            if referral is None:
                raise NotFoundError(MSG_REFERRAL_NOT_FOUND, code="referral_not_found", field="referral_id")
            subject = referral.person
        row = consent_code_request(integrator=integrator, given_by=person, subject=subject)
        return Response(self.Output(row).data, status=status.HTTP_201_CREATED)


class ConsentCodeConfirmApi(APIView):
    """Submit the code the person received: the consent is recorded (channel sms_code)."""

    access_rule = allow(integrator(INTEGRATORS_PEOPLE, scope=Scope.CONSENTS_WRITE))  # a code it asked for itself
    permission_classes = [HasScope(Scope.CONSENTS_WRITE)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "ConsentCodeConfirmInput"

        code = serializers.RegexField(r"^\d{6}$", help_text="The six digits the person received by SMS.")

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "ConsentOutput"

        scope = serializers.CharField()
        channel = serializers.CharField()
        given_at = serializers.DateTimeField()

    @extend_schema(
        request=Input,
        parameters=[CITIZEN_IIN_PARAMETER],
        responses={201: Output},
        examples=[
            OpenApiExample("The code", value={"code": "482913"}, request_only=True),
            OpenApiExample(
                "Consent recorded",
                value={"scope": "personal_data", "channel": "sms_code", "given_at": "2026-12-01T10:02:00+05:00"},
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Wrong code",
                value={
                    "errors": [
                        {"field": "code", "code": "code_wrong", "message": "The code is wrong. Attempts left: 4."}
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request, version, public_id):
        integrator = _integrator(request)
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        person = acting_person(request)
        consent = consent_code_confirm(
            integrator=integrator, given_by=person, code_id=public_id, code=s.validated_data["code"]
        )
        return Response(self.Output(consent).data, status=status.HTTP_201_CREATED)
