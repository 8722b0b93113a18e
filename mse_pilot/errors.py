"""The remote pilot's error codes and messages (``portal.errors.ErrorCode``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode

# P-4: one item per mandatory examination missing from a form routed to the pilot.
EXAMINATION_MISSING = ErrorCode(
    "examination_missing",
    _("A mandatory examination is missing (P-3): %(code)s, %(title)s."),
)
EXAMINATION_MISSING_AT_DIAGNOSIS = ErrorCode(
    "examination_missing",
    _("A mandatory examination is missing (P-3): %(code)s, %(title)s (the one made at diagnosis)."),
)
# An examination code sent twice on one form.
EXAMINATION_DUPLICATE = ErrorCode(
    "examination_duplicate",
    _("The examination %(code)s is sent more than once."),
)
