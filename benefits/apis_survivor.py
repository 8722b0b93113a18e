"""API of the survivor benefit: the State Corporation files an application (B-13..B-15), and a school
notifies of a recipient's expulsion or move to extramural study (B-16).

Filing: as the funeral payment's (``apis.FuneralApplicationFileApi``): an integrator of kind State
Corporation with the scope ``benefits:write``, the applicant named in the ``X-Citizen-IIN`` header
(never in the URL), a person the portal knows; the status is read with
``GET benefits/applications/{id}/`` (only the applications the caller filed, X-8). Without files the
body is JSON; with the documents of B-13 it is ``multipart/form-data``, the dependants' fields named
``dependants[0].iin`` and the like. A refused field is named as in ``dependants[1].iin``.

X-8: a school's system (an integrator with the school's BIN and the ``benefits:school_notice`` scope)
reaches only the recipients whose certificate of full-time study that school issued; any other IIN
is answered 404, as one that does not exist.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from benefits.apis import (
    EXAMPLE_ACCEPTED,
    FILED_BY_INTEGRATOR,
    MSG_STATE_CORPORATION_ONLY,
    ApplicationOutput,
    document_field,
    state_corporation_of,
)
from benefits.documents import SURVIVOR as SURVIVOR_DOCUMENTS
from benefits.models import Channel, Dependant, DocumentKind
from benefits.scopes import BenefitScope
from benefits.services_survivor import (
    KINSHIP_MISSING,
    NOT_ELIGIBLE,
    DependantInput,
    school_notice_register,
    survivor_application_file,
)
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import ObjectCheck, allow, integrator
from portal.accounts.acting import CITIZEN_IIN_HEADER, FIELD, named_iin
from portal.accounts.permissions import HasScope
from portal.errors import ForbiddenError, NotFoundError
from portal.people.errors import PERSON_UNKNOWN
from portal.people.models import Person
from portal.uploads import FILE_TYPE
from portal.validators import iin_birth_date, validate_iin

APPLICANT_PARAMETER = OpenApiParameter(
    CITIZEN_IIN_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "The IIN of the applicant who came to the State Corporation (a dependant, or the legal "
        "representative of dependants); a person the portal does not know is answered 404 "
        "person_unknown. Never put an IIN in the URL."
    ),
)
ROW = re.compile(r"^dependants\[(\d+)\]\.(\w+)$")
MAX_DEPENDANTS = 20


class DependantListField(serializers.ListSerializer[Any]):
    """The dependants as a JSON list, or in a multipart body as ``dependants[0].iin`` parts."""

    def get_value(self, dictionary: Any) -> Any:
        if not html.is_html_input(dictionary):
            return super().get_value(dictionary)
        rows: dict[int, dict[str, Any]] = {}
        for key in dictionary:
            match = ROW.match(key)
            if match and int(match.group(1)) < MAX_DEPENDANTS:
                rows.setdefault(int(match.group(1)), {})[match.group(2)] = dictionary[key]
        return [rows[i] for i in sorted(rows)] if rows else serializers.empty


def _valid(s: serializers.Serializer[Any]) -> Any:
    """``s.validated_data``, or 400 naming each dependant's field as ``dependants[1].iin``."""
    if s.is_valid():
        return s.validated_data
    detail = dict(s.errors)
    rows = detail.pop("dependants", None)
    if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
        rows = dict(enumerate(rows))
    if isinstance(rows, dict) and all(isinstance(i, int) for i in rows):
        detail.update({f"dependants[{i}]": r for i, r in rows.items() if r})
    elif rows is not None:
        detail["dependants"] = rows
    raise serializers.ValidationError(detail)


def person_named(request: Request) -> Person:
    person = Person.objects.filter(iin=named_iin(request)).first()
    if person is None:
        raise NotFoundError(PERSON_UNKNOWN, field=FIELD)
    return person


class SurvivorDependantInput(serializers.Serializer[Any]):
    iin = serializers.CharField(max_length=12, validators=[validate_iin], help_text="The dependant's IIN.")
    relation = serializers.ChoiceField(choices=Dependant.Relation.choices)
    kinship_document = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="The number of the proof of kinship; or the file `kinship`; neither when the civil registry's "
        "birth record names the deceased as a parent.",
    )
    kinship = document_field(DocumentKind.KINSHIP)
    study_certificate_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    school_bin = serializers.RegexField(r"^\d{12}$", required=False, allow_blank=True)
    full_time_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Aged 18 to 23: full-time study certified until (school's certificate).",
    )
    study_certificate = document_field(DocumentKind.STUDY_CERTIFICATE)
    youngest_cared_birth_date = serializers.DateField(
        required=False, allow_null=True, help_text="A carer (B-15): the youngest child cared for, under 8."
    )
    work_book_record = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="A carer: the work book's record of leaving work; without it the state systems are asked.",
    )

    class Meta:
        ref_name = "SurvivorDependantInput"
        list_serializer_class = DependantListField


EXAMPLE_SURVIVOR = {
    **EXAMPLE_ACCEPTED,
    "programme": "survivor",
    "number": "S-2026-000042",
    "decision_due_at": "2026-03-19T18:00:00+05:00",
    "decision": {"kind": "assigned", "amount": "42262.00", "approved_at": None, "ground_code": ""},
}


