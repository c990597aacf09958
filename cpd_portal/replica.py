"""Reads that may go to the read replica (DATABASE_REPLICA_URL), and when they may not.

Routing is explicit: only code inside `reading_from_replica()` (or a function decorated with
`reads_from_replica`) is routed, i.e. the reports, exports, the office dashboard and the API's
sync feeds; everything else, and every write, goes to the primary (decision 0032). A routed read
still goes to the primary when

- it runs inside a transaction on the primary (a read that a write depends on),
- the person it runs for wrote within DATABASE_REPLICA_MAX_LAG_SECONDS (read-your-writes:
  a mark in the shared cache, set when a signed-in person's or a token's write request answers;
  a Celery task queued by a request inherits that request's choice),
- or the replica is down or lagging more than that (checked at most every
  REPLICA_CHECK_INTERVAL_SECONDS per process, and again at once when a routed query fails).

Without DATABASE_REPLICA_URL none of this is installed (settings.py), and `reading_from_replica()`
changes nothing. This module imports none of the apps: they sit above it.
"""
import contextlib
import contextvars
import functools
import logging
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
REPLICA_CHECK_INTERVAL_SECONDS = 3
WROTE_KEY = "replica:wrote:{actor}"
PINNED_HEADER = "replica_pinned"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

# On the standby: 0 when it has replayed all the WAL it received (an idle primary writes none,
# and the age of the last replayed transaction would grow without any lag), else that age.
REPLICA_LAG_SQL = """
SELECT CASE
    WHEN pg_last_wal_receive_lsn() IS NOT NULL
         AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


# --- the replica's health, per process ------------------------------------------------------

@dataclass(frozen=True)
class ReplicaHealth:
    state: str  # "ok", "lagging" or "down"
    lag_seconds: float | None = None

    @property
    def usable(self) -> bool:
        return self.state == "ok"

    def describe(self) -> str:
        """What /healthz says: ok, lagging (12s) or down."""
        if self.state == "lagging":
            return f"lagging ({self.lag_seconds:.0f}s)"
        return self.state


_health_lock = threading.Lock()
_health: tuple[float, ReplicaHealth] | None = None  # (checked at, monotonic; what was found)


def replica_health(*, recheck: bool = False) -> ReplicaHealth:
    """The replica's state, measured again when the last measure is older than the interval."""
    global _health
    with _health_lock:
        if (not recheck and _health is not None
                and time.monotonic() - _health[0] < REPLICA_CHECK_INTERVAL_SECONDS):
            return _health[1]
        found = _measure()
        _health = (time.monotonic(), found)
        return found


def _measure() -> ReplicaHealth:
    replica = connections[REPLICA]
    try:
        with replica.cursor() as cursor:
            cursor.execute(REPLICA_LAG_SQL)
            (lag,) = cursor.fetchone()
    except Exception as error:
        # Once per measure while it lasts: the reason, without a traceback every 3 s.
        logger.warning("replica unreachable (%s); reading from the primary", error)
        replica.close()  # a connection to a replica that went away cannot be reused
        return ReplicaHealth("down")
    lag = float(lag)
    if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return ReplicaHealth("lagging", lag)
    return ReplicaHealth("ok", lag)


def replica_health_forget() -> None:
    """Measure again on the next routed read."""
    global _health
    with _health_lock:
        _health = None


# --- who reads, and whether they wrote lately ----------------------------------------------

@dataclass
class _Reader:
    """The routing state of one request or task (a context variable, so per thread)."""

    actor: str | None = None
    # The request whose signed-in person is the actor, looked up only when a routed read or a
    # write request needs it: a page that never reads its user makes no query for it here.
    request: object = None
    pinned: bool | None = None  # None: not yet looked up in the cache
    routed: int = 0  # depth of reading_from_replica()


_reader: contextvars.ContextVar[_Reader] = contextvars.ContextVar("replica_reader")


def _current() -> _Reader:
    try:
        return _reader.get()
    except LookupError:
        reader = _Reader()
        _reader.set(reader)
        return reader


def reader_begin(*, request=None, pinned: bool | None = None) -> None:
    """Start a request's or a task's routing state (nothing carries over from the last one)."""
    _reader.set(_Reader(request=request, pinned=pinned))


def _actor(reader: _Reader) -> str | None:
    if reader.actor is None and reader.request is not None:
        # Let go of the request first: loading its user is itself a read that asks here.
        request, reader.request = reader.request, None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reader.actor = user_actor(user.pk)
    return reader.actor


