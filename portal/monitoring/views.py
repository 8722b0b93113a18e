"""``/metrics``: the Prometheus exposition, for the operator's monitoring system only."""

from __future__ import annotations

import hmac
from ipaddress import ip_address

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from portal.accounts.access import ObjectCheck, allow, operator
from portal.monitoring.metrics import exposition

OPERATOR_MONITORING = ObjectCheck(
    "operator_monitoring",
    "the operator's monitoring system: a request with the METRICS_TOKEN bearer token or from an address "
    "in METRICS_ALLOWED_IPS; counts and timings only, nothing personal; anyone else: not found",
)


def metrics_allowed(request: HttpRequest) -> bool:
    token: str = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    try:
        address = ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address == ip_address(allowed) for allowed in settings.METRICS_ALLOWED_IPS)


@allow(operator(OPERATOR_MONITORING))
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        raise Http404  # the endpoint's existence is not told to anyone else
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
