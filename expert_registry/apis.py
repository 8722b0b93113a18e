"""API of the registry of doctor-experts (``/api/v1/experts/``): item 11's reads for the Committee's systems.

Four read operations, each paginated (``limit``/``offset``, with the total ``count``) and filtered by
period, region (KATO) and status (or its equivalent: the kind of period, the ground of exclusion):

- ``applications/``: candidates' applications with their status and the grounds of a refusal (E-4, E-5, E-6);
- ``evaluations/``: the monthly and yearly results with their inputs and formula version (E-10);
- ``exclusions/``: exclusions from the registry with ground and evidence (E-7);
- ``registry/``: the experts in the registry (active by default) with their nosological forms; never
  bank details (E-11's are read by Committee staff in the admin only).

Who: Committee staff and operators signed in (national), and the Committee's own systems (an
integrator of kind ``committee``) whose token holds ``experts:read`` (``ExpertScope.READ``): the
registry is the Committee's national data, so such a token reads every row of it
(``COMMITTEE_REGISTRY``). A token of any other integrator is answered 403 even with the scope (X-8: an
integrator acts only for its own people, and no other system has the registry's people as its own);
so is anyone else signed in. Every read of people's data is logged (X-9, ``portal.accesslog``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from expert_registry import selectors
from expert_registry.models import Application, EvaluationResult, Expert
from expert_registry.scopes import ExpertScope
from expert_registry.services.notices import refusal_ground_text
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import ALL_ROWS, ObjectCheck, allow, committee_staff, integrator, operator
from portal.accounts.models import Integrator
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.roles import Role
from portal.accounts.selectors import integrator_of
from portal.errors import ErrorItem, ForbiddenError

MAX_LIMIT = 500
COMMITTEE_REGISTRY = ObjectCheck(
    "committee_registry",
    "the registry of doctor-experts, the Committee's national data: a token with experts:read of one of "
    "the Committee's systems (integrator kind committee; any other integrator is refused, X-8) reads "
    "every candidate's application, result and exclusion and every expert; never bank details",
)
MSG_COMMITTEE_ONLY = _("Only the Committee's staff and operators read the registry of doctor-experts.")
MSG_COMMITTEE_SYSTEM_ONLY = _("Only the Committee's information systems read the registry of doctor-experts by API.")
MSG_PERIOD_ORDER = _("The period ends before it starts.")
ACCESS = allow(committee_staff(ALL_ROWS), operator(ALL_ROWS), integrator(COMMITTEE_REGISTRY, scope=ExpertScope.READ))
KATO_HELP = "The region's KATO code (9 digits)."


def _reader_checked(request: Request) -> None:
    """A token passed ``HasScope``: it must be a Committee system's; a signed-in account must be the
    Committee's staff or an operator."""
    if is_integrator_call(request):
        found = integrator_of(request.user)  # type: ignore[no-untyped-call]
        if not isinstance(found, Integrator) or found.kind != Integrator.Kind.COMMITTEE:
            raise ForbiddenError(MSG_COMMITTEE_SYSTEM_ONLY, code="committee_system_only")
        return
    user: Any = request.user
    if getattr(user, "is_superuser", False):
        return
    has_role = getattr(user, "has_role", None)
    if has_role is None or not (has_role(Role.COMMITTEE_STAFF) or has_role(Role.OPERATOR)):
        raise ForbiddenError(MSG_COMMITTEE_ONLY, code="committee_only")


def _filter(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _page(rows: QuerySet[Any], f: dict[str, Any]) -> tuple[int, list[Any]]:
    return rows.count(), list(rows[f["offset"] : f["offset"] + f["limit"]])


def _period_checked(attrs: dict[str, Any], first: str, last: str) -> dict[str, Any]:
    start, end = attrs.get(first), attrs.get(last)
    if start and end and end < start:
        raise serializers.ValidationError({last: MSG_PERIOD_ORDER}, code="period_order")
    return attrs


class _Paging(serializers.Serializer[Any]):
    region = serializers.RegexField(r"^\d{9}$", required=False, help_text=KATO_HELP)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=100, help_text="At most 500.")
    offset = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)


def _page_schema(name: str, output: type[serializers.Serializer[Any]]) -> Any:
    """The paginated answer: the total, the window asked for, and the rows."""
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(help_text="Rows matching the filters, all pages together."),
            "limit": serializers.IntegerField(),
            "offset": serializers.IntegerField(),
            "results": output(many=True),
        },
    )


