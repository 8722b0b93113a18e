"""The reports' error codes, each with its message in the user's language."""

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode

REPORT_UNKNOWN = ErrorCode("report_unknown", _("There is no such report."))
MONTH_INVALID = ErrorCode("month_invalid", _("Give the month as YYYY-MM."))
MONTH_IN_FUTURE = ErrorCode(
    "month_in_future", _("This month has not begun yet: a report covers the current month or an earlier one.")
)
SCOPE_NOT_ALLOWED = ErrorCode("scope_not_allowed", _("This region or department is outside your area."))
REPORT_NOT_READY = ErrorCode(
    "report_not_ready", _("The report is still being built (or its building failed): export it once it is ready.")
)
