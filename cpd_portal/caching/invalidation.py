"""Which tables changed: every write through Django's connection gives each table it writes a
new version, so a key built from a set of tables' versions changes whenever any of them does.

A wrapper on every database connection (`connection.execute_wrapper`, installed by
CachingConfig.ready) reads each statement that is not a plain SELECT and takes the tables it
writes from the SQL itself (INSERT INTO, UPDATE, DELETE FROM, TRUNCATE, MERGE INTO, COPY ...),
so ORM saves, bulk_create, queryset.update() and .delete(), many-to-many changes, admin actions,
data migrations and raw SQL are all seen the same way, on SQLite as on PostgreSQL. A statement
that changed no row (rowcount 0) changes no version.

A version is a random token in the pages cache, set after the write is committed: inside a
transaction the tables wait until it commits (`transaction.on_commit`; a rollback drops them),
and meanwhile the writing connection alone sees a version of its own for them, so the rest of
the transaction reads its own change while other requests keep the committed pages. Tokens,
not timestamps or counters: a new one differs from every earlier one whichever process or
clock made it, and a lost update cannot bring an old value back.
"""
from __future__ import annotations

import functools
import logging
import re
import secrets
from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

PAGES_CACHE = "pages"  # the cache alias of cached pages, fragments, objects and table versions
_VERSION_PREFIX = "v:"
# Set anew by a process that found the pages cache unreachable, once it is back: writes made
# meanwhile may have lost their new versions, so every key changes (see `versions_read`).
_EPOCH_KEY = "v-epoch"
_PENDING_ATTRIBUTE = "_caching_pending_tables"
_LOOKED_THROUGH_ATTRIBUTE = "_caching_run_on_commit_looked_through"

# The target of each write: `INSERT INTO "t"`, `UPDATE t`, `DELETE FROM "s"."t"`,
# `TRUNCATE "a", "b"` (Django's flush), `COPY t FROM`, `MERGE INTO t`, `REPLACE INTO t`;
# anywhere in the statement, so writable CTEs and several statements in one string count.
_WRITE_TARGETS = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|MERGE\s+INTO|UPDATE(?:\s+OR\s+\w+)?"
    r"|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|COPY)\s+(?:ONLY\s+)?"
    r'((?:"?\w+"?\.)?"?\w+"?(?:\s*,\s*(?:"?\w+"?\.)?"?\w+"?)*)',
    re.IGNORECASE)
_NAME = re.compile(r'"?(\w+)"?\s*(?:,|$)')

_outage = {"seen": False}


def new_token() -> int:
    # An int: Django's Redis serializer stores ints as they are, without pickling them.
    return secrets.randbits(62)


def _version_key(table: str) -> str:
    return f"{_VERSION_PREFIX}{table}"


@functools.cache
def _known_tables() -> frozenset[str]:
    return frozenset(model._meta.db_table
                     for model in apps.get_models(include_auto_created=True))


def tables_written(sql: str) -> list[str]:
    """The portal's tables a statement writes, in order (duplicates kept)."""
    if not isinstance(sql, str) or sql.startswith("SELECT"):  # the ORM's reads (FOR UPDATE too)
        return []
    known = _known_tables()
    return [name for match in _WRITE_TARGETS.finditer(sql)
            for name in _NAME.findall(match.group(1).replace(".", " "))
            if name in known]


@dataclass
class PendingVersions:
    """The tables one transaction (or savepoint) has written so far, each with the version only
    this connection sees until they are committed."""

    savepoints: frozenset[str]
    versions: dict[str, int] = field(default_factory=dict)

    def publish(self) -> None:
        versions_bump(self.versions)


