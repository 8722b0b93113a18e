"""The queue's REST API (``/api/v1/queue/...``): one APIView per operation.

Citizens call it with their session; an integrator acts for a citizen with a token carrying
``bookings:read`` / ``bookings:write`` and names the citizen by IIN (``citizen_iin``). Department
staff call the desk operations with their session, integrators with ``queue:staff``.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.scopes import Scope
from portal.consent.models import Consent
from portal.errors import ApplicationError, ForbiddenError, NotFoundError
from portal.people.models import Person
from portal.referrals.models import Referral
from portal.territory.models import MseDepartment
from portal.validators import validate_iin
from queue_booking import selectors, services
from queue_booking.models import Booking

MSG_IIN_REQUIRED = _("An integrator acting for a citizen must give the citizen's IIN (citizen_iin).")
MSG_PERSON_UNKNOWN = _("No person with this IIN is registered.")
MSG_NOT_CITIZEN = _("Sign in as a citizen to use this operation.")
MSG_REFERRAL_NOT_FOUND = _("No such referral.")

CITIZEN_IIN = OpenApiParameter(
    "citizen_iin", str, description="Integrators only: the IIN of the citizen they act for.", required=False
)
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


def _citizen(request, iin: str | None) -> Person:
    """The citizen the call is for: the session's person, or the one an integrator names."""
    if is_integrator_call(request):
        if not iin:
            raise ApplicationError(MSG_IIN_REQUIRED, code="citizen_iin_required", field="citizen_iin")
        person = Person.objects.filter(iin=iin).first()
        if person is None:
            raise NotFoundError(MSG_PERSON_UNKNOWN, code="person_unknown", field="citizen_iin")
        return person
    person = getattr(request.user, "person", None)
    if person is None:
        raise ForbiddenError(MSG_NOT_CITIZEN, code="not_citizen")
    return person


def _query_iin(request) -> str | None:
    iin = request.query_params.get("citizen_iin")
    if iin:
        validate_iin(iin)
    return iin


def _referral(public_id) -> Referral:
    referral = Referral.objects.select_related("person__registration_atu").filter(public_id=public_id).first()
    if referral is None:
        raise NotFoundError(MSG_REFERRAL_NOT_FOUND, code="referral_not_found", field="referral")
    return referral


def _staff_department(request, department_id: int) -> MseDepartment:
    department = get_object_or_404(MseDepartment, pk=department_id)
    if not is_integrator_call(request):
        services.staff_require(actor_user=request.user, department=department)
    return department


class DepartmentOutput(serializers.Serializer):
    class Meta:
        ref_name = "QueueDepartment"

    number = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()


