from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

from portal import health
from portal.accounts.access import PUBLIC, allow, anonymous
from portal.errors import ErrorItem, error_body

MSG_BAD_REQUEST = _("The address or the form could not be read. Go back and try again.")
MSG_FORBIDDEN = _("You are signed in with an account that has no access to this page, or you are not signed in.")
MSG_NOT_FOUND = _("There is no page at this address. It may have moved, or the link is mistyped.")
MSG_SERVER_ERROR = _("Something went wrong on our side. Nothing was saved half-way; try again in a few minutes.")


@allow(anonymous(PUBLIC))
def home(request):
    return render(request, "portal/home.html")


@allow(anonymous(PUBLIC))  # the state of the service, nothing personal
def healthz(request):
    """The state of each component, for the load balancer, docker-compose and operators.

    ``components`` names each one ``ok`` or ``down``. A cache or broker outage (Redis) answers 200
    with ``status: degraded``: the portal still serves pages and the API, bookings commit, SMS wait
    in the outbox; taking every instance out of the load balancer then would turn a partial outage
    into a full one. Only a database outage answers 503 (``status: down``): without it nothing
    works, and the instance should get no traffic. ``celery_heartbeat`` is when the beat-scheduled
    heartbeat last ran on a worker (null: never, or the cache is down); ``beat`` judges its age
    against ``HEALTH_BEAT_MAX_AGE_SECONDS``: ``late`` makes the status ``degraded`` too (nothing
    periodic runs, but every request is still served); ``unknown`` (no heartbeat recorded) does not.
    """
    states = health.components()
    beat = health.beat(cache_up=states["cache"] == health.OK)
    if states["database"] != health.OK:
        status, code = "down", 503
    elif all(state == health.OK for state in states.values()) and beat["state"] != health.BEAT_LATE:
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    body = {"status": status, "components": states, "celery_heartbeat": beat["last_ran"], "beat": beat}
    return JsonResponse(body, status=code)


# --- error pages: a page in the citizen's language, or the API's one JSON error shape -------------
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, code: str, title, text):
    if _is_api(request):
        return JsonResponse(error_body([ErrorItem(None, code, str(text))]), status=status)
    return render(request, "_error_page.html", {"error_title": title, "error_text": text}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("The request could not be read"), MSG_BAD_REQUEST)


def permission_denied(request, exception=None):
    return _error(request, 403, "permission_denied", _("You cannot open this page"), MSG_FORBIDDEN)


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", _("Page not found"), MSG_NOT_FOUND)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body([ErrorItem(None, "server_error", str(MSG_SERVER_ERROR))]), status=500)
    # No request context: a failing context processor must not break the error page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
