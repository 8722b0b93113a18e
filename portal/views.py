from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from portal.tasks import HEARTBEAT_KEY


def home(request):
    return render(request, "portal/home.html")


def healthz(request):
    """Liveness and database reachability, for the load balancer and docker-compose.

    ``celery_heartbeat`` is when the beat-scheduled heartbeat last ran on a worker (null: never).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "celery_heartbeat": cache.get(HEARTBEAT_KEY)})
