"""X-6: the queue's deadlines on the core's radar (``portal.deadlines``), registered from ``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.deadlines.registry import DeadlineSource
from queue_booking.selectors import incident_deadlines

SOURCES = [
    DeadlineSource(
        kind="queue_incident",
        title=_("Queue pilot: incident to report to the methodology department"),
        items=incident_deadlines,
        rule="Q-13",
    ),
]
