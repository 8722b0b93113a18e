from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import INTEGRATORS_PEOPLE, OWN_OR_WARDS, allow, citizen, integrator
from portal.accounts.acting import CITIZEN_IIN_PARAMETER, acting_person_or_none
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.scopes import Scope
from portal.accounts.selectors import integrator_of
from portal.errors import ForbiddenError
from portal.referrals.models import Referral
from portal.referrals.routing import intake_error_examples
from portal.referrals.selectors import (
    referral_list_for_citizen,
    referral_list_for_integrator,
    referrals_visible_to_integrator,
)
from portal.referrals.services import MSG_ORG_FOREIGN, referral_intake
from portal.validators import normalize_person_name, validate_bin, validate_identifier, validate_iin, validate_text

# P-3 asks for at most seven mandatory examinations per form, plus optional ones: fifty is ample,
# and bounds what one request may make us store.
MAX_EXAMINATIONS = 50


class ReferralOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    person_iin = serializers.CharField(source="person.iin")
    organisation_bin = serializers.CharField(source="medical_organisation.bin")

    class Meta:
        model = Referral
        fields = [
            "id",
            "external_id",
            "person_iin",
            "organisation_bin",
            "icd10",
            "diagnosis_text",
            "signed_at",
            "valid_until",
            "status",
            "route",
        ]


class ReferralIntakeApi(APIView):
    """A MIS submits a form 031/u signed by the VKK chair (P-5)."""

    access_rule = allow(integrator(INTEGRATORS_PEOPLE, scope=Scope.REFERRALS_WRITE))  # its own organisations only
    permission_classes = [HasScope(Scope.REFERRALS_WRITE)]

    @staticmethod
    def error_examples() -> dict:
        """The 400 answers of the apps' intake checks (P-4), as the schema shows them."""
        return {"400": intake_error_examples()}

    # Every app's APIs nest an ``Input``: name the schema components so they do not collide.
    @extend_schema_serializer(component_name="ReferralIntake")
    class Input(serializers.Serializer):
        @extend_schema_serializer(component_name="ReferralIntakeExamination")
        class Examination(serializers.Serializer):
            code = serializers.CharField(max_length=64, validators=[validate_identifier])
            title = serializers.CharField(max_length=300, required=False, validators=[validate_text])
            # not after signing, not before the person's birth: checked by referral_intake
            performed_on = serializers.DateField(required=False)
            conclusion = serializers.CharField(
                max_length=4000, required=False, allow_blank=True, validators=[validate_text]
            )

        person_iin = serializers.CharField(validators=[validate_iin])
        organisation_bin = serializers.CharField(validators=[validate_bin])
        external_id = serializers.CharField(max_length=64, validators=[validate_identifier])
        icd10 = serializers.CharField(max_length=8)
        diagnosis_text = serializers.CharField(
            max_length=500, required=False, allow_blank=True, default="", validators=[validate_text]
        )
        signed_at = serializers.DateTimeField()
        vkk_chair_name = serializers.CharField(max_length=200)
        vkk_chair_iin = serializers.CharField(
            validators=[validate_iin],
            required=False,
            default="",
            help_text="IIN of the VKK chair who signed the form; the signing certificate must be theirs (P-5).",
        )
        signature = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text=(
                "CMS (base64, or in -----BEGIN CMS----- armour), detached or attached, by the VKK chair's "
                "certificate (SERIALNUMBER=IIN of vkk_chair_iin, OU=BIN of organisation_bin) over the UTF-8 "
                "JSON of {diagnosis_text, examinations [{code, conclusion, performed_on, title}], external_id, "
                "icd10, organisation_bin, person_iin, signed_at (UTC, YYYY-MM-DDTHH:MM:SSZ), vkk_chair_iin, "
                "vkk_chair_name}: keys sorted, no whitespace, non-ASCII as is; values as stored (icd10 in upper "
                "case, names without invisible characters, an examination's title its code when none, "
                'conclusion "" and performed_on null when none). Refused: 400 signature_<reason>; '
                "verifier unavailable: 503 signature_unavailable."
            ),
        )
        examinations = Examination(many=True, required=False, default=list, max_length=MAX_EXAMINATIONS)

        def validate_vkk_chair_name(self, value: str) -> str:
            return normalize_person_name(value)

    @extend_schema(
        request=Input,
        responses={201: ReferralOutput, 200: ReferralOutput},
        examples=[
            OpenApiExample(
                "Form 031/u",
                value={
                    "person_iin": "900101300017",
                    "organisation_bin": "050140000656",
                    "external_id": "031-2026-000123",
                    "icd10": "S48.0",
                    "signed_at": "2026-11-20T10:15:00+05:00",
                    "vkk_chair_name": "Ахметова Г. С.",
                    "vkk_chair_iin": "700601400309",
                    "signature": "MIIG...(CMS, base64)",
                    "examinations": [{"code": "xray_limb", "title": "X-ray of the affected limb"}],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, version):
        integrator = getattr(request.user, "integrator", None)
        if integrator is None:
            raise ForbiddenError(MSG_ORG_FOREIGN, code="not_integrator")
        data = self._validated(request)
        referral, created = referral_intake(integrator=integrator, **data)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.REFERRAL_INTAKE)
        return Response(
            ReferralOutput(referral).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def _validated(self, request):
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        return s.validated_data


class ReferralDetailApi(APIView):
    """X-8: a referral signed in one of the integrator's own organisations; any other is 404."""

    access_rule = allow(integrator(INTEGRATORS_PEOPLE, scope=Scope.REFERRALS_READ))  # its organisations' referrals
    permission_classes = [HasScope(Scope.REFERRALS_READ)]

    @extend_schema(responses=ReferralOutput)
    def get(self, request, version, public_id):
        qs = referrals_visible_to_integrator(integrator=integrator_of(request.user))
        qs = qs.select_related("person", "medical_organisation")
        referral = get_object_or_404(qs, public_id=public_id)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.REFERRAL_INTAKE)
        return Response(ReferralOutput(referral).data)


EXAMPLE_REFERRAL = {
    "id": "0b5a3c2e-3f7e-4d3c-a7c9-2b7f6d1e9a10",
    "external_id": "031-2026-000123",
    "person_iin": "900101300017",
    "organisation_bin": "050140000656",
    "icd10": "S48.0",
    "diagnosis_text": "",
    "signed_at": "2026-11-20T10:15:00+05:00",
    "valid_until": "2026-12-20T10:15:00+05:00",
    "status": "routed",
    "route": "in_person",
}


class ReferralListForPersonApi(APIView):
    """The referrals of the person named in ``X-Citizen-IIN`` and of their wards, newest first.

    X-8: an integrator sees only the referrals its own organisations signed; a person it may not
    name lists nothing (an empty list). A citizen signed in with a session lists their own.
    """

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=Scope.REFERRALS_READ))
    permission_classes = [HasScope(Scope.REFERRALS_READ)]

    @extend_schema(
        parameters=[CITIZEN_IIN_PARAMETER],
        responses=ReferralOutput(many=True),
        examples=[OpenApiExample("Referrals", value=[EXAMPLE_REFERRAL], response_only=True)],
    )
    def get(self, request, version):
        person = acting_person_or_none(request)
        if person is None:
            return Response([])
        if is_integrator_call(request):
            rows = referral_list_for_integrator(integrator=integrator_of(request.user), person=person)
        else:
            rows = referral_list_for_citizen(person=person)
        rows = list(rows)
        personal_data_read(request, rows, Subject.REFERRAL, Purpose.REFERRAL_INTAKE)
        return Response(ReferralOutput(rows, many=True).data)
