"""The signing widget's context: what ``templates/portal/_signing.html`` needs to sign a document.

The page gives the content to sign (the server's canonical bytes of the document) and the id of
the form field that receives the CMS; the widget offers NCALayer and, in development, the demo
signer (``portal.signatures.views.demo_sign``). A document that depends on what the form holds
(files attached, fields filled) gives ``content_url``: before signing, the script sends the form
there and signs the canonical content the server answers (``{"content": base64, "text": ...}``);
the server builds it again from the form it receives and verifies the signature against it.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "working": _("Signing… Follow NCALayer's window: choose your key and enter its password."),
    "signed": _("Signed. Check the document once more and send the form."),
    "not_running": _(
        "NCALayer is not running on this computer. Start NCALayer (install it from pki.gov.kz if you "
        "do not have it), then press the button again."
    ),
    "cancelled": _("Signing was cancelled in NCALayer. Nothing was signed; you can try again."),
    "failed": _("NCALayer could not sign the document."),
    "invalid": _("Correct the form first: nothing was signed."),
}


def demo_signer_enabled() -> bool:
    """The demo signer exists only in development (DEBUG) with ``SIGNATURE_DEMO_SIGNER`` on."""
    return bool(settings.DEBUG and settings.SIGNATURE_DEMO_SIGNER)


def signing_widget(*, content: bytes, target: str, name: str = "signing", content_url: str = "") -> dict[str, Any]:
    """Context for ``{% include "portal/_signing.html" with signing=... %}``.

    ``target`` is the id of the (hidden) form field that receives the base64 CMS; ``name`` keeps
    two widgets on one page apart; ``content_url`` (optional) answers the content for the form as
    filled in (see above).
    """
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "target": target,
        "messages_id": f"{name}-messages",
        "messages": {key: str(text) for key, text in MESSAGES.items()},
        "language": (get_language() or "ru")[:2],
        "demo_url": reverse("signatures:demo-sign") if demo_signer_enabled() else "",
        "content_url": content_url,
    }
