"""Request latency for Prometheus (``portal_http_request_duration_seconds``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from portal.monitoring.metrics import REQUEST_LATENCY

UNMATCHED = "unmatched"  # no URL pattern: one label for every unknown path, not one per path


class RequestLatencyMiddleware:
    """Times each request through every other middleware and the view. The route label is the URL
    pattern (never the path: no identifier or personal data becomes a label)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else UNMATCHED
        REQUEST_LATENCY.labels(
            method=request.method if request.method in _METHODS else "other",
            route=route,
            status=f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - started)
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
