"""Baseline views of the queue benchmark.

- ``book_same_work``: the booking API's database work, statement for statement, in a plain view
  (the issue's baseline: "a minimal Django view doing the same database work").
- ``book``: the bare minimum of a booking (lock the slot, take a ticket number, insert the booking):
  no authentication, serializers, rules, audit, history or SMS outbox. What the API costs above it
  is the price of all of those together.
- ``availability``: the free dates of a department, with none of the Q-6 checks.
- ``fresh_checks``: the availability API with only what issue 13 keeps fresh on every request (the
  token and its scope, the request budget, the person named (X-8), the referral with its bookings
  (Q-9), the X-9 access row) and no availability at all: the floor of any availability answer that
  keeps those checks. Its throughput against the peer's is the most the API could reach.
"""

import datetime as dt
import json

from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response

from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.referrals.models import Referral
from portal.territory.selectors import department_for_atu
from queue_booking.apis import AvailabilityApi, _actor_and_referral
from queue_booking.models import Booking, Slot, TicketCounter


def availability(request, public_id):
    referral = Referral.objects.select_related("person__registration_atu").get(public_id=public_id)
    department = department_for_atu(atu=referral.person.registration_atu)
    now = timezone.now()
    today = timezone.localdate(now)
    days = (
        Slot.objects.filter(
            department_id=department.pk,
            day__gte=today,
            day__lte=today + dt.timedelta(days=60),
            starts_at__gt=now,
            booked__lt=F("capacity"),
        )
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )
    return JsonResponse({"department": department.pk, "dates": [d.isoformat() for d in days]})


class FreshChecksApi(AvailabilityApi):
    """The availability API's authentication, scope, budget and access rule, and of its ``get`` only
    the fresh checks and the X-9 row (the same calls, in the same order); it answers no dates."""

    def get(self, request, version, public_id):
        _actor, referral = _actor_and_referral(request, public_id)
        personal_data_read(request, referral, Subject.REFERRAL, Purpose.BOOKING_ON_BEHALF)
        return Response({"department": None, "dates": [], "slots": []})


fresh_checks = FreshChecksApi.as_view()


@csrf_exempt
def book(request):
    body = json.loads(request.body)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(public_id=body["referral_id"])
        slot = Slot.objects.select_for_update().get(pk=body["slot_id"])
        if slot.booked >= slot.capacity:
            return JsonResponse({"errors": [{"code": "slot_full"}]}, status=409)
        counter, _ = TicketCounter.objects.select_for_update().get_or_create(
            department_id=slot.department_id, day=slot.day
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        booking = Booking.objects.create(
            referral=referral,
            person_id=referral.person_id,
            booked_by_id=referral.person_id,
            department_id=slot.department_id,
            slot=slot,
            day=slot.day,
            starts_at=slot.starts_at,
            ticket_sequence=counter.last_number,
            ticket_number=f"B-{slot.day:%d%m}-{counter.last_number:03d}",
        )
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return JsonResponse({"id": str(booking.public_id), "ticket_number": booking.ticket_number}, status=201)


@csrf_exempt
def book_same_work(request):
    """The booking API's database work, statement for statement, in a plain view.

    The same reads (token, person, referral, the referral locked, its bookings, pilot windows, the
    department, the consent, the slot locked, the calendar's version) and the same writes (slot
    count, ticket upsert, booking, audit entry, visit history, waiting list, SMS outbox row and its
    event), in one transaction, written straight: no DRF, no serializers, no rule logic, no signals,
    no template rendering, no broker publish after commit. The API's cost above this view is the
    cost of its code, not of its database work.
    """
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Max

    from notifications.models import Message, MessageEvent, Template
    from portal.accounts.models import ApiToken
    from portal.consent.models import Consent
    from portal.people.models import Person
    from portal.workcal.models import CalendarException
    from queue_booking.locks import ticket_counter_take_next
    from queue_booking.models import BookingTransition, Pilot, WaitlistEntry

    body = json.loads(request.body)
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    token = ApiToken.objects.select_related("integrator__user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None:
        return JsonResponse({"errors": [{"code": "token_invalid"}]}, status=401)
    person = Person.objects.filter(iin=request.headers.get("X-Citizen-IIN", "")).first()
    # the named person has a referral of the integrator's organisations; the referral is one
    Referral.objects.filter(person_id=person.pk, medical_organisation__integrator=token.integrator).exists()
    Referral.objects.filter(public_id=body["referral_id"], medical_organisation__integrator=token.integrator).first()
    now = timezone.now()
    # the audit entry is written by hand below, as one plain INSERT (not by auditlog's signal)
    with transaction.atomic(), disable_auditlog():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("person__registration_atu__region")
            .get(public_id=body["referral_id"])
        )
        list(Booking.objects.filter(referral=referral, status__in=["booked", "arrived", "to_rebook"]))
        list(Pilot.objects.filter(regions=referral.person.registration_atu.region_id).values_list("ends_on"))
        department = department_for_atu(atu=referral.person.registration_atu)
        Consent.objects.filter(subject=referral.person, scope="personal_data", withdrawn_at__isnull=True).exists()
        slot = Slot.objects.select_for_update().get(pk=body["slot_id"])
        CalendarException.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        if slot.booked >= slot.capacity:
            return JsonResponse({"errors": [{"code": "slot_full"}]}, status=409)
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
        sequence = ticket_counter_take_next(department_id=department.pk, day=slot.day)
        booking = Booking.objects.create(
            referral=referral,
            person=referral.person,
            booked_by=person,
            department=department,
            slot=slot,
            day=slot.day,
            starts_at=slot.starts_at,
            ticket_sequence=sequence,
            ticket_number=f"S-{slot.day:%d%m}-{sequence:03d}",
        )
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Booking),
            object_pk=str(booking.pk),
            object_id=booking.pk,
            object_repr=booking.ticket_number,
            action=LogEntry.Action.CREATE,
            changes={"status": [None, "booked"]},
            actor=token.integrator.user,
            timestamp=now,
        )
        BookingTransition.objects.create(booking=booking, from_status="", to_status="booked", at=now)
        WaitlistEntry.objects.filter(person=referral.person, department=department, left_at__isnull=True).update(
            left_at=now
        )
        template = Template.objects.get(key="queue_booked")
        with transaction.atomic():  # the outbox's savepoint around its insert
            message = Message.objects.create(
                template=template,
                template_version=template.version,
                dedupe_key=f"same-work:{booking.pk}",
                recipient=referral.person,
                phone=referral.person.phone,
                language="ru",
                text=f"Talon {booking.ticket_number}",
                encoding="gsm7",
                segments=1,
                status="created",
                next_attempt_at=now,
            )
        MessageEvent.objects.create(message=message, status="created", at=now)
    return JsonResponse({"id": str(booking.public_id), "ticket_number": booking.ticket_number}, status=201)
