"""A Redis cache that degrades instead of failing when Redis is down or unreachable.

Every cache use in the portal is an optimisation or a limiter, never the only copy of data, so
a Redis outage must not turn pages into 500s. On a connection error or timeout the backend
answers from a per-process fallback and skips Redis for a short while (a circuit breaker), so an
unreachable host costs one connect timeout per interval rather than one per cache call.
FALLBACK "local" keeps a process-local memory cache (allauth's and check-in's rate limits keep
being enforced, per process); FALLBACK "none" answers every read with a miss (the public-page
cache is bypassed, so no process serves a page another process has invalidated).
"""
import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER_SECONDS = 5.0
# Django makes one cache object per thread; the breaker and the fallback's contents (shared by
# LocMemCache per name) are per process, so every thread enforces the same limits.
_down_until: dict[str, float] = {}


class _Miss:
    """The "none" fallback: remembers nothing, so every read misses and every write is dropped."""

    def get(self, key, default=None, version=None):
        return default

    def get_many(self, keys, version=None):
        return {}

    def has_key(self, key, version=None):
        return False

    def add(self, key, value, timeout=None, version=None):
        return False

    def incr(self, key, delta=1, version=None):
        raise ValueError(f"Key '{key}' not found")

    def decr(self, key, delta=1, version=None):
        raise ValueError(f"Key '{key}' not found")

    def set(self, *args, **kwargs):
        return None

    def set_many(self, *args, **kwargs):
        return []

    def touch(self, *args, **kwargs):
        return False

    def delete(self, *args, **kwargs):
        return False

    def delete_many(self, *args, **kwargs):
        return None

    def clear(self):
        return None


def _degrading(name):
    def method(self, *args, **kwargs):
        if self.degraded:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(super(DegradingRedisCache, self), name)(*args, **kwargs)
        except _REDIS_DOWN:
            _down_until[self._breaker_key] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache degraded: Redis unreachable, using the %s fallback for %.0fs",
                           self._fallback_name, RETRY_AFTER_SECONDS, exc_info=True)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class _ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client with one redis.Redis per connection pool, not one per cache call:
    building a client copies its table of some 200 response callbacks, which cost about as
    much as the round trip of a small GET. A redis.Redis over a pool is safe to reuse (and the
    cache object holding this is per thread anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        self._fallback_name = params.pop("FALLBACK", "local")
        super().__init__(server, params)
        self._class = _ReusedClientRedisCacheClient
        self._breaker_key = f"{server}|{self.key_prefix}"
        if self._fallback_name == "local":
            self._fallback = LocMemCache(f"degraded|{self._breaker_key}",
                                         {"TIMEOUT": params.get("TIMEOUT", 300)})
        elif self._fallback_name == "none":
            self._fallback = _Miss()
        else:
            raise ValueError(f"FALLBACK must be 'local' or 'none', not {self._fallback_name!r}")

    def validate_key(self, key) -> None:
        """Redis takes any key: skip Django's memcached checks, a Python loop over every
        character of every key (a third of the time of reading a page's table versions)."""

    @property
    def degraded(self) -> bool:
        return time.monotonic() < _down_until.get(self._breaker_key, 0.0)

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz); closes the breaker when it does."""
        try:
            self._cache.get_client(write=False).ping()
        except _REDIS_DOWN:
            return False
        _down_until.pop(self._breaker_key, None)
        return True

    # LocMemCache keys are made by its own make_key, so the fallback sees the caller's key.
    for _name in ("get", "get_many", "has_key", "add", "incr", "decr", "set", "set_many",
                  "touch", "delete", "delete_many", "clear"):
        locals()[_name] = _degrading(_name)
    del _name
