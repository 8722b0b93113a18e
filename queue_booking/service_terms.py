"""S-3 at the desk: how long each of today's visitors has waited and been served, against the
service standard's one hour each.

The standard (S-3): served the day of the visit, waiting at most one hour and service at most one
hour. Waiting runs from arrival (check-in, ``arrived_at``) to being called in (``called_at``);
service from being called in to being served (``finished_at``). A wait or a service still running
is measured to ``now``. From ``QUEUE_S3_WARNING_MINUTES`` (50 by default) it is ``close`` to the
hour; past the hour, ``over``. Exactly one hour is within the standard.

A visit served or left without being called in (the desk skipped the call) has its wait measured to
when it finished, and no service time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from queue_booking.models import Booking

# S-3: at most one hour waiting, at most one hour service (the law's figure, not a setting).
S3_WAIT_LIMIT = dt.timedelta(hours=1)
S3_SERVICE_LIMIT = dt.timedelta(hours=1)

WITHIN, CLOSE, OVER = "within", "close", "over"


@dataclass(frozen=True)
class VisitTimes:
    booking: Booking
    waited: dt.timedelta | None  # None: not arrived
    waiting_now: bool  # arrived, not yet called in
    wait_state: str | None
    served_for: dt.timedelta | None  # None: not called in
    in_service_now: bool  # called in, not yet served
    service_state: str | None

    @property
    def waited_minutes(self) -> int | None:
        return None if self.waited is None else int(self.waited.total_seconds() // 60)

    @property
    def served_minutes(self) -> int | None:
        return None if self.served_for is None else int(self.served_for.total_seconds() // 60)

    @property
    def flagged(self) -> bool:
        return self.wait_state in (CLOSE, OVER) or self.service_state in (CLOSE, OVER)


def term_state(duration: dt.timedelta, *, limit: dt.timedelta, warning: dt.timedelta) -> str:
    if duration > limit:
        return OVER
    if duration >= warning:
        return CLOSE
    return WITHIN


def visit_times(*, booking: Booking, now: dt.datetime) -> VisitTimes:
    warning = dt.timedelta(minutes=settings.QUEUE_S3_WARNING_MINUTES)
    arrived, called, finished = booking.arrived_at, booking.called_at, booking.finished_at
    still_here = booking.status == Booking.Status.ARRIVED
    waited = served_for = None
    waiting_now = in_service_now = False
    if arrived is not None:
        wait_end = called or finished or (now if still_here else None)
        if wait_end is not None:
            waited = max(wait_end - arrived, dt.timedelta(0))
            waiting_now = called is None and finished is None and still_here
    if called is not None:
        service_end = finished or (now if still_here else None)
        if service_end is not None:
            served_for = max(service_end - called, dt.timedelta(0))
            in_service_now = finished is None and still_here
    return VisitTimes(
        booking=booking,
        waited=waited,
        waiting_now=waiting_now,
        wait_state=None if waited is None else term_state(waited, limit=S3_WAIT_LIMIT, warning=warning),
        served_for=served_for,
        in_service_now=in_service_now,
        service_state=None if served_for is None else term_state(served_for, limit=S3_SERVICE_LIMIT, warning=warning),
    )


def visits_flagged(*, bookings: Iterable[Booking], now: dt.datetime) -> list[VisitTimes]:
    """The visits whose wait or service is close to the hour or over it, the longest wait first.
    Works on the rows already read for the desk: no query."""
    times = [visit_times(booking=b, now=now) for b in bookings if b.arrived_at is not None]
    flagged = [t for t in times if t.flagged]
    # still running first (someone to act on now), then the longest wait
    return sorted(
        flagged, key=lambda t: (not (t.waiting_now or t.in_service_now), -(t.waited or dt.timedelta(0)), t.booking.pk)
    )
