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

# Item 6: the expert's conclusion and the panel's outcome.
NOT_ON_PANEL = ErrorCode("not_on_panel", _("You are not on the panel of this case."))
REDISTRIBUTED_AWAY = ErrorCode(
    "case_redistributed",
    _("This case was redistributed to another expert (E-9): your conclusion is no longer taken."),
)
ALREADY_SIGNED = ErrorCode("conclusion_already_signed", _("Your conclusion on this case is signed already."))
ALREADY_DECLINED = ErrorCode("assignment_declined", _("You declined this case: a conclusion is no longer taken."))
REASONS_REQUIRED = ErrorCode("reasons_required", _("Give the reasons of your conclusion."))
DECLINE_REASON_REQUIRED = ErrorCode("decline_reason_required", _("Say why you decline the case."))
NO_DEPARTMENT = ErrorCode(
    "no_department",
    _("No MSE department serves the person's registration address: the act cannot be numbered. Tell the staff."),
)
SIGNATURE_REQUIRED = ErrorCode("signature_required", _("The conclusion must carry your electronic signature (CMS)."))
# Methodology control.
NOT_METHODOLOGY = ErrorCode("not_methodology_staff", _("Only the methodology department's staff decide here."))
NOT_AT_METHODOLOGY = ErrorCode("case_not_at_methodology", _("The case is not at the methodology department."))
CONCLUSION_OTHER_CASE = ErrorCode("conclusion_other_case", _("The conclusion is not of this case."))
