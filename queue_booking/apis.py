"""The queue's REST API (``/api/v1/queue/...``): one APIView per operation.

Citizens call it with their session and act for themselves and their wards. An integrator acts for
a citizen with a token carrying ``bookings:read`` / ``bookings:write`` and names the citizen in the
``X-Citizen-IIN`` header (never in the URL); X-8: only a person with a referral from one of its own
medical organisations (or their legal representative), and only on those referrals and their
bookings. Department staff call the desk operations with their session; an integrator with
``queue:staff`` only for the departments it is bound to. Whatever is outside the caller's area is
answered 404, exactly as a nonexistent object.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import (
    INTEGRATORS_DEPARTMENT,
    INTEGRATORS_PEOPLE,
    OWN_OR_WARDS,
    STAFF_DEPARTMENT,
    STAFF_REGION,
    allow,
    citizen,
    department_staff,
    integrator,
    provider_staff,
)
from portal.accounts.acting import CITIZEN_IIN_PARAMETER, acting_person, acting_person_known, acting_person_or_none
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.selectors import integrator_of, integrator_serves_department
from portal.errors import ApplicationError, NotFoundError
from portal.people.models import Person
from portal.referrals.models import Referral
from portal.territory.models import MseDepartment
from portal.validators import validate_iin
from queue_booking import errors, locks, selectors, services
from queue_booking.models import Booking
from queue_booking.scopes import QueueScope

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1-64 visible ASCII characters (a UUID is a good choice). A repeated create with the "
        "same key for the same referral returns the booking the first request made (200, same body) "
        "instead of 409 already_booked, so a client can retry after a timeout."
    ),
)


def _error_example(name: str, status_code: str, field: str | None, code: str, message: str) -> OpenApiExample:
    return OpenApiExample(
        name,
        value={"errors": [{"field": field, "code": code, "message": message}]},
        response_only=True,
        status_codes=[status_code],
    )


NOT_YOUR_PERSON = _error_example(
    "The named person is unknown or not one of the integrator's people",
    "404",
    "citizen_iin",
    "person_unknown",
    "No person with this IIN is registered.",
)
NO_SUCH_REFERRAL = _error_example(
    "The referral is unknown or not the integrator's", "404", "referral", "referral_not_found", "No such referral."
)
NO_SUCH_BOOKING = _error_example(
    "The booking is unknown or not the caller's", "404", "booking", "booking_not_found", "No such booking."
)
NOT_FOUND = _error_example("Unknown, or not a department the caller serves", "404", None, "not_found", "Not found.")
EXAMPLE_BOOKING = {
    "id": "6f1c2b1e-8a44-4a47-9a63-0d1f7c0c2a11",
    "ticket_number": "03-0112-004",
    "status": "booked",
    "kind": "booked",
    "starts_at": "2026-12-01T10:00:00+05:00",
    "can_cancel": True,
    "referral_id": "0b5a3c2e-3f7e-4d3c-a7c9-2b7f6d1e9a10",
    "person_full_name": "Сериков Ерлан Маратович",
    "department": {"number": 3, "name": "Отдел МСЭ № 3", "address": "Кокшетау, ул. Абая, 10, 5"},
}


def _integrator_id(request) -> int | None:
    """The calling integrator's id (X-8: its referrals only), ``None`` for a citizen's session."""
    return integrator_of(request.user).pk if is_integrator_call(request) else None


def _actor_and_referral(request, public_id) -> tuple[Person, Referral]:
    """Who acts, and the referral with Q-9's flags (its active or served bookings) in one query: any
    referral for a citizen (the services check who may act); for an integrator only one of its own
    organisations' (X-8), anything else answered as no such referral. An integrator naming the
    referral's own person costs no second query (``acting_person_known``); the answers and their
    order are ``acting_person``'s first (``person_unknown``), then ``referral_not_found``."""
    found = selectors.referral_with_booking_flags(public_id=public_id, integrator_id=_integrator_id(request))
    actor = acting_person_known(request, found.person if found is not None else None)
    if found is None:
        raise NotFoundError(errors.REFERRAL_NOT_FOUND, field="referral")
    return actor, found


