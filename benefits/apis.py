"""The State Corporation's API of the funeral payment (B-1, B-5): file an application on a person's
behalf and follow it (the survivor benefit's filing is in ``apis_survivor``; the status answers both).

Only an integrator of kind State Corporation files (others get 403), with the scope
``benefits:write``; it reads (``benefits:read``) only the applications it filed itself (X-8), others
are not found. The channel is the State Corporation's: the decision is due in 3 working days.
The documents of B-5 the state systems do not confirm are sent as ``multipart/form-data`` parts
(PDF, JPEG or PNG, checked by content); without files the body may be JSON.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits import errors, selectors, services
from benefits.models import Application, Channel, DocumentKind
from benefits.scopes import BenefitScope
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import ObjectCheck, allow, integrator
from portal.accounts.models import Integrator
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.selectors import integrator_of
from portal.errors import ApplicationError, ApplicationErrors, ErrorItem, ForbiddenError, NotFoundError
from portal.people.models import Person
from portal.uploads import FILE_TYPE

FILED_BY_INTEGRATOR = ObjectCheck(
    "filed_by_integrator",
    "the applications the integrator (the State Corporation) filed itself (X-8); others are not found",
)
MSG_STATE_CORPORATION_ONLY = _("Only the State Corporation files benefit applications through the API.")
MSG_APPLICATION_NOT_FOUND = _("No such application.")
EXAMPLE_ID = "6f1c2a9e-8d4b-4f3a-9c2e-1b7d5e3a0f42"


def state_corporation_of(request: Request) -> Integrator:
    found = integrator_of(request.user) if is_integrator_call(request) else None  # type: ignore[no-untyped-call]
    if not isinstance(found, Integrator) or found.kind != Integrator.Kind.STATE_CORPORATION:
        raise ForbiddenError(MSG_STATE_CORPORATION_ONLY, code="not_state_corporation")
    return found


class ApplicationOutput(serializers.Serializer[Application]):
    class Meta:
        ref_name = "BenefitApplicationOutput"

    id = serializers.UUIDField(source="public_id")
    programme = serializers.CharField()
    channel = serializers.CharField()
    stage = serializers.CharField()
    number = serializers.CharField(allow_null=True, help_text="The registration number (the receipt's), once accepted.")
    submitted_at = serializers.DateTimeField()
    registered_at = serializers.DateTimeField(allow_null=True)
    decision_due_at = serializers.DateTimeField(allow_null=True)
    refusal_code = serializers.CharField(help_text="The ground of non-acceptance (B-3), empty when accepted.")
    refusal_message = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    def get_refusal_message(self, obj: Application) -> str:
        return services.refusal_text(obj) if obj.refusal_code else ""

    def get_decision(self, obj: Application) -> dict[str, Any] | None:
        decision = getattr(obj, "decision", None)
        if decision is None:
            return None
        return {
            "kind": decision.kind,
            "amount": str(decision.amount) if decision.amount is not None else None,
            "approved_at": decision.approved_at.isoformat() if decision.approved_at else None,
            "ground_code": decision.ground_code,
        }


EXAMPLE_ACCEPTED = {
    "id": EXAMPLE_ID,
    "programme": "funeral",
    "channel": "goscorp",
    "stage": "decision_draft",
    "number": "F-2026-000042",
    "submitted_at": "2026-03-10T10:00:00+05:00",
    "registered_at": "2026-03-10T10:00:00+05:00",
    "decision_due_at": "2026-03-13T18:00:00+05:00",
    "refusal_code": "",
    "refusal_message": "",
    "decision": {"kind": "assigned", "amount": "151410.00", "approved_at": None, "ground_code": ""},
}
FILE_HELP = "PDF, JPEG or PNG (checked by content), as a multipart/form-data part."


def document_field(kind: DocumentKind) -> serializers.FileField:
    """A document of B-5 or B-13 sent as a multipart part, only where the state systems do not confirm it."""
    return serializers.FileField(required=False, help_text=f"{kind.label}. {FILE_HELP}")


def errors_renamed(exc: ApplicationError, names: dict[str, str]) -> ApplicationError:
    """The service's error with its fields named as the API's input names them (itself if none is)."""
    if not any(i.field in names for i in exc.items):
        return exc
    return ApplicationErrors([ErrorItem(names.get(i.field or "", i.field), i.code, i.message) for i in exc.items])


class FuneralApplicationFileApi(APIView):
    """File a funeral payment application at the State Corporation, on the applicant's behalf (B-1, B-5)."""

    access_rule = allow(integrator(FILED_BY_INTEGRATOR, scope=BenefitScope.BENEFITS_WRITE))
    permission_classes = [HasScope(BenefitScope.BENEFITS_WRITE)]

    class Input(serializers.Serializer[Any]):
        class Meta:
            ref_name = "FuneralApplicationInput"

        deceased_iin = serializers.RegexField(r"^\d{12}$", help_text="IIN of the deceased.")
        applicant_iin = serializers.RegexField(
            r"^\d{12}$", required=False, help_text="IIN of the applicant (a person); or applicant_bin."
        )
        applicant_bin = serializers.RegexField(
            r"^\d{12}$", required=False, help_text="BIN of the applicant (a legal entity that paid the funeral)."
        )
        applicant_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
        death_date = serializers.DateField(
            required=False, help_text="B-5: the date on the death certificate presented, if the registry has none."
        )
        death_certificate = serializers.CharField(
            max_length=40, required=False, allow_blank=True, help_text="B-5: the number of the certificate presented."
        )
        # B-5: the scans, needed only where the state systems do not confirm the document
        burier_identity = document_field(DocumentKind.BURIER_IDENTITY)
        burier_registration = document_field(DocumentKind.BURIER_REGISTRATION)
        death_certificate_file = document_field(DocumentKind.DEATH_CERTIFICATE)

    @extend_schema(
        request={"application/json": Input, "multipart/form-data": Input},
        responses={201: ApplicationOutput},
        examples=[
            OpenApiExample(
                "A person applies",
                value={"deceased_iin": "850315400005", "applicant_iin": "900101300017"},
                request_only=True,
            ),
            OpenApiExample(
                "The civil registry has no record: the certificate attached (multipart)",
                value={
                    "deceased_iin": "850315400005",
                    "applicant_iin": "900101300017",
                    "death_date": "2026-01-05",
                    "death_certificate": "I-123",
                    "death_certificate_file": "(binary: certificate.pdf)",
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample(
                "A file that is not a PDF, JPEG or PNG",
                value={
                    "errors": [
                        {"field": "death_certificate_file", "code": FILE_TYPE.code, "message": str(FILE_TYPE.message)}
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample("Accepted", value=EXAMPLE_ACCEPTED, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "Not accepted: already filed",
                value={
                    **EXAMPLE_ACCEPTED,
                    "stage": "not_accepted",
                    "number": None,
                    "registered_at": None,
                    "decision_due_at": None,
                    "refusal_code": errors.APPLICATION_ALREADY_FILED.code,
                    "refusal_message": str(errors.APPLICATION_ALREADY_FILED.message),
                    "decision": None,
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "State system does not answer",
                value={
                    "errors": [
                        {
                            "field": None,
                            "code": errors.STATE_SYSTEM_UNAVAILABLE.code,
                            "message": str(errors.STATE_SYSTEM_UNAVAILABLE.message),
                        }
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Not the State Corporation",
                value={
                    "errors": [
                        {"field": None, "code": "not_state_corporation", "message": str(MSG_STATE_CORPORATION_ONLY)}
                    ]
                },
                response_only=True,
                status_codes=["403"],
            ),
        ],
    )
    def post(self, request: Request, version: str) -> Response:
        corp = state_corporation_of(request)
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        applicant = Person.objects.filter(iin=data["applicant_iin"]).first() if data.get("applicant_iin") else None
        documents: dict[str, Any] = {
            DocumentKind.BURIER_IDENTITY: data.get("burier_identity"),
            DocumentKind.BURIER_REGISTRATION: data.get("burier_registration"),
            DocumentKind.DEATH_CERTIFICATE: data.get("death_certificate_file"),
        }
        try:
            application = services.funeral_application_file(
                deceased_iin=data["deceased_iin"],
                applicant=None if data.get("applicant_bin") else applicant,
                channel=Channel.STATE_CORPORATION,
                applicant_iin=data.get("applicant_iin", ""),
                applicant_bin=data.get("applicant_bin", ""),
                applicant_name=data.get("applicant_name", ""),
                confirmed_by="staff",
                filed_by_user=request.user,
                filed_by_integrator=corp,
                presented_death_date=data.get("death_date"),
                presented_certificate=data.get("death_certificate", ""),
                documents=documents,
            )
        except ApplicationError as exc:
            raise errors_renamed(exc, {DocumentKind.DEATH_CERTIFICATE: "death_certificate_file"}) from None
        return Response(ApplicationOutput(application).data, status=status.HTTP_201_CREATED)


class ApplicationStatusApi(APIView):
    """The stage, due date and decision of an application the State Corporation filed (X-8)."""

    access_rule = allow(integrator(FILED_BY_INTEGRATOR, scope=BenefitScope.BENEFITS_READ))
    permission_classes = [HasScope(BenefitScope.BENEFITS_READ)]

    @extend_schema(
        responses={200: ApplicationOutput},
        examples=[
            OpenApiExample("Draft decision", value=EXAMPLE_ACCEPTED, response_only=True, status_codes=["200"]),
            OpenApiExample(
                "Not one of the caller's",
                value={
                    "errors": [
                        {"field": None, "code": "application_not_found", "message": str(MSG_APPLICATION_NOT_FOUND)}
                    ]
                },
                response_only=True,
                status_codes=["404"],
            ),
        ],
    )
    def get(self, request: Request, version: str, public_id: Any) -> Response:
        corp = state_corporation_of(request)
        application = selectors.applications_of_integrator(integrator=corp).filter(public_id=public_id).first()
        if application is None:
            raise NotFoundError(MSG_APPLICATION_NOT_FOUND, code="application_not_found")
        if application.applicant_id is not None:
            personal_data_read(
                request, application, Subject.PERSON, Purpose.ADMINISTRATION, persons=[application.applicant_id]
            )
        return Response(ApplicationOutput(application).data)
