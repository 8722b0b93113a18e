"""Pages of the notifications app: the development inbox (debug only, and only when enabled)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from notifications import selectors
from portal.accounts.access import DEVELOPMENT_ONLY, allow, anonymous
from portal.validators import format_phone, normalize_phone


@allow(anonymous(DEVELOPMENT_ONLY))
@require_http_methods(["GET", "POST"])
def dev_inbox(request):
    """The SMS the ``database`` backend kept, grouped by phone, as each phone would show them."""
    # Routed only with SMS_DEV_INBOX; refused here too should DEBUG be switched off at run time.
    if not (settings.DEBUG and settings.SMS_DEV_INBOX):
        raise Http404
    # The filter is posted, never put in the address: no phone number in a URL or an access log.
    phone = request.POST.get("phone", "")
    try:
        phone = normalize_phone(phone) if phone else ""
    except ValidationError:
        phone = ""
    phones: dict[str, list] = {}
    for message in selectors.dev_inbox_list(phone=phone):
        phones.setdefault(format_phone(message.phone), []).append(message)
    return render(request, "notifications/dev_inbox.html", {"phones": phones, "phone": phone})
