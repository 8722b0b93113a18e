"""One request budget per API caller, kept in the ``throttle`` cache (Redis in production).

An integrator's token, a signed-in person (session) and an anonymous client address each have their
own limit (``API_RATE_INTEGRATOR``, ``API_RATE_USER``, ``API_RATE_ANON``). Over it the API answers
429 in the one error shape (code ``throttled``) with ``Retry-After``; nothing was done.

The budget is a sliding window estimated from two fixed windows' counters (the current one, and the
previous one weighted by how much of it the sliding window still covers): constant work and one
cache round trip per request (a Lua script on Redis, which also makes check-and-count atomic across
web processes), where DRF's own throttle reads and rewrites the list of every request's time in the
window. A refused request is not counted.

When the cache is unreachable (Redis down) the budget fails open: the request is let through and
the error is logged (``portal.cache``). An API that answers without budgets beats an API that
answers nothing.
"""

import logging
import math
import time

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


class ApiRateThrottle(throttling.BaseThrottle):
    """A sliding-window budget with the rate chosen by who calls."""

    RATES = {"integrator": "API_RATE_INTEGRATOR", "user": "API_RATE_USER", "anon": "API_RATE_ANON"}

    def allow_request(self, request, view):
        kind, ident = _caller(request)
        limit, duration = throttling.SimpleRateThrottle.parse_rate(None, getattr(settings, self.RATES[kind]))
        if ident is None:
            ident = self.get_ident(request)
        now = time.time()
        window = int(now // duration)
        elapsed = now - window * duration
        weight = 1 - elapsed / duration
        key = f"throttle:api:{kind}:{ident}"
        try:
            allowed, current, previous = _take(
                caches["throttle"], f"{key}:{window}", f"{key}:{window - 1}", weight, limit, duration
            )
        except Exception:
            logger.warning("API request budget unavailable: request let through", exc_info=True)
            return True
        if not allowed:
            self._wait = _seconds_until_allowed(current, previous, limit, duration, elapsed)
        return allowed

    def wait(self):
        return getattr(self, "_wait", None)


logger = logging.getLogger("portal.cache")

# KEYS: the current and the previous window's counters; ARGV: the previous window's weight, the
# limit, the counters' lifetime. Returns {allowed, current, previous}.
_TAKE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[1]) + current + 1 > tonumber(ARGV[2]) then
    return {0, current, previous}
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, current + 1, previous}
"""


def _take(cache, current_key: str, previous_key: str, weight: float, limit: int, duration: int):
    """Count this request in the current window if the estimate stays within ``limit``."""
    client = getattr(getattr(cache, "client", None), "get_client", None)
    if client is not None:  # django-redis: one round trip, atomic
        redis = client(write=True)
        script = getattr(cache, "_portal_take", None)
        if script is None:
            script = cache._portal_take = redis.register_script(_TAKE)
        allowed, current, previous = script(
            keys=[cache.make_key(current_key), cache.make_key(previous_key)],
            args=[repr(weight), limit, 2 * duration],
            client=redis,
        )
        return bool(allowed), int(current), int(previous)
    # any other cache (the embedded default keeps budgets in process memory)
    found = cache.get_many([current_key, previous_key])
    current, previous = found.get(current_key, 0), found.get(previous_key, 0)
    if previous * weight + current + 1 > limit:
        return False, current, previous
    if not cache.add(current_key, 1, timeout=2 * duration):
        cache.incr(current_key)
    return True, current + 1, previous


def _seconds_until_allowed(current: int, previous: int, limit: int, duration: int, elapsed: float) -> int:
    """Seconds until the estimate lets one more request in (``Retry-After``), at least 1."""
    if current + 1 > limit:  # the current window alone is full: wait for the next one
        return max(1, math.ceil(duration - elapsed))
    # the previous window's share must fall: previous * (1 - (elapsed + t) / duration) <= limit - current - 1
    t = duration * (1 - (limit - current - 1) / previous) - elapsed
    return max(1, math.ceil(t))
