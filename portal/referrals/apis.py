from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.permissions import HasScope
from portal.accounts.scopes import Scope
from portal.errors import ForbiddenError
from portal.referrals.models import Referral
from portal.referrals.services import MSG_ORG_FOREIGN, referral_intake
from portal.validators import validate_bin, validate_iin


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

    permission_classes = [HasScope(Scope.REFERRALS_WRITE)]

    # Every app's APIs nest an ``Input``: name the schema components so they do not collide.
    @extend_schema_serializer(component_name="ReferralIntake")
    class Input(serializers.Serializer):
        @extend_schema_serializer(component_name="ReferralIntakeExamination")
        class Examination(serializers.Serializer):
            code = serializers.CharField(max_length=64)
            title = serializers.CharField(max_length=300, required=False)
            performed_on = serializers.DateField(required=False)
            conclusion = serializers.CharField(required=False, allow_blank=True)

        person_iin = serializers.CharField(validators=[validate_iin])
        organisation_bin = serializers.CharField(validators=[validate_bin])
        external_id = serializers.CharField(max_length=64)
        icd10 = serializers.CharField(max_length=8)
        diagnosis_text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        signed_at = serializers.DateTimeField()
        vkk_chair_name = serializers.CharField(max_length=200)
        vkk_chair_iin = serializers.CharField(validators=[validate_iin], required=False, default="")
        signature = serializers.CharField(required=False, allow_blank=True, default="")
        examinations = Examination(many=True, required=False, default=list)

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
    permission_classes = [HasScope(Scope.REFERRALS_READ)]

    @extend_schema(responses=ReferralOutput)
    def get(self, request, version, public_id):
        integrator = getattr(request.user, "integrator", None)
        qs = Referral.objects.select_related("person", "medical_organisation")
        qs = qs.filter(medical_organisation__integrator=integrator) if integrator else qs.none()
        referral = get_object_or_404(qs, public_id=public_id)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.REFERRAL_INTAKE)
        return Response(ReferralOutput(referral).data)