class AvailabilityApi(APIView):
    """Q-6: the free dates of the referral's department and, for a ``date``, its free times."""

    permission_classes = [HasScope(Scope.BOOKINGS_READ)]

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
            CITIZEN_IIN,
            OpenApiParameter("date", dt.date, required=False, description="A day to list times of."),
        ],
        responses=Output,
        examples=[
            OpenApiExample(
                "Free dates and times",
                value={
                    "department": EXAMPLE_BOOKING["department"],
                    "dates": ["2026-12-01", "2026-12-02"],
                    "slots": [{"id": 1201, "starts_at": "2026-12-01T09:00:00+05:00", "free": 1}],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, version, public_id):
        actor = _citizen(request, _query_iin(request))
        referral = _referral(public_id)
        department, dates = services.booking_availability(referral=referral, actor=actor)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.BOOKING_ON_BEHALF)
        day = (
            serializers.DateField().to_internal_value(request.query_params["date"])
            if "date" in request.query_params
            else None
        )
        slots = selectors.available_slots(department=department, day=day) if day else []
        data = {
            "department": department,
            "dates": dates,
            "slots": slots,
        }
        return Response(self.Output(data).data)


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

    permission_classes = [HasScope(Scope.BOOKINGS_WRITE)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "QueueBookingCreateInput"

        referral_id = serializers.UUIDField()
        slot_id = serializers.IntegerField(min_value=1)
        citizen_iin = serializers.CharField(validators=[validate_iin], required=False)
        consent_given = serializers.BooleanField(
            required=False,
            default=False,
            help_text=(
                "Q-12: true when the caller confirms it has collected the consent of the examined person, "
                "or of their legal representative, to the processing of their personal data for booking and "
                "the examination; it is recorded with channel API. Without it the person must already have "
                "a live consent, else 400 with field consent, code consent_required."
            ),
        )

    @extend_schema(
        request=Input,
        responses={201: BookingOutput},
        examples=[
            OpenApiExample(
                "Book",
                value={"referral_id": EXAMPLE_BOOKING["referral_id"], "slot_id": 1201, "consent_given": True},
                request_only=True,
            ),
            OpenApiExample("Booked", value=EXAMPLE_BOOKING, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "No consent to the processing of personal data",
                value={
                    "errors": [
                        {
                            "field": "consent",
                            "code": "consent_required",
                            "message": "Consent to the processing of personal data is needed first.",
                        }
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "The last place was just taken",
                value={
                    "errors": [
                        {
                            "field": "slot",
                            "code": "slot_full",
                            "message": "This date and time has just been taken. Choose another one.",
                        }
                    ]
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def post(self, request, version):
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        actor = _citizen(request, s.validated_data.get("citizen_iin"))
        referral = _referral(s.validated_data["referral_id"])
        booking = services.booking_create(
            referral=referral,
            slot_id=s.validated_data["slot_id"],
            actor=actor,
            consent_channel=Consent.Channel.API if s.validated_data["consent_given"] else None,
        )
        personal_data_read(request, booking, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingListApi(APIView):
    """The citizen's and their wards' bookings, newest first."""

    permission_classes = [HasScope(Scope.BOOKINGS_READ)]

    @extend_schema(
        parameters=[CITIZEN_IIN],
        responses=BookingOutput(many=True),
        examples=[OpenApiExample("Bookings", value=[EXAMPLE_BOOKING], response_only=True)],
    )
    def get(self, request, version):
        person = _citizen(request, _query_iin(request))
        bookings = list(selectors.booking_list_for_person(person=person))
        personal_data_read(request, bookings, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        return Response(BookingOutput(bookings, many=True).data)


class BookingDetailApi(APIView):
    permission_classes = [HasScope(Scope.BOOKINGS_READ)]

    @extend_schema(
        parameters=[CITIZEN_IIN],
        responses=BookingOutput,
        examples=[OpenApiExample("Booking", value=EXAMPLE_BOOKING, response_only=True)],
    )
    def get(self, request, version, public_id):
        person = _citizen(request, _query_iin(request))
        booking = selectors.booking_get_for_person(person=person, public_id=public_id)
        personal_data_read(request, booking, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
        return Response(BookingOutput(booking).data)


class BookingCancelApi(APIView):
    """Q-9: cancel a booking; N-Q3 follows and the place is offered to the waiting list."""

    permission_classes = [HasScope(Scope.BOOKINGS_WRITE)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "QueueBookingCancelInput"

        citizen_iin = serializers.CharField(validators=[validate_iin], required=False)

    @extend_schema(
        request=Input,
        responses=BookingOutput,
        examples=[
            OpenApiExample("Cancel", value={}, request_only=True),
            OpenApiExample(
                "Cancelled", value={**EXAMPLE_BOOKING, "status": "cancelled", "can_cancel": False}, response_only=True
            ),
        ],
    )
    def post(self, request, version, public_id):
        s = self.Input(data=request.data)
        s.is_valid(raise_exception=True)
        person = _citizen(request, s.validated_data.get("citizen_iin"))
        booking = selectors.booking_get_for_person(person=person, public_id=public_id)
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

    permission_classes = [HasScope(Scope.QUEUE_STAFF)]

    @extend_schema(
        parameters=[OpenApiParameter("date", dt.date, required=False)],
        responses=QueueEntryOutput(many=True),
        examples=[OpenApiExample("Queue", value=[EXAMPLE_ENTRY], response_only=True)],
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

    permission_classes = [HasScope(Scope.QUEUE_STAFF)]

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

    permission_classes = [HasScope(Scope.QUEUE_STAFF)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "QueueWalkInAddInput"

        person_iin = serializers.CharField(validators=[validate_iin])

    @extend_schema(
        request=Input,
        responses={201: QueueEntryOutput},
        examples=[
            OpenApiExample("Walk-in", value={"person_iin": "850315300123"}, request_only=True),
            OpenApiExample(
                "In the live queue",
                value={**EXAMPLE_ENTRY, "kind": "walk_in", "ticket_number": "03-0112-006"},
                response_only=True,
                status_codes=["201"],
            ),
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
    permission_classes = [HasScope(Scope.QUEUE_STAFF)]
    service = None

    def post(self, request, version, public_id):
        booking = get_object_or_404(Booking.objects.select_related("department", "person"), public_id=public_id)
        _staff_department(request, booking.department_id)
        booking = type(self).service(booking=booking, actor_user=request.user)
        personal_data_read(request, booking, Subject.QUEUE, Purpose.QUEUE_SERVICE)
        return Response(QueueEntryOutput(booking).data)


class BookingServedApi(_StaffBookingApi):
    """The person was served (arrived -> served)."""

    service = staticmethod(services.booking_mark_served)

    @extend_schema(
        request=None,
        responses=QueueEntryOutput,
        examples=[OpenApiExample("Served", value={**EXAMPLE_ENTRY, "status": "served"}, response_only=True)],
    )
    def post(self, request, version, public_id):
        return super().post(request, version, public_id)


class BookingLeftApi(_StaffBookingApi):
    """The person left without being served (arrived -> left)."""

    service = staticmethod(services.booking_mark_left)

    @extend_schema(
        request=None,
        responses=QueueEntryOutput,
        examples=[OpenApiExample("Left", value={**EXAMPLE_ENTRY, "status": "left"}, response_only=True)],
    )
    def post(self, request, version, public_id):
        return super().post(request, version, public_id)