def _booking_for(request, person: Person, public_id) -> Booking:
    if is_integrator_call(request):
        return selectors.booking_get_for_integrator(
            integrator=integrator_of(request.user), person=person, public_id=public_id
        )
    return selectors.booking_get_for_person(person=person, public_id=public_id)


def _staff_department(request, department_id: int | None) -> MseDepartment:
    """The department of a desk operation. X-8: an integrator only works the departments it is bound
    to; any other is answered 404 as a department that does not exist."""
    department = MseDepartment.objects.filter(pk=department_id).first()
    if department is None:
        raise Http404
    if is_integrator_call(request):
        if not integrator_serves_department(integrator=integrator_of(request.user), department_id=department.pk):
            raise Http404
    else:
        services.staff_require(actor_user=request.user, department=department)
    return department


def _idempotency_key(request) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ApplicationError(errors.IDEMPOTENCY_KEY_INVALID, field="idempotency_key")
    return key


class DepartmentOutput(serializers.Serializer):
    class Meta:
        ref_name = "QueueDepartment"

    number = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()


class AvailabilityApi(APIView):
    """Q-6: the free dates of the referral's department and, for a ``date``, its free times."""

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=QueueScope.BOOKINGS_READ))
    permission_classes = [HasScope(QueueScope.BOOKINGS_READ)]

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "QueueAvailabilityOutput"

        class SlotOut(serializers.Serializer):
            class Meta:
                ref_name = "QueueAvailabilitySlotOut"

            id = serializers.IntegerField()
            starts_at = serializers.DateTimeField()
            free = serializers.IntegerField()

        department = DepartmentOutput()
        dates = serializers.ListField(child=serializers.DateField())
        slots = SlotOut(many=True)

    @extend_schema(
        parameters=[
            CITIZEN_IIN_PARAMETER,
            OpenApiParameter("date", dt.date, required=False, description="A day to list times of."),
        ],
        responses=Output,
        examples=[
            NOT_YOUR_PERSON,
            NO_SUCH_REFERRAL,
            OpenApiExample(
                "Free dates and times",
                value={
                    "department": EXAMPLE_BOOKING["department"],
                    "dates": ["2026-12-01", "2026-12-02"],
                    "slots": [{"id": 1201, "starts_at": "2026-12-01T09:00:00+05:00", "free": 1}],
                },
                response_only=True,
            ),
        ],
    )
    def get(self, request, version, public_id):
        day = (
            serializers.DateField().to_internal_value(request.query_params["date"])
            if "date" in request.query_params
            else None
        )
        actor, referral = _actor_and_referral(request, public_id)
        department, dates, slots = services.booking_times(referral=referral, actor=actor, day=day)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.BOOKING_ON_BEHALF)
        # ``Output`` documents this answer; it is built by hand, in the same format, because it runs
        # on every availability request and DRF's serializers cost more than the rest of the view
        # (tests/queue_booking: the answer equals what ``Output`` gives)
        starts_at = serializers.DateTimeField()
        data = {
            "department": {"number": department.number, "name": department.name, "address": department.address},
            "dates": [d.isoformat() for d in dates],
            "slots": [
                {"id": s.pk, "starts_at": starts_at.to_representation(s.starts_at), "free": s.free} for s in slots
            ],
        }
        return Response(data)


class BookingOutput(serializers.Serializer):
    class Meta:
        ref_name = "QueueBooking"

    id = serializers.UUIDField(source="public_id")
    ticket_number = serializers.CharField()
    status = serializers.CharField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    can_cancel = serializers.BooleanField()
    referral_id = serializers.UUIDField(source="referral.public_id", allow_null=True)
    person_full_name = serializers.CharField(source="person.full_name")
    department = DepartmentOutput()


