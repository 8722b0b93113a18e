"""What a verification's reason code means, in the signer's language, for any signed document.

A channel with its own wording (the referral intake names the VKK chair) keeps its own map and
falls back to this one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MSG_UNREADABLE = _("The signature is not a readable CMS signature with the signer's certificate.")
MSG_CONTENT = _(
    "The signature does not match the document: the document changed after signing, or another one was signed."
)
MSG_UNTRUSTED = _("The certificate was not issued by a trusted certification authority (the national CA).")
MSG_EXPIRED = _("The certificate was not valid at the signing time.")
MSG_REVOKED = _("The certificate is revoked.")
MSG_SIGNER = _("The document is signed with someone else's certificate.")
MSG_ORGANISATION = _("The certificate is not of the organisation that must sign.")
MSG_ROLE = _("The certificate is not a signing certificate (its key usage does not allow signing documents).")
MSG_TOO_LARGE = _("The signature is too large.")
MSG_UNSUPPORTED = _("The signature's algorithm is not supported.")
MSG_UNAVAILABLE = _("The signature cannot be verified right now. Try again in a few minutes.")

REASON_MESSAGES: dict[str, Promise] = {
    "empty": MSG_UNREADABLE,
    "not_base64": MSG_UNREADABLE,
    "not_cms": MSG_UNREADABLE,
    "no_signer": MSG_UNREADABLE,
    "no_certificate": MSG_UNREADABLE,
    "too_large": MSG_TOO_LARGE,
    "content_mismatch": MSG_CONTENT,
    "bad_signature": MSG_CONTENT,
    "unsupported_algorithm": MSG_UNSUPPORTED,
    "untrusted_chain": MSG_UNTRUSTED,
    "issuer_not_trusted": MSG_UNTRUSTED,
    "server_refused": MSG_UNTRUSTED,
    "certificate_expired": MSG_EXPIRED,
    "certificate_revoked": MSG_REVOKED,
    "iin_mismatch": MSG_SIGNER,
    "bin_mismatch": MSG_ORGANISATION,
    "role_missing": MSG_ROLE,
    "no_trusted_roots": MSG_UNAVAILABLE,
    "gost_no_backend": MSG_UNAVAILABLE,
    "unavailable": MSG_UNAVAILABLE,
}


def signature_reason_message(reason: str) -> Promise:
    """The sentence for a verification's reason code (an unreadable signature for a code not listed)."""
    return REASON_MESSAGES.get(reason, MSG_UNREADABLE)