def _pending_of(wrapper) -> list[PendingVersions]:
    """This connection's pending tables whose transaction or savepoint is still open."""
    pending = wrapper.__dict__.get(_PENDING_ATTRIBUTE)
    if not pending:
        return []
    # Django drops the callbacks of a rolled-back transaction or savepoint (their tables with
    # them) by giving the connection a new run_on_commit list; otherwise it only appends to it.
    # So while the list is the one last looked through, every pending set is live, and a long
    # transaction (the demo seed, an import) does not look through thousands of callbacks on
    # each write.
    if wrapper.__dict__.get(_LOOKED_THROUGH_ATTRIBUTE) is wrapper.run_on_commit:
        return pending
    owners = {id(getattr(callback, "__self__", None)) for _, callback, _ in wrapper.run_on_commit}
    live = wrapper.__dict__[_PENDING_ATTRIBUTE] = [
        writes for writes in pending if id(writes) in owners]
    wrapper.__dict__[_LOOKED_THROUGH_ATTRIBUTE] = wrapper.run_on_commit
    return live


def watch_writes(execute, sql, params, many, context):
    """The execute wrapper: run the statement, then record the tables it changed."""
    result = execute(sql, params, many, context)
    tables = tables_written(sql)
    if tables:
        if (len(tables) == 1 and sql.startswith(("UPDATE", "DELETE"))
                and context["cursor"].rowcount == 0):
            # One statement that changed no row (the drivers count UPDATE and DELETE rows;
            # an INSERT ... RETURNING reports 0).
            return result
        wrapper = context["connection"]
        if wrapper.in_atomic_block:
            # One set per savepoint level, published with it (or dropped with it).
            savepoints = frozenset(wrapper.savepoint_ids)
            live = _pending_of(wrapper)
            writes = next((w for w in live if w.savepoints == savepoints), None)
            if writes is None:
                writes = PendingVersions(savepoints)
                wrapper.__dict__[_PENDING_ATTRIBUTE] = [*live, writes]
                wrapper.on_commit(writes.publish)
            writes.versions.update({table: new_token() for table in tables})
        else:  # autocommit: the statement is committed already
            versions_bump(tables)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """connection_created receiver: put the wrapper first, so a test's own wrapper (pushed and
    popped by `connection.execute_wrapper`) never takes it off."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)


def _outage_note(cache) -> None:
    """Remember whether the last call to the pages cache reached it."""
    _outage["seen"] = bool(getattr(cache, "degraded", False))


def versions_bump(tables) -> None:
    """Give `tables` new versions now (after their change is committed)."""
    cache = caches[PAGES_CACHE]
    versions = {_version_key(table): new_token() for table in tables}
    if _outage["seen"]:  # versions this process wrote may have been lost: every key anew
        versions[_EPOCH_KEY] = new_token()
    cache.set_many(versions, None)
    _outage_note(cache)


def versions_read(tables: frozenset[str] | set[str]) -> str | None:
    """One string that changes whenever any of `tables` is written (for this connection, its
    own uncommitted writes included), or None while the pages cache is unreachable (nothing is
    cached then). One cache round trip; a table without a version yet gets one."""
    cache = caches[PAGES_CACHE]
    ordered = sorted(tables)
    keys = [_version_key(table) for table in ordered]
    found = cache.get_many([*keys, _EPOCH_KEY])
    if getattr(cache, "degraded", False):
        _outage["seen"] = True
        return None
    if _outage["seen"]:
        found[_EPOCH_KEY] = new_token()
        cache.set(_EPOCH_KEY, found[_EPOCH_KEY], None)
        _outage_note(cache)
        logger.warning("pages cache back after an outage: every cached page is keyed anew")
    missing = [key for key in (*keys, _EPOCH_KEY) if key not in found]
    if missing:
        # Never cached (a new deploy, a flushed or evicted cache): a fresh version, so no key
        # made before can come back. `add`, so concurrent first readers agree on one.
        for key in missing:
            cache.add(key, new_token(), None)
        found.update(cache.get_many(missing))
    pending = _pending_of(connections[DEFAULT_DB_ALIAS])
    return "|".join([str(found.get(_EPOCH_KEY)),
                     *(f"{found.get(key)}" + "".join(f"+{writes.versions[table]}"
                                                     for writes in pending
                                                     if table in writes.versions)
                       for table, key in zip(ordered, keys, strict=True))])