class BookingCreateApi(APIView):
    """Q-6, Q-7: book a slot for a referral (the citizen's own or a ward's)."""

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=QueueScope.BOOKINGS_WRITE))
    permission_classes = [HasScope(QueueScope.BOOKINGS_WRITE)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "QueueBookingCreateInput"

        referral_id = serializers.UUIDField()
        slot_id = serializers.IntegerField(min_value=1)

    @extend_schema(
        request=Input,
        parameters=[CITIZEN_IIN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={201: BookingOutput, 200: BookingOutput},
        description=(
            "Q-12, X-8: the examined person must already have a live consent to the processing of their "
            "personal data; an integrator cannot give it for them. Without one the answer is 400 "
            "consent_required (field consent): the person gives it in the portal, or by the code the "
            "integrator asks the portal to send to their registered phone (POST consents/codes/)."
        ),
        examples=[
            OpenApiExample(
                "Book",
                value={"referral_id": EXAMPLE_BOOKING["referral_id"], "slot_id": 1201},
                request_only=True,
            ),
            OpenApiExample("Booked", value=EXAMPLE_BOOKING, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "The same Idempotency-Key again: the first booking",
                value=EXAMPLE_BOOKING,
                response_only=True,
                status_codes=["200"],
            ),
            _error_example(
                "No consent to the processing of personal data",
                "400",
                "consent",
                "consent_required",
                "Consent to the processing of personal data is needed first.",
            ),
            NOT_YOUR_PERSON,
            NO_SUCH_REFERRAL,
            _error_example(
                "The last place was just taken",
                "409",
                "slot",
                "slot_full",
                "This date and time has just been taken. Choose another one.",
            ),
        ],
    )
    def post(self, request, version):
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        key = _idempotency_key(request)
        # One transaction: the referral found, checked and locked in one statement, the
        # booking, and the record of the integrator's access commit or roll back together.
        with transaction.atomic():
            referral = locks.referral_for_booking_by_public_id(
                public_id=s.validated_data["referral_id"], integrator_id=_integrator_id(request)
            )
            # the referral's own person named: no query of its own (``acting_person_known``)
            actor = acting_person_known(request, referral.person if referral is not None else None)
            if referral is None:
                raise NotFoundError(errors.REFERRAL_NOT_FOUND, field="referral")
            first = selectors.booking_for_idempotency_key(referral=referral, key=key)
            booking = services.booking_create(
                referral=referral,
                slot_id=s.validated_data["slot_id"],
                actor=actor,
                idempotency_key=key,
                referral_locked=True,
            )
            personal_data_read(request, booking, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        code = status.HTTP_200_OK if first is not None else status.HTTP_201_CREATED
        return Response(BookingOutput(booking).data, status=code)


class BookingListApi(APIView):
    """The citizen's and their wards' bookings, newest first."""

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=QueueScope.BOOKINGS_READ))
    permission_classes = [HasScope(QueueScope.BOOKINGS_READ)]

    @extend_schema(
        parameters=[CITIZEN_IIN_PARAMETER],
        responses=BookingOutput(many=True),
        description=(
            "An integrator lists only the bookings of its own referrals; a person it may not name lists "
            "nothing (an empty list, as for a person without bookings)."
        ),
        examples=[OpenApiExample("Bookings", value=[EXAMPLE_BOOKING], response_only=True)],
    )
    def get(self, request, version):
        person = acting_person_or_none(request)
        if person is None:
            return Response([])
        if is_integrator_call(request):
            rows = selectors.booking_list_for_integrator(integrator=integrator_of(request.user), person=person)
        else:
            rows = selectors.booking_list_for_person(person=person)
        bookings = list(rows)
        personal_data_read(request, bookings, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        return Response(BookingOutput(bookings, many=True).data)


class BookingDetailApi(APIView):
    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=QueueScope.BOOKINGS_READ))
    permission_classes = [HasScope(QueueScope.BOOKINGS_READ)]

    @extend_schema(
        parameters=[CITIZEN_IIN_PARAMETER],
        responses=BookingOutput,
        examples=[
            OpenApiExample("Booking", value=EXAMPLE_BOOKING, response_only=True),
            NOT_YOUR_PERSON,
            NO_SUCH_BOOKING,
        ],
    )
    def get(self, request, version, public_id):
        person = acting_person(request)
        booking = _booking_for(request, person, public_id)
        personal_data_read(request, booking, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        return Response(BookingOutput(booking).data)


class BookingCancelApi(APIView):
    """Q-9: cancel a booking; N-Q3 follows and the place is offered to the waiting list."""

    access_rule = allow(citizen(OWN_OR_WARDS), integrator(INTEGRATORS_PEOPLE, scope=QueueScope.BOOKINGS_WRITE))
    permission_classes = [HasScope(QueueScope.BOOKINGS_WRITE)]

    @extend_schema(
        request=None,
        parameters=[CITIZEN_IIN_PARAMETER],
        responses=BookingOutput,
        examples=[
            OpenApiExample(
                "Cancelled", value={**EXAMPLE_BOOKING, "status": "cancelled", "can_cancel": False}, response_only=True
            ),
            NOT_YOUR_PERSON,
            NO_SUCH_BOOKING,
        ],
    )
    def post(self, request, version, public_id):
        person = acting_person(request)
        booking = _booking_for(request, person, public_id)
        booking = services.booking_cancel(booking=booking, actor=person)
        personal_data_read(request, booking, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        return Response(BookingOutput(booking).data)


class QueueEntryOutput(serializers.Serializer):
    class Meta:
        ref_name = "QueueEntry"

    id = serializers.UUIDField(source="public_id")
    ticket_number = serializers.CharField()
    status = serializers.CharField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    arrived_at = serializers.DateTimeField(allow_null=True)
    person_full_name = serializers.CharField(source="person.full_name")


EXAMPLE_ENTRY = {
    "id": EXAMPLE_BOOKING["id"],
    "ticket_number": "03-0112-004",
    "status": "arrived",
    "kind": "booked",
    "starts_at": "2026-12-01T10:00:00+05:00",
    "arrived_at": "2026-12-01T09:52:00+05:00",
    "person_full_name": "Сериков Ерлан Маратович",
}


class QueueTodayApi(APIView):
    """The department's queue for a day (today by default), in serving order."""

    access_rule = allow(
        department_staff(STAFF_DEPARTMENT),
        provider_staff(STAFF_REGION),
        integrator(INTEGRATORS_DEPARTMENT, scope=QueueScope.QUEUE_STAFF),
    )
    permission_classes = [HasScope(QueueScope.QUEUE_STAFF)]

    @extend_schema(
        parameters=[OpenApiParameter("date", dt.date, required=False)],
        responses=QueueEntryOutput(many=True),
        examples=[OpenApiExample("Queue", value=[EXAMPLE_ENTRY], response_only=True), NOT_FOUND],
    )
    def get(self, request, version, department_id):
        department = _staff_department(request, department_id)
        day = (
            serializers.DateField().to_internal_value(request.query_params["date"])
            if "date" in request.query_params
            else timezone.localdate()
        )
        rows = selectors.queue_for_day(department=department, day=day, include_done=True)
        personal_data_read(request, rows, Subject.QUEUE, Purpose.QUEUE_SERVICE)
        return Response(QueueEntryOutput(rows, many=True).data)


class CheckInApi(APIView):
    """The person arrived: the ticket number, or the QR code of the printed ticket."""

    access_rule = allow(
        department_staff(STAFF_DEPARTMENT),
        provider_staff(STAFF_REGION),
        integrator(INTEGRATORS_DEPARTMENT, scope=QueueScope.QUEUE_STAFF),
    )
    permission_classes = [HasScope(QueueScope.QUEUE_STAFF)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "QueueCheckInInput"

        code = serializers.CharField(max_length=200)

    @extend_schema(
        request=Input,
        responses=QueueEntryOutput,
        examples=[
            OpenApiExample("By ticket number", value={"code": "03-0112-004"}, request_only=True),
            OpenApiExample("Arrived", value=EXAMPLE_ENTRY, response_only=True),
            NOT_FOUND,
        ],
    )
    def post(self, request, version, department_id):
        department = _staff_department(request, department_id)
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        booking = services.booking_check_in(
            department=department, code=s.validated_data["code"], actor_user=request.user
        )
        personal_data_read(request, booking, Subject.QUEUE, Purpose.QUEUE_SERVICE)
        return Response(QueueEntryOutput(booking).data)


class WalkInAddApi(APIView):
    """Q-11: add a person to today's live queue (after those who booked)."""

    access_rule = allow(
        department_staff(STAFF_DEPARTMENT),
        provider_staff(STAFF_REGION),
        integrator(INTEGRATORS_DEPARTMENT, scope=QueueScope.QUEUE_STAFF),
    )
    permission_classes = [HasScope(QueueScope.QUEUE_STAFF)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "QueueWalkInAddInput"

        person_iin = serializers.CharField(validators=[validate_iin])

    @extend_schema(
        request=Input,
        responses={201: QueueEntryOutput},
        examples=[
            OpenApiExample("Walk-in", value={"person_iin": "850315301205"}, request_only=True),
            OpenApiExample(
                "In the live queue",
                value={**EXAMPLE_ENTRY, "kind": "walk_in", "ticket_number": "03-0112-006"},
                response_only=True,
                status_codes=["201"],
            ),
            NOT_FOUND,
        ],
    )
    def post(self, request, version, department_id):
        department = _staff_department(request, department_id)
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        booking = services.walk_in_add(
            department=department, person_iin=s.validated_data["person_iin"], actor_user=request.user
        )
        personal_data_read(request, booking, Subject.QUEUE, Purpose.QUEUE_SERVICE)
        return Response(QueueEntryOutput(booking).data, status=status.HTTP_201_CREATED)


class _StaffBookingApi(APIView):
    permission_classes = [HasScope(QueueScope.QUEUE_STAFF)]
    service = None

    def post(self, request, version, public_id):
        booking = Booking.objects.select_related("department", "person").filter(public_id=public_id).first()
        _staff_department(request, booking.department_id if booking is not None else None)
        booking = type(self).service(booking=booking, actor_user=request.user)
        personal_data_read(request, booking, Subject.QUEUE, Purpose.QUEUE_SERVICE)
        return Response(QueueEntryOutput(booking).data)


class BookingServedApi(_StaffBookingApi):
    """The person was served (arrived -> served)."""

    access_rule = allow(
        department_staff(STAFF_DEPARTMENT),
        provider_staff(STAFF_REGION),
        integrator(INTEGRATORS_DEPARTMENT, scope=QueueScope.QUEUE_STAFF),
    )
    service = staticmethod(services.booking_mark_served)

    @extend_schema(
        request=None,
        responses=QueueEntryOutput,
        examples=[OpenApiExample("Served", value={**EXAMPLE_ENTRY, "status": "served"}, response_only=True), NOT_FOUND],
    )
    def post(self, request, version, public_id):
        return super().post(request, version, public_id)


class BookingLeftApi(_StaffBookingApi):
    """The person left without being served (arrived -> left)."""

    access_rule = allow(
        department_staff(STAFF_DEPARTMENT),
        provider_staff(STAFF_REGION),
        integrator(INTEGRATORS_DEPARTMENT, scope=QueueScope.QUEUE_STAFF),
    )
    service = staticmethod(services.booking_mark_left)

    @extend_schema(
        request=None,
        responses=QueueEntryOutput,
        examples=[OpenApiExample("Left", value={**EXAMPLE_ENTRY, "status": "left"}, response_only=True), NOT_FOUND],
    )
    def post(self, request, version, public_id):
        return super().post(request, version, public_id)
