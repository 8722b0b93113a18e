"""Baseline views: the same database work as the booking API, with nothing else.

No authentication, no serializers, no rule checks beyond capacity and the one-active-booking
constraint, no SMS outbox, no audit, no history. What the real API costs above these is the price
of its rules, audit and notifications.
"""

import datetime as dt
import json

from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from portal.referrals.models import Referral
from portal.territory.selectors import department_for_atu
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
