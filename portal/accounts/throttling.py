"""One request budget per API caller, kept in the ``throttle`` cache (Redis in production).

An integrator's token, a signed-in person (session) and an anonymous client address each have their
own limit (``API_RATE_INTEGRATOR``, ``API_RATE_USER``, ``API_RATE_ANON``). Over it the API answers
429 in the one error shape (code ``throttled``) with ``Retry-After``; nothing was done.

When the cache is unreachable (Redis down) the budget fails open: the request is let through and
the cache backend logs the error (``portal.cache``). An API that answers without budgets beats an
API that answers nothing.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework import throttling

from portal.accounts.models import ApiToken


def client_address(request) -> str:
    """The client's address, as the API budgets see it: the connection's, or the one the configured
    proxies (``API_NUM_PROXIES``) put in ``X-Forwarded-For``. Sign-in limits and django-axes use it too,
    so a client cannot choose its own address by sending the header."""
    return throttling.BaseThrottle().get_ident(request) or ""


def _caller(request) -> tuple[str, object]:
    if isinstance(request.auth, ApiToken):
        return "integrator", request.auth.pk
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "user", user.pk
    return "anon", None


class ApiRateThrottle(throttling.SimpleRateThrottle):
    """DRF's sliding-window throttle with the rate chosen by who calls."""

    RATES = {"integrator": "API_RATE_INTEGRATOR", "user": "API_RATE_USER", "anon": "API_RATE_ANON"}

    @property
    def cache(self):
        # Looked up per request, not at import: the cache configured now (tests swap it).
        return caches["throttle"]

    def __init__(self):
        # The rate depends on the caller: set per request in allow_request, not here.
        self.kind = None

    def allow_request(self, request, view):
        self.kind, self.ident = _caller(request)
        self.rate = getattr(settings, self.RATES[self.kind])
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = self.ident if self.ident is not None else self.get_ident(request)
        return f"throttle:api:{self.kind}:{ident}"
