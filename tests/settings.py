"""The portal's settings for the test suite: production's, with every Redis key and the Celery
queue named after the pytest-xdist worker ("gw0", "gw1", ...; "main" without xdist).

`make test` runs the suite in several worker processes on one Redis database (REDIS_URL). Each
worker has its own test database (pytest-django names it test_<name>_gw0, ...); here each gets
its own Redis keys, all starting "gw0:" (the caches' "gw0:cpd:...", "gw0:cpd-pages:...", and
the broker's queues, bindings and unacked messages through kombu's global_keyprefix) and its own
Celery queues and exchanges ("<CELERY_QUEUE>-gw0" and one per kind of work, such as
"<CELERY_QUEUE>-gw0-email"), so no worker reads, clears or consumes another's. The Celery
workers and other subprocesses that tests start inherit DJANGO_SETTINGS_MODULE and
PYTEST_XDIST_WORKER, so they use the same names as their test.
"""
import os

from cpd_portal import queues
from cpd_portal.settings import *  # noqa: F403
from cpd_portal.settings import (
    CACHES,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    CELERY_TASK_DEFAULT_QUEUE,
    DATABASES,
    USING_POSTGRES,
)

TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEST_REDIS_KEY_PATTERN = f"{TEST_WORKER}:*"  # every key of this worker's, cache and broker

for _cache in CACHES.values():
    if str(_cache.get("LOCATION", "")).startswith(("redis://", "rediss://", "unix://")):
        _cache["KEY_PREFIX"] = f"{TEST_WORKER}:{_cache.get('KEY_PREFIX', '')}"

CELERY_TASK_DEFAULT_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-{TEST_WORKER}"
# Each kind's queue follows: "<CELERY_QUEUE>-gw0-email", "<CELERY_QUEUE>-gw0-exports", ...
CELERY_TASK_QUEUES = queues.task_queues(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ROUTES = queues.task_routes(CELERY_TASK_DEFAULT_QUEUE)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS,
                                       "global_keyprefix": f"{TEST_WORKER}:"}

if USING_POSTGRES:
    # No test needs a commit to survive a crash of PostgreSQL itself: not waiting for the WAL
    # flush saves about a millisecond a commit (a commit is still visible to every other
    # connection at once).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

if "replica" in DATABASES:
    # Only tests/replica/pair_checks.py runs with a replica: a mirror of the test database, so
    # that Django neither creates nor empties a database on the read-only standby (the check
    # points the alias back at the standby itself).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
