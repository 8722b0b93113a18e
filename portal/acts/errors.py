"""Every error code of the register of MSE acts, with its message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode

GROUP_REQUIRED = ErrorCode("group_required", _("A person recognised as disabled is given a group (I, II or III)."))
GROUP_NOT_RECOGNISED = ErrorCode(
    "group_without_recognition", _("A group is given only to a person recognised as disabled.")
)
CAUSE_REQUIRED = ErrorCode("cause_required", _("The cause of disability is required when the person is recognised."))
TERM_REQUIRED = ErrorCode(
    "term_required", _("A disability is established until a date, or without a re-examination date: give one.")
)
TERM_AND_WITHOUT = ErrorCode(
    "term_and_without_term", _("A disability has either a date until which it is established or no date, not both.")
)
TERM_NOT_RECOGNISED = ErrorCode(
    "term_without_recognition", _("A term is given only to a person recognised as disabled.")
)
TERM_IN_PAST = ErrorCode("term_before_examination", _("The term ends before the examination date."))
WITHOUT_TERM_CHILD = ErrorCode(
    "without_term_child", _("A child's disability is established until a date, never without a re-examination date.")
)
GENERAL_LOSS_RANGE = ErrorCode(
    "general_capacity_loss_range", _("The degree of loss of general working capacity is from 30 to 100%.")
)
PROFESSIONAL_LOSS_RANGE = ErrorCode(
    "professional_capacity_loss_range", _("The degree of loss of professional working capacity is from 5 to 100%.")
)
ABSENTIA_CONSENT = ErrorCode(
    "absentia_consent_required",
    _("An examination in absentia needs the consent of the person or their legal representative."),
)
EXAMINED_FUTURE = ErrorCode("examined_in_future", _("The examination date is in the future."))
EXAMINED_BEFORE_BIRTH = ErrorCode("examined_before_birth", _("The examination date is before the person was born."))
REFERRAL_OTHER_PERSON = ErrorCode("referral_other_person", _("The referral is of another person."))
CATEGORY_AGE = ErrorCode("category_age", _("The category does not match the person's age on the examination date."))
SIGNER_UNKNOWN = ErrorCode(
    "signer_unknown", _("Your account has no signing certificate IIN: ask an administrator to record it.")
)
SIGNATURE_REQUIRED = ErrorCode("signature_required", _("The conclusion must carry your electronic signature (CMS)."))
SIGNATURE_UNREADABLE = ErrorCode(
    "signature_unreadable", _("The signature is not a readable CMS signature with the signer's certificate.")
)
SIGNATURE_CONTENT = ErrorCode("signature_content_mismatch", _("The signature does not match the content of the act."))
SIGNATURE_UNTRUSTED = ErrorCode(
    "signature_untrusted", _("The signer's certificate does not lead to a trusted certification authority.")
)
SIGNATURE_EXPIRED = ErrorCode("signature_expired", _("The signer's certificate was not valid at the signing time."))
SIGNATURE_REVOKED = ErrorCode("signature_revoked", _("The signer's certificate is revoked."))
SIGNATURE_SIGNER = ErrorCode("signature_not_yours", _("The act is not signed with your own certificate."))
SIGNATURE_UNAVAILABLE = ErrorCode(
    "signature_unavailable", _("The signature cannot be verified right now. Try again later.")
)
PLAN_PLACE = ErrorCode("plan_place", _("Only a field session or a home visit is planned (S-4)."))
PLAN_PAST = ErrorCode("plan_in_past", _("The planned date is in the past."))
PLAN_TWICE = ErrorCode("plan_exists", _("This referral already has an examination planned on this day."))
REFUSAL_DETAILS = ErrorCode("details_required", _("Say what was found: the details of the refusal are required."))
GROUND_INVALID = ErrorCode(
    "ground_invalid",
    _("The ground must be one of the law's two: unreliable documents or non-compliance with the MSE Rules."),
)
REFERRAL_NOT_FOUND = ErrorCode("referral_not_found", _("No referral of your department with this id."))
