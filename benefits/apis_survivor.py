"""API of the survivor benefit: a school's notice of expulsion or of a move to extramural study (B-16).

X-8: a school's system (an integrator with the school's BIN and the ``benefits:school_notice`` scope)
reaches only the recipients whose certificate of full-time study that school issued; any other IIN
is answered 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits.models import Dependant
from benefits.scopes import BenefitScope
from benefits.services_survivor import school_notice_register
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import ObjectCheck, allow, integrator
from portal.accounts.permissions import HasScope
from portal.errors import ForbiddenError
from portal.people.models import Person

SCHOOLS_STUDENTS = ObjectCheck(
    "schools_students", "the benefit recipients whose certificate of full-time study the school issued; others 404"
)


class SchoolNoticeApi(APIView):
    """B-16: the school tells that a benefit recipient was expelled or moved to extramural study."""

    access_rule = allow(integrator(SCHOOLS_STUDENTS, scope=BenefitScope.SCHOOL_NOTICE))
    permission_classes = [HasScope(BenefitScope.SCHOOL_NOTICE)]

    class Input(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SchoolNoticeInput"

        student_iin = serializers.RegexField(r"^\d{12}$", help_text="The student's IIN (12 digits).")
        kind = serializers.ChoiceField(
            choices=["expelled", "extramural"], help_text="Expelled, or moved to extramural (part-time) study."
        )
        effective_date = serializers.DateField(help_text="The date of the school's order (YYYY-MM-DD).")
        order_number = serializers.CharField(max_length=40, help_text="The number of the school's order.")

    class Output(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SchoolNoticeOutput"

        id = serializers.UUIDField(source="public_id")
        status = serializers.CharField()
        suspended_from = serializers.DateField()
        reason = serializers.CharField(source="suspension_reason")

    @extend_schema(
        request=Input,
        responses={200: Output},
        examples=[
            OpenApiExample(
                "Expelled",
                value={
                    "student_iin": "050101500011",
                    "kind": "expelled",
                    "effective_date": "2026-09-15",
                    "order_number": "112-к",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Suspended",
                value={
                    "id": "5f0c7a3e-8c1b-4c0e-9f55-3b2a4d6e7f80",
                    "status": "suspended",
                    "suspended_from": "2026-09-15",
                    "reason": "expelled",
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Date in the future",
                value={
                    "errors": [
                        {
                            "field": "effective_date",
                            "code": "effective_date_in_future",
                            "message": "The date of the order is in the future.",
                        }
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Not this school's recipient",
                value={
                    "errors": [
                        {
                            "field": "student_iin",
                            "code": "recipient_not_found",
                            "message": "No benefit recipient of this school with this IIN.",
                        }
                    ]
                },
                response_only=True,
                status_codes=["404"],
            ),
        ],
    )
    def post(self, request: Request, version: str) -> Response:
        school = getattr(request.user, "integrator", None)
        if school is None or not school.bin:
            raise ForbiddenError("Only a school's system with its BIN may notify.", code="not_a_school")
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        dependant: Dependant = school_notice_register(
            school_bin=school.bin,
            student_iin=data["student_iin"],
            kind=data["kind"],
            effective_date=data["effective_date"],
        )
        # the answer tells that this person receives the benefit; logged as a read of their details
        student = Person.objects.filter(iin=dependant.iin).first()
        personal_data_read(request, dependant, Subject.PERSON, Purpose.ADMINISTRATION, persons=[student])
        return Response(self.Output(dependant).data)
