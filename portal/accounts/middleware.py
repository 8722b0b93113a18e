"""Session middleware of the accounts app: the citizen's idle timeout and no-store on personal pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

MSG_SIGNED_OUT_IDLE = _("You were signed out after %(minutes)s minutes without activity. Sign in again.")

# Session key: when the citizen's session last saw a request (POSIX seconds). Only sessions opened by
# the SMS-code sign-in carry it, so staff sessions keep Django's own lifetime.
LAST_SEEN_KEY = "citizen_last_seen"
# The last-seen time is written at most this often, so reading pages does not save the session on
# every request; the session record and cookie live this much longer than the idle limit, and this
# middleware ends the session exactly at the limit.
TOUCH_SECONDS = 60


def _idle_seconds() -> int:
    return settings.CITIZEN_SESSION_IDLE_MINUTES * 60


def citizen_session_start(request) -> None:
    """Called right after a citizen signs in: from now on the session ends after the idle limit."""
    request.session[LAST_SEEN_KEY] = int(timezone.now().timestamp())
    request.session.set_expiry(_idle_seconds() + TOUCH_SECONDS)


class CitizenIdleTimeoutMiddleware:
    """End a citizen's session after ``CITIZEN_SESSION_IDLE_MINUTES`` without a request (sec17)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None:
            now = int(timezone.now().timestamp())
            if now - last_seen > _idle_seconds():
                logout(request)
                messages.info(request, MSG_SIGNED_OUT_IDLE % {"minutes": settings.CITIZEN_SESSION_IDLE_MINUTES})
            elif now - last_seen >= TOUCH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
                request.session.set_expiry(_idle_seconds() + TOUCH_SECONDS)
        return self.get_response(request)


class PersonalPagesNoStoreMiddleware:
    """``Cache-Control: no-store`` (``never_cache``) on every answer to a signed-in caller (sec17).

    A signed-in caller's pages are personal: the cabinet, booking, ticket, the staff desk, the admin,
    and API answers (DRF sets ``request.user`` for token callers too). The sign-in pages carry
    ``never_cache`` themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
