"""X-6: the benefits' deadlines on the core's radar (``portal.deadlines``), registered from ``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from benefits.selectors import application_deadlines, information_request_deadlines
from portal.deadlines.registry import DeadlineSource

SOURCES = [
    DeadlineSource(
        kind="benefit_application",
        title=_("Benefits: decision on an application"),
        items=application_deadlines,
        rule="B-1, B-3, B-9, B-14",
    ),
    DeadlineSource(
        kind="benefit_information",
        title=_("Benefits: answer to a request for information"),
        items=information_request_deadlines,
        rule="B-9",
    ),
]
