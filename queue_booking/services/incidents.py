"""Q-13: the pilot's incident log and its reporting deadline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.workcal.services import WORKDAY_END, WorkingCalendar
from queue_booking.models import Incident


def incident_report_due(*, found_at: dt.datetime) -> dt.datetime:
    """[A] Reported within 3 working days of being found: by the end (18:00) of the third working
    day after the day it was found."""
    day = WorkingCalendar().add_working_days(timezone.localdate(found_at), settings.QUEUE_INCIDENT_REPORT_WORKING_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, WORKDAY_END))


@transaction.atomic
def incident_record(*, incident: Incident, actor_user=None) -> Incident:
    """Save an incident (new or edited) with its reporting deadline."""
    if incident.found_at is None:
        incident.found_at = timezone.now()
    incident.report_due_at = incident_report_due(found_at=incident.found_at)
    if incident.recorded_by_id is None and getattr(actor_user, "pk", None):
        incident.recorded_by = actor_user
    incident.save()
    return incident


@transaction.atomic
def incident_mark_reported(*, incident: Incident, reported_to: str, now: dt.datetime | None = None) -> Incident:
    incident.reported_at = now or timezone.now()
    incident.reported_to = reported_to
    incident.save(update_fields=["reported_at", "reported_to", "updated_at"])
    return incident