def _page_example(row: dict[str, Any]) -> OpenApiExample:
    return OpenApiExample("Page", value={"count": 1, "limit": 100, "offset": 0, "results": [row]}, response_only=True)


def _answer(count: int, f: dict[str, Any], data: Any) -> Response:
    return Response({"count": count, "limit": f["limit"], "offset": f["offset"], "results": data})


def _error_examples() -> dict[str, dict[str, list[ErrorItem]]]:
    return {
        "400": {"period_order": [ErrorItem("period_to", "period_order", str(MSG_PERIOD_ORDER))]},
        "403": {
            "committee_only": [ErrorItem(None, "committee_only", str(MSG_COMMITTEE_ONLY))],
            "committee_system_only": [ErrorItem(None, "committee_system_only", str(MSG_COMMITTEE_SYSTEM_ONLY))],
        },
    }


class ApplicationListApi(APIView):
    """Candidates' applications with status and the grounds of a refusal (E-2..E-6), newest first."""

    access_rule = ACCESS
    permission_classes = [IsAuthenticated, HasScope(ExpertScope.READ)]

    @staticmethod
    def error_examples() -> dict[str, dict[str, list[ErrorItem]]]:
        return _error_examples()

    class Filter(_Paging):
        submitted_from = serializers.DateField(required=False, help_text="First day of the period (submission).")
        submitted_to = serializers.DateField(required=False, help_text="Last day of the period (inclusive).")
        status = serializers.ChoiceField(choices=Application.Status.choices, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            return _period_checked(attrs, "submitted_from", "submitted_to")

    class Output(serializers.Serializer[Any]):
        class Meta:
            ref_name = "ExpertApplication"

        id = serializers.UUIDField(source="public_id")
        announcement = serializers.UUIDField(source="announcement.public_id")
        expert = serializers.UUIDField(source="expert.public_id")
        candidate_iin = serializers.CharField(source="person.iin")
        candidate_name = serializers.CharField(source="person.full_name")
        region = serializers.CharField(source="expert.region.kato", allow_null=True, default=None)
        status = serializers.ChoiceField(choices=Application.Status.choices)
        submitted_at = serializers.DateTimeField()
        test_deadline = serializers.DateField(allow_null=True)
        decided_at = serializers.DateTimeField(allow_null=True)
        refusal_grounds = serializers.SerializerMethodField()

        @extend_schema_field(
            inline_serializer(
                name="ExpertRefusalGround",
                fields={"code": serializers.CharField(), "text": serializers.CharField()},
                many=True,
            )
        )
        def get_refusal_grounds(self, application: Application) -> list[dict[str, str]]:
            language = translation.get_language() or "ru"
            return [{"code": c, "text": refusal_ground_text(c, language)} for c in application.refusal_grounds]

    @extend_schema(
        parameters=[Filter],
        responses=_page_schema("ExpertApplicationPage", Output),
        examples=[
            _page_example(
                {
                    "id": "5f0c7a3e-8c1b-4c0e-9f55-3b2a4d6e7f80",
                    "announcement": "0b5a3c2e-3f7e-4d3c-a7c9-2b7f6d1e9a10",
                    "expert": "7d3e1c2b-9a8f-4e6d-b5c4-a3b2c1d0e9f8",
                    "candidate_iin": "900101300017",
                    "candidate_name": "Ахметова Айгерим",
                    "region": None,
                    "status": "documents_refused",
                    "submitted_at": "2026-03-02T10:15:00+05:00",
                    "test_deadline": None,
                    "decided_at": "2026-03-04T16:00:00+05:00",
                    "refusal_grounds": [
                        {
                            "code": "missing_proof",
                            "text": "no proof of the diploma, work experience, specialist certificate or MSE training",
                        }
                    ],
                }
            )
        ],
    )
    def get(self, request: Request, version: str) -> Response:
        _reader_checked(request)
        f = _filter(self.Filter, request)
        count, rows = _page(
            selectors.application_list_filter(
                submitted_from=f.get("submitted_from"),
                submitted_to=f.get("submitted_to"),
                region_kato=f.get("region"),
                status=f.get("status"),
            ),
            f,
        )
        personal_data_read(request, rows, Subject.EXPERT, Purpose.EXPERT_REGISTRY)
        return _answer(count, f, self.Output(rows, many=True).data)


class EvaluationListApi(APIView):
    """E-10 results with their inputs, parts, score and formula version, newest period first."""

    access_rule = ACCESS
    permission_classes = [IsAuthenticated, HasScope(ExpertScope.READ)]

    @staticmethod
    def error_examples() -> dict[str, dict[str, list[ErrorItem]]]:
        return _error_examples()

    class Filter(_Paging):
        period_from = serializers.DateField(required=False, help_text="Results whose period starts on or after.")
        period_to = serializers.DateField(required=False, help_text="Results whose period starts on or before.")
        period = serializers.ChoiceField(choices=EvaluationResult.Period.choices, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            return _period_checked(attrs, "period_from", "period_to")

    class Output(serializers.Serializer[Any]):
        class Meta:
            ref_name = "ExpertEvaluation"

        id = serializers.UUIDField(source="public_id")
        expert = serializers.UUIDField(source="expert.public_id")
        expert_iin = serializers.CharField(source="expert.person.iin")
        expert_name = serializers.CharField(source="expert.person.full_name")
        region = serializers.CharField(source="expert.region.kato", allow_null=True, default=None)
        period = serializers.ChoiceField(choices=EvaluationResult.Period.choices)
        period_start = serializers.DateField()
        period_end = serializers.DateField()
        formula_version = serializers.IntegerField(source="formula.version")
        received = serializers.IntegerField()
        decided = serializers.IntegerField()
        decided_on_time = serializers.IntegerField()
        reviewed = serializers.IntegerField()
        upheld = serializers.IntegerField()
        planned = serializers.IntegerField(allow_null=True)
        timeliness = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
        quality = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
        volume = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
        score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
        computed_at = serializers.DateTimeField()

    @extend_schema(
        parameters=[Filter],
        responses=_page_schema("ExpertEvaluationPage", Output),
        examples=[
            _page_example(
                {
                    "id": "5f0c7a3e-8c1b-4c0e-9f55-3b2a4d6e7f80",
                    "expert": "7d3e1c2b-9a8f-4e6d-b5c4-a3b2c1d0e9f8",
                    "expert_iin": "800202400704",
                    "expert_name": "Сейтказиев Нурлан",
                    "region": "750000000",
                    "period": "month",
                    "period_start": "2026-05-01",
                    "period_end": "2026-05-31",
                    "formula_version": 1,
                    "received": 13,
                    "decided": 11,
                    "decided_on_time": 9,
                    "reviewed": 5,
                    "upheld": 4,
                    "planned": 22,
                    "timeliness": "81.82",
                    "quality": "80.00",
                    "volume": "50.00",
                    "score": "74.73",
                    "computed_at": "2026-06-01T02:00:05+05:00",
                }
            )
        ],
    )
    def get(self, request: Request, version: str) -> Response:
        _reader_checked(request)
        f = _filter(self.Filter, request)
        count, rows = _page(
            selectors.evaluation_list_filter(
                period_from=f.get("period_from"),
                period_to=f.get("period_to"),
                region_kato=f.get("region"),
                period=f.get("period"),
            ),
            f,
        )
        persons = [r.expert.person_id for r in rows]
        personal_data_read(request, rows, Subject.EXPERT, Purpose.EXPERT_REGISTRY, persons=persons)
        return _answer(count, f, self.Output(rows, many=True).data)


class ExclusionListApi(APIView):
    """E-7 exclusions from the registry with their ground and evidence, newest first."""

    access_rule = ACCESS
    permission_classes = [IsAuthenticated, HasScope(ExpertScope.READ)]

    @staticmethod
    def error_examples() -> dict[str, dict[str, list[ErrorItem]]]:
        return _error_examples()

    class Filter(_Paging):
        excluded_from = serializers.DateField(required=False, help_text="First day of the period (exclusion).")
        excluded_to = serializers.DateField(required=False, help_text="Last day of the period (inclusive).")
        ground = serializers.ChoiceField(choices=Expert.ExclusionGround.choices, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            return _period_checked(attrs, "excluded_from", "excluded_to")

    class Output(serializers.Serializer[Any]):
        class Meta:
            ref_name = "ExpertExclusion"

        expert = serializers.UUIDField(source="expert.public_id")
        expert_iin = serializers.CharField(source="expert.person.iin")
        expert_name = serializers.CharField(source="expert.person.full_name")
        region = serializers.CharField(source="expert.region.kato", allow_null=True, default=None)
        excluded_on = serializers.DateField(source="effective_from")
        ground = serializers.IntegerField(source="exclusion_ground", allow_null=True)
        ground_text = serializers.CharField(source="get_exclusion_ground_display", allow_null=True)
        evidence = serializers.CharField()
        at = serializers.DateTimeField()

    @extend_schema(
        parameters=[Filter],
        responses=_page_schema("ExpertExclusionPage", Output),
        examples=[
            _page_example(
                {
                    "expert": "7d3e1c2b-9a8f-4e6d-b5c4-a3b2c1d0e9f8",
                    "expert_iin": "800202400704",
                    "expert_name": "Сейтказиев Нурлан",
                    "region": "750000000",
                    "excluded_on": "2026-04-10",
                    "ground": 4,
                    "ground_text": "(4) death",
                    "evidence": "civil_registry.death: record 2026-04-09",
                    "at": "2026-04-11T03:00:02+05:00",
                }
            )
        ],
    )
    def get(self, request: Request, version: str) -> Response:
        _reader_checked(request)
        f = _filter(self.Filter, request)
        count, rows = _page(
            selectors.exclusion_list_filter(
                effective_from=f.get("excluded_from"),
                effective_to=f.get("excluded_to"),
                region_kato=f.get("region"),
                ground=f.get("ground"),
            ),
            f,
        )
        persons = [r.expert.person_id for r in rows]
        personal_data_read(request, rows, Subject.EXPERT, Purpose.EXPERT_REGISTRY, persons=persons)
        return _answer(count, f, self.Output(rows, many=True).data)


class RegistryListApi(APIView):
    """The registry: experts (active unless ``status`` says otherwise) with their nosological forms; no bank details."""

    access_rule = ACCESS
    permission_classes = [IsAuthenticated, HasScope(ExpertScope.READ)]

    @staticmethod
    def error_examples() -> dict[str, dict[str, list[ErrorItem]]]:
        return _error_examples()

    class Filter(_Paging):
        since_from = serializers.DateField(required=False, help_text="In the status since this day or later.")
        since_to = serializers.DateField(required=False, help_text="In the status since this day or earlier.")
        status = serializers.ChoiceField(choices=Expert.Status.choices, default=Expert.Status.ACTIVE)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            return _period_checked(attrs, "since_from", "since_to")

    class Output(serializers.Serializer[Any]):
        class Meta:
            ref_name = "RegistryExpert"

        id = serializers.UUIDField(source="public_id")
        iin = serializers.CharField(source="person.iin")
        full_name = serializers.CharField(source="person.full_name")
        kind = serializers.ChoiceField(choices=Expert.Kind.choices)
        position = serializers.ChoiceField(choices=Expert.Position.choices)
        department = serializers.IntegerField(source="department.number", allow_null=True, default=None)
        region = serializers.CharField(source="region.kato", allow_null=True, default=None)
        status = serializers.ChoiceField(choices=Expert.Status.choices)
        status_since = serializers.DateField(allow_null=True)
        incapacitated_from = serializers.DateField(allow_null=True)
        incapacitated_until = serializers.DateField(allow_null=True)
        planned_monthly_cases = serializers.IntegerField(allow_null=True)
        nosology_groups = serializers.SerializerMethodField(help_text="Numbers of the nosological forms (P-2).")

        def get_nosology_groups(self, expert: Expert) -> list[int]:
            return sorted(g.number for g in expert.nosology_groups.all())

    @extend_schema(
        parameters=[Filter],
        responses=_page_schema("RegistryExpertPage", Output),
        examples=[
            _page_example(
                {
                    "id": "7d3e1c2b-9a8f-4e6d-b5c4-a3b2c1d0e9f8",
                    "iin": "800202400704",
                    "full_name": "Сейтказиев Нурлан",
                    "kind": "independent",
                    "position": "doctor_expert",
                    "department": None,
                    "region": None,
                    "status": "active",
                    "status_since": "2026-02-03",
                    "incapacitated_from": None,
                    "incapacitated_until": None,
                    "planned_monthly_cases": 22,
                    "nosology_groups": [2, 5],
                }
            )
        ],
    )
    def get(self, request: Request, version: str) -> Response:
        _reader_checked(request)
        f = _filter(self.Filter, request)
        count, rows = _page(
            selectors.registry_list_filter(
                since_from=f.get("since_from"),
                since_to=f.get("since_to"),
                region_kato=f.get("region"),
                status=f["status"],
            ),
            f,
        )
        personal_data_read(request, rows, Subject.EXPERT, Purpose.EXPERT_REGISTRY)
        return _answer(count, f, self.Output(rows, many=True).data)
