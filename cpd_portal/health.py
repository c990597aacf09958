"""Liveness probe for load balancers and the compose healthcheck."""
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import replica
from .celery import app as celery_app

logger = logging.getLogger(__name__)
PROBE_TIMEOUT_SECONDS = 2


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("healthz: database unreachable")
        return False


def _broker_ok() -> bool:
    try:
        # A fresh connection, not one from the producer pool, so a dead broker cannot hide
        # behind a connection that was opened before it went away.
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                   timeout=PROBE_TIMEOUT_SECONDS)
        return True
    except Exception:
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False


def _cache_ok() -> bool:
    cache = caches["default"]
    ping = getattr(cache, "ping", None)  # the file cache of a local setup has nothing to ping
    return ping() if ping else True


@never_cache
@require_GET
def healthz(request):
    status = {"database": _database_ok(), "broker": _broker_ok(), "cache": _cache_ok()}
    # Without Redis the pages still answer (cache bypassed, limits per process, work kept in
    # the outbox), so that is "degraded"; still 503, so orchestration notices the broker.
    if all(status.values()):
        overall = "ok"
    elif status["database"]:
        overall = "degraded"
    else:
        overall = "unavailable"
    body = {"status": overall, "node": settings.NODE_NAME}
    body.update({name: "ok" if ok else "unreachable" for name, ok in status.items()})
    if replica.replica_configured():
        # Said, never failed on: without the replica its reads go to the primary.
        body["replica"] = replica.replica_health(recheck=True).describe()
    return JsonResponse(body, status=200 if overall == "ok" else 503)
