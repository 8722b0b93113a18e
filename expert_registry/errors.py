"""The registry's refusals: a machine code and a message in the user's language each."""

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode

TRANSITION_NOT_ALLOWED = ErrorCode("status_transition_not_allowed", _("An expert cannot go from %(old)s to %(new)s."))
INCAPACITY_DATES = ErrorCode("incapacity_dates_required", _("Give the first and last day of the incapacity."))
LEAVE_DATES = ErrorCode("leave_dates_invalid", _("The last day of the leave cannot be before its first day."))
LEAVE_OVERLAPS = ErrorCode("leave_overlaps", _("This leave overlaps another leave of the expert (%(dates)s)."))
LEAVE_NOT_IN_REGISTRY = ErrorCode(
    "leave_not_in_registry", _("Only an active or temporarily incapacitated expert can go on leave.")
)
EXCLUSION_GROUND = ErrorCode("exclusion_ground_required", _("Give the ground of exclusion (1-5)."))
IBAN_INVALID = ErrorCode("iban_invalid", _("This IBAN is not valid: %(reason)s."))
IBAN_NOT_KZ = ErrorCode("iban_not_kz", _("The IBAN must be a Kazakhstan account (KZ, 20 characters)."))
BIC_INVALID = ErrorCode("bic_invalid", _("This BIC is not valid: %(reason)s."))
STAFF_NEEDS_DEPARTMENT = ErrorCode(
    "department_required", _("MSE department staff need their department and its region.")
)
PUBLISH_TOO_LATE = ErrorCode(
    "publication_too_late",
    _(
        "The announcement must be published at least 10 working days before acceptance starts: "
        "publish by %(latest)s or move the start."
    ),
)
ALREADY_PUBLISHED = ErrorCode("already_published", _("The announcement is already published."))
ANNOUNCEMENT_CLOSED = ErrorCode("announcement_closed", _("Applications are accepted only from %(start)s to %(end)s."))
DUPLICATE_APPLICATION = ErrorCode(
    "application_duplicate", _("You already have an application under this announcement.")
)
EXCLUDED_FOR_EVER = ErrorCode(
    "excluded_for_ever",
    _(
        "You were excluded from the registry on ground 5 (the planned indicator missed more than 3 times): "
        "you cannot be included again."
    ),
)
ALREADY_IN_REGISTRY = ErrorCode("already_in_registry", _("You are already in the registry of experts."))
EMAIL_REQUIRED = ErrorCode("email_required", _("Give your e-mail: it is mandatory."))
CONSENT_REQUIRED = ErrorCode(
    "consent_required", _("Consent to the collection and processing of personal data is needed.")
)
TARIFF_REQUIRED = ErrorCode("tariff_not_accepted", _("Confirm that you accept the tariff and the terms of pay."))
WARNING_REQUIRED = ErrorCode("warning_not_acknowledged", _("Confirm that you have read this warning."))
NOSOLOGY_REQUIRED = ErrorCode("nosology_required", _("Choose at least one nosological form."))
SPECIALTY_NOT_ALLOWED = ErrorCode(
    "diploma_specialty_not_allowed",
    _("Only a diploma in general medicine, medical care (лечебное дело) or paediatrics qualifies."),
)
RECOGNITION_REQUIRED = ErrorCode(
    "recognition_required", _("A foreign diploma needs its document of recognition or nostrification.")
)
TRAINING_REQUIRED = ErrorCode(
    "training_required",
    _(
        "At least 60 hours (2 credits) of MSE training in the last 5 years are needed, unless you worked more "
        "than 5 years in MSE departments."
    ),
)
NOT_IN_TESTING = ErrorCode("not_in_testing", _("This application is not admitted to testing."))
TEST_DEADLINE_PASSED = ErrorCode("test_deadline_passed", _("The test had to be taken by %(date)s."))
RETAKE_USED = ErrorCode("retake_used", _("The one retake allowed has been used."))
ATTEMPT_OPEN = ErrorCode("attempt_open", _("Finish the test you started first."))
ATTEMPT_CLOSED = ErrorCode("attempt_closed", _("This test has already been submitted."))
PROCTORING_DONE = ErrorCode("proctoring_recorded", _("The proctoring conclusion of this test is already recorded."))
PROCTORING_DOCUMENT = ErrorCode(
    "technical_failure_act_required", _("A technical failure counts only with its act (number and date).")
)
NOT_SUBMITTED = ErrorCode("application_not_submitted", _("Only a submitted application can be checked."))
REFUSAL_GROUND_REQUIRED = ErrorCode("refusal_ground_required", _("Choose at least one ground of refusal."))
UPLOAD_KIND = ErrorCode("upload_kind", _("Choose which document this copy is."))
CHECKS_OPEN = ErrorCode(
    "state_checks_open",
    _("The documents are still being checked: a state system has not answered or a copy is not uploaded yet."),
)
CONTRACT_NOT_PENDING = ErrorCode("contract_not_pending", _("This contract is no longer awaiting a signature."))
CONTRACT_LATE = ErrorCode(
    "contract_deadline_passed",
    _("The contract had to be signed within 3 working days of inclusion, by %(date)s."),
)
SIGNATURE_REQUIRED = ErrorCode("signature_required", _("Sign the contract first: the signature field is empty."))
EVIDENCE_REQUIRED = ErrorCode("evidence_required", _("Give the evidence of the ground of exclusion."))
INDICATOR_NOT_MISSED = ErrorCode(
    "indicator_not_missed",
    _("Ground 5 needs the planned indicator missed more than 3 times; it was missed %(count)s times (%(months)s)."),
)
NOT_IN_REGISTRY = ErrorCode("not_in_registry", _("Only an active or temporarily incapacitated expert can be excluded."))
NO_FORMULA = ErrorCode("evaluation_formula_missing", _("No evaluation formula applies to this period: add a version."))
NO_TARIFF = ErrorCode("tariff_missing", _("No tariff is set for %(year)s: add it first."))
MODEM_ALREADY_LENT = ErrorCode("modem_already_lent", _("This modem is lent and not yet returned."))
MODEM_RETURN_DATE = ErrorCode("modem_return_date", _("The modem cannot be returned before it was issued."))