class SurvivorApplicationFileApi(APIView):
    """File a survivor benefit application at the State Corporation, for the applicant named in the
    ``X-Citizen-IIN`` header (B-13, B-14, B-15)."""

    access_rule = allow(integrator(FILED_BY_INTEGRATOR, scope=BenefitScope.BENEFITS_WRITE))
    permission_classes = [HasScope(BenefitScope.BENEFITS_WRITE)]

    class Input(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SurvivorApplicationInput"

        deceased_iin = serializers.CharField(
            max_length=12, validators=[validate_iin], help_text="IIN of the deceased breadwinner."
        )
        right_arose_on = serializers.DateField(
            help_text="The day the right arose (the date of death or of the court decision)."
        )
        death_document_number = serializers.CharField(
            max_length=40,
            required=False,
            allow_blank=True,
            help_text="The number of the death certificate or notice, or of the court decision; or the file "
            "`death_document`; neither when the civil registry has the death.",
        )
        death_document = document_field(DocumentKind.DEATH_DOCUMENT)
        civil_registry_note = document_field(DocumentKind.CIVIL_REGISTRY_NOTE)
        guardianship = document_field(DocumentKind.GUARDIANSHIP)
        military_id = document_field(DocumentKind.MILITARY_ID)
        death_in_service = document_field(DocumentKind.DEATH_IN_SERVICE)
        consent_personal_data = serializers.BooleanField(
            help_text="The applicant's written consent, given at the office, to access to their personal data of "
            "restricted access; without it the draft decision refuses (B-10 (3))."
        )
        dependants = SurvivorDependantInput(many=True, allow_empty=False, max_length=MAX_DEPENDANTS)  # type: ignore[call-arg]

    @extend_schema(
        request={"application/json": Input, "multipart/form-data": Input},
        parameters=[APPLICANT_PARAMETER],
        responses={201: ApplicationOutput},
        examples=[
            OpenApiExample(
                "Two children, the death in the civil registry",
                value={
                    "deceased_iin": "850315400005",
                    "right_arose_on": "2026-01-10",
                    "consent_personal_data": True,
                    "dependants": [
                        {"iin": "150505505207", "relation": "child", "kinship_document": "I-1"},
                        {"iin": "150505505405", "relation": "child", "kinship_document": "I-2"},
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "A student with the school's certificate attached (multipart)",
                value={
                    "deceased_iin": "850315400005",
                    "right_arose_on": "2026-01-10",
                    "death_document_number": "I-77",
                    "consent_personal_data": "true",
                    "dependants[0].iin": "060303603213",
                    "dependants[0].relation": "child",
                    "dependants[0].kinship_document": "I-1",
                    "dependants[0].study_certificate_number": "112",
                    "dependants[0].school_bin": "040340000007",
                    "dependants[0].full_time_until": "2026-06-30",
                    "dependants[0].study_certificate": "(binary: certificate.pdf)",
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample("Accepted", value=EXAMPLE_SURVIVOR, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "A dependant without proof of kinship",
                value={
                    "errors": [
                        {
                            "field": "dependants[1].kinship_document",
                            "code": KINSHIP_MISSING.code,
                            "message": str(KINSHIP_MISSING.message),
                        }
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "A dependant of 23 or older",
                value={
                    "errors": [
                        {
                            "field": "dependants[0].full_time_until",
                            "code": NOT_ELIGIBLE.code,
                            "message": str(NOT_ELIGIBLE.message),
                        }
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "A file that is not a PDF, JPEG or PNG",
                value={
                    "errors": [{"field": "death_document", "code": FILE_TYPE.code, "message": str(FILE_TYPE.message)}]
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
            OpenApiExample(
                "The applicant is unknown",
                value={
                    "errors": [{"field": FIELD, "code": PERSON_UNKNOWN.code, "message": str(PERSON_UNKNOWN.message)}]
                },
                response_only=True,
                status_codes=["404"],
            ),
        ],
    )
    def post(self, request: Request, version: str) -> Response:
        corp = state_corporation_of(request)
        applicant = person_named(request)
        data = _valid(self.Input(data=request.data))
        dependants = [
            DependantInput(
                iin=d["iin"],
                birth_date=iin_birth_date(d["iin"]),
                relation=d["relation"],
                kinship_document=d.get("kinship_document", ""),
                study_certificate_number=d.get("study_certificate_number", ""),
                school_bin=d.get("school_bin", ""),
                full_time_until=d.get("full_time_until"),
                youngest_cared_birth_date=d.get("youngest_cared_birth_date"),
                work_book_record=d.get("work_book_record", ""),
                documents={k: d.get(k) for k in (DocumentKind.KINSHIP, DocumentKind.STUDY_CERTIFICATE)},
            )
            for d in data["dependants"]
        ]
        application = survivor_application_file(
            applicant=applicant,
            deceased_iin=data["deceased_iin"],
            right_arose_on=data["right_arose_on"],
            death_document=data.get("death_document_number", ""),
            dependants=dependants,
            channel=Channel.STATE_CORPORATION,
            confirmed_by="staff",
            filed_by_user=request.user,
            filed_by_integrator=corp,
            consent_personal_data=data["consent_personal_data"],
            documents={k: data.get(k) for k in SURVIVOR_DOCUMENTS},
        )
        return Response(ApplicationOutput(application).data, status=status.HTTP_201_CREATED)


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
