"""E-1: publishing an announcement of a selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from expert_registry.errors import ALREADY_PUBLISHED, PUBLISH_TOO_LATE
from expert_registry.models import Announcement
from portal.errors import ApplicationError
from portal.workcal.services import working_calendar

# E-1 (point 4): published 10 working days before acceptance of documents starts.
PUBLICATION_LEAD_WORKING_DAYS = 10


def announcement_latest_publication_day(*, acceptance_starts_on: dt.date) -> dt.date:
    """The last day an announcement may be published: ten whole working days lie between it and the start.

    [A] "за 10 рабочих дней до начала": the day of publication and the first day of acceptance do not
    count; the working days strictly between them must be at least ten.
    """
    calendar = working_calendar()
    day, counted = acceptance_starts_on, 0
    while counted < PUBLICATION_LEAD_WORKING_DAYS:
        day -= dt.timedelta(days=1)
        counted += calendar.is_working_day(day)
    return day - dt.timedelta(days=1)


@transaction.atomic
def announcement_publish(*, announcement: Announcement, actor: Any, now: dt.datetime | None = None) -> Announcement:
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.published_at is not None:
        raise ApplicationError(ALREADY_PUBLISHED, field="published_at")
    now = now or timezone.now()
    latest = announcement_latest_publication_day(acceptance_starts_on=announcement.acceptance_starts_on)
    if timezone.localdate(now) > latest:
        raise ApplicationError(
            PUBLISH_TOO_LATE.format(latest=date_format(latest, "d.m.Y")), field="acceptance_starts_on"
        )
    announcement.published_at, announcement.published_by = now, actor
    announcement.save(update_fields=["published_at", "published_by", "updated_at"])
    return announcement
