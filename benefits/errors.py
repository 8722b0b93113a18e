"""The benefits' error codes and grounds, each with its message (B-3, B-10)."""

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode

# B-3: grounds of automatic non-acceptance of a funeral payment application
DATA_INCOMPLETE = ErrorCode(
    "data_incomplete", _("The data are incomplete: the civil registry has no record of this death.")
)
DEATH_DATE_IN_FUTURE = ErrorCode("death_date_in_future", _("The date of death is in the future."))
PAYMENT_ALREADY_ASSIGNED = ErrorCode(
    "payment_already_assigned", _("A funeral payment has already been assigned for this deceased.")
)
APPLICATION_ALREADY_FILED = ErrorCode(
    "application_already_filed", _("An application for a funeral payment for this deceased has already been filed.")
)
NOT_A_RECIPIENT = ErrorCode(
    "not_a_recipient",
    _(
        "On the date of death the deceased did not receive an age pension, a basic state pension, a state "
        "social benefit or a special state benefit."
    ),
)
LATER_THAN_THREE_YEARS = ErrorCode(
    "later_than_three_years", _("The application was filed more than three years after the death.")
)
# The port: a state system that does not answer is never read as "no record"
STATE_SYSTEM_UNAVAILABLE = ErrorCode(
    "state_system_unavailable", _("A state information system does not answer. Please try again later.")
)
APPLICANT_MISSING = ErrorCode("applicant_missing", _("Give the applicant's IIN or, for a legal entity, the BIN."))
APPLICANT_BIN_INVALID = ErrorCode("bin_invalid", _("This is not a BIN of a legal entity."))
# item 2: the decision waits, never an amount from a missing row
RATE_MISSING = ErrorCode(
    "rate_missing", _("The rate table has no %(what)s for %(when)s: the decision waits until staff add it.")
)
# B-5: a document the state systems do not confirm and the applicant did not attach (B-3 (1): incomplete data)
DEATH_CERTIFICATE_MISSING = ErrorCode(
    "death_certificate_missing",
    _(
        "The civil registry does not confirm the death: give the date of death and attach the death certificate "
        "(or a document of the death issued abroad, with an apostille)."
    ),
)
BURIER_IDENTITY_MISSING = ErrorCode(
    "burier_identity_missing",
    _("The state systems do not confirm the identity of the person who buried: attach their identity document."),
)
BURIER_REGISTRATION_MISSING = ErrorCode(
    "burier_registration_missing",
    _(
        "The state systems do not confirm the registration of the legal entity: attach the certificate of state "
        "registration (or the patent of the individual entrepreneur)."
    ),
)
CODE_WRONG = ErrorCode("code_wrong", _("The code is wrong or has expired."))

# the grounds a non-accepted application names, by code
GROUNDS = {
    e.code: e
    for e in (
        DATA_INCOMPLETE,
        DEATH_DATE_IN_FUTURE,
        PAYMENT_ALREADY_ASSIGNED,
        APPLICATION_ALREADY_FILED,
        NOT_A_RECIPIENT,
        LATER_THAN_THREE_YEARS,
        DEATH_CERTIFICATE_MISSING,
        BURIER_IDENTITY_MISSING,
        BURIER_REGISTRATION_MISSING,
    )
}
# B-5: the form field (the document to attach) each of these grounds names
DOCUMENT_FIELDS = {
    DEATH_CERTIFICATE_MISSING.code: "death_certificate",
    BURIER_IDENTITY_MISSING.code: "burier_identity",
    BURIER_REGISTRATION_MISSING.code: "burier_registration",
}

# B-6, B-12: the State Corporation's filing of the disability benefits
NO_DISABILITY_ACT = ErrorCode(
    "no_disability_act", _("No registered MSE act establishes this person's disability: there is nothing to assign.")
)
DISABILITY_ALREADY_APPLIED = ErrorCode(
    "disability_application_exists",
    _("An application for this benefit under this person's MSE act has already been filed."),
)