def reader_acting_for(actor: str) -> None:
    """Name who the current request reads for, once known (a token is checked in the view)."""
    reader = _current()
    if reader.actor != actor:
        reader.actor, reader.request, reader.pinned = actor, None, None


def user_actor(user_id: int) -> str:
    return f"user:{user_id}"


def token_acting(*, token_id: int, user_id: int | None) -> None:
    """An API or SCIM request authenticated by a token reads for the token's owner (a personal
    token: the same person as their session) or, for a service token, for the token itself."""
    reader_acting_for(user_actor(user_id) if user_id else f"token:{token_id}")


def _pinned_to_primary(reader: _Reader) -> bool:
    if reader.pinned is None:
        actor = _actor(reader)
        reader.pinned = bool(actor) and cache.get(WROTE_KEY.format(actor=actor)) is not None
    return reader.pinned


def actor_wrote(actor: str) -> None:
    """Send `actor`'s reads to the primary for the lag bound and the time between two measures:
    by then the replica has what they wrote, or it lags more and nobody reads from it."""
    cache.set(WROTE_KEY.format(actor=actor), 1, timeout=math.ceil(
        settings.DATABASE_REPLICA_MAX_LAG_SECONDS + REPLICA_CHECK_INTERVAL_SECONDS))


# --- choosing the database -------------------------------------------------------------------

def read_alias() -> str:
    """The database a routed read uses now: the replica, or the primary for the reasons in the
    module's docstring. Raw SQL in routed code uses `connections[read_alias()]`."""
    reader = _current()
    if (reader.routed and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and not _pinned_to_primary(reader)
            and replica_health().usable):
        return REPLICA
    return DEFAULT_DB_ALIAS


@contextlib.contextmanager
def reading_from_replica(*, fresh: bool = False):
    """Route the ORM reads inside this block as `read_alias()` decides. `fresh` measures the
    replica first, for long reads (an export) that cannot start again on the primary halfway."""
    if fresh and replica_configured():
        replica_health(recheck=True)
    reader = _current()
    reader.routed += 1
    try:
        yield
    finally:
        reader.routed -= 1


def each_from_replica(items: Iterator) -> Iterator:
    """Each step of an iterator (an export's rows or bytes, made lazily while a response
    streams) under a fresh `reading_from_replica()`: the context cannot wrap a generator that
    is consumed after the view has returned."""
    if replica_configured():
        replica_health(recheck=True)
    items = iter(items)
    while True:
        with reading_from_replica():
            try:
                item = next(items)
            except StopIteration:
                return
        yield item


def reads_from_replica(function):
    """Run a read-only function (a selector, a view that only reads) under
    `reading_from_replica()`; if the replica fails under it, it runs again on the primary."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            with reading_from_replica():
                return function(*args, **kwargs)
        except (OperationalError, InterfaceError):
            if not replica_configured() or replica_health(recheck=True).usable:
                raise  # the primary failed, or the query itself
        return function(*args, **kwargs)  # the replica is marked down: on the primary
    return call


class ReplicaRouter:
    """DATABASE_ROUTERS: routed reads as `read_alias()` says, all else on the primary. Named
    explicitly (never None): Django would otherwise send a write or a related lookup of a row
    read from the replica back to the replica."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReadYourWritesMiddleware:
    """Starts each request's routing state for the signed-in person and, when a write request
    (any method but GET, HEAD, OPTIONS, TRACE) by a person or a token answers, marks them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader_begin(request=request)
        response = self.get_response(request)
        reader = _current()  # its actor may be a token's, named by the API's authentication
        if request.method not in SAFE_METHODS and _actor(reader):
            # Decided before the mark: an export this request streams after it has answered
            # reads as the request would have, not as if it had written.
            _pinned_to_primary(reader)
            actor_wrote(reader.actor)
        return response


def task_publishing(headers=None, **kwargs):
    """Celery's before_task_publish (cpd_portal/celery.py): a task queued by a request that must
    read the primary reads the primary too."""
    if replica_configured() and headers is not None:
        reader = _current()
        headers[PINNED_HEADER] = _pinned_to_primary(reader)


def task_starting(task=None, **kwargs):
    """Celery's task_prerun: each task starts its own routing state, with its request's choice."""
    reader_begin(pinned=bool(task is not None and getattr(task.request, PINNED_HEADER, False)))
