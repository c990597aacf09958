"""A signed-in viewer's own page parts (My learning, the transcript, the course page), cached
while the rows they are built from stay as they were.

These pages are one person's state, so the public pages' version cannot key them, and a
version bumped by signals would miss every bulk `.update()`, raw SQL and admin action that
changes a learner's rows. Instead each page names the rows it reads (`ViewerRows`: a model and
the lookup from it to the viewer), and every request first reads one fingerprint of those rows
from PostgreSQL: each row's `xmin` (the transaction that wrote this version of it) and `ctid`
(where that version is stored). Any insert, update or delete of any of them, by any path,
changes the fingerprint, so the cached HTML is only served while it is still what a fresh
render would give. One cheap statement replaces the page's dozen queries and its rendering.

The course page also names its course's rows, found by the page's slug (`subject`), so they
are in the same fingerprint. My learning and the transcript read courses, sessions and
designations through the public pages' version instead, which their saves bump, so an
educator's edit shows at once to every viewer.

Time moves the pages too ("Check-in opens at 08:45", "Overdue", days left to claim), so the key
also holds the current minute and time zone: session times and deadlines fall on whole
minutes, so a cached part never outlives the state it shows (one set to the second shows at
the next whole minute). Forms in the HTML carry a
stand-in for the CSRF token, replaced by the viewer's own token on the way out, so a second
browser of the same person gets a token its session accepts.

Only PostgreSQL has `xmin` and `ctid`; on the embedded SQLite default the parts are rendered on
every request, so both databases give the same pages.
"""
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.expressions import RawSQL
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from courses.page_cache import FRAGMENT_TIMEOUT_SECONDS, PAGES_CACHE, public_pages_version

CSRF_STAND_IN = "ViewerCsrfToken5e81d0"
# Compiled queries take this in place of the viewer's id; ids are never negative.
_VIEWER_ID_STAND_IN = -734_019_265
_PREPARED_ATTRIBUTE = "_viewer_fingerprints_prepared"


def _subject_stand_in(subject: str) -> str:
    # In place of a subject's slug; slugs have no spaces.
    return f"viewer cache stand-in for the {subject}"


@dataclass(frozen=True)
class ViewerRows:
    """The rows of `model` a page shows to a viewer: those whose `viewer_path` is their id,
    or every row (a small table of rules that applies to everyone) when it is None.

    With `subject` (say "course") the path leads instead to the slug of the page's subject,
    passed to `ViewerFingerprint.of` under that name: a course page's own course, sessions and
    disclosures, fingerprinted in the same statement as the viewer's rows.
    """

    model: type[Model]
    viewer_path: str | None
    subject: str | None = None

    @property
    def table(self) -> str:
        return self.model._meta.db_table


class ViewerFingerprint:
    """The rows one page reads for its viewer, and the one query that fingerprints them.

    Packages below the page add the rows their part of it reads (`watch`) from their
    AppConfig.ready, as they register the part itself.
    """

    def __init__(self, name: str, *rows: ViewerRows):
        self.name = name
        self._rows: list[ViewerRows] = list(rows)
        self._compiled: tuple[str, str, list] | None = None

    def watch(self, *rows: ViewerRows) -> None:
        for row in rows:
            if row not in self._rows:
                self._rows.append(row)
        self._compiled = None

    @property
    def rows(self) -> tuple[ViewerRows, ...]:
        return tuple(self._rows)

    @property
    def tables(self) -> set[str]:
        return {row.table for row in self._rows}

    def _compile(self) -> tuple[str, str, list]:
        """(statement name, PREPARE text, parameters), built once per process: building a
        dozen querysets per request is the very cost the cache saves."""
        if self._compiled is None:
            parts, params = [], []
            for row in self._rows:
                versions = row.model._base_manager.order_by()
                if row.viewer_path is not None:
                    stand_in = (_VIEWER_ID_STAND_IN if row.subject is None
                                else _subject_stand_in(row.subject))
                    versions = versions.filter(**{row.viewer_path: stand_in})
                # Table names from the models' metadata, never from input.
                version = RawSQL(  # noqa: S611
                    f'"{row.table}".ctid::text || \':\' || "{row.table}".xmin::text', ())
                sql, row_params = (versions.annotate(_version=version).values_list("_version")
                                   .query.sql_with_params())
                parts.append(f"(SELECT string_agg(v, ',' ORDER BY v) FROM ({sql}) AS r(v))")  # noqa: S608
                params.extend(row_params)
            joined = ", '|', ".join(f"coalesce({part}, '')" for part in parts)
            numbered = iter(range(1, len(params) + 1))
            text = re.sub("%s", lambda _: f"${next(numbered)}", f"SELECT md5(concat({joined}))")
            slug = re.sub(r"\W", "_", self.name)
            name = f"viewer_fingerprint_{slug}_{hashlib.sha256(text.encode()).hexdigest()[:12]}"
            self._compiled = (name, f"PREPARE {name} AS {text}", params)
        return self._compiled

    @property
    def subjects(self) -> set[str]:
        return {row.subject for row in self._rows if row.subject}

    def of(self, viewer_id: int, **subjects: str) -> str | None:
        """The fingerprint of the viewer's rows (and of the subjects' rows, each given by its
        slug) now, or None where the database has none.

        A prepared statement per connection: planning the thirty-odd subqueries takes several
        times as long as running them.
        """
        if set(subjects) != self.subjects:
            raise TypeError(f"{self.name} is read for {sorted(self.subjects)}, "
                            f"not {sorted(subjects)}")
        # This thread's own connection (`django.db.connection` is a proxy shared by every
        # thread, so it cannot hold what this connection has prepared).
        wrapper = connections[DEFAULT_DB_ALIAS]
        if wrapper.vendor != "postgresql":
            return None
        name, prepare, params = self._compile()
        with wrapper.cursor() as cursor:
            # PREPARE lasts as long as the database connection (a rollback keeps it), so the
            # names are remembered against the driver's connection object.
            raw = wrapper.connection
            prepared = wrapper.__dict__.get(_PREPARED_ATTRIBUTE)
            if prepared is None or prepared[0] is not raw:
                prepared = wrapper.__dict__[_PREPARED_ATTRIBUTE] = (raw, set())
            statement = f"EXECUTE {name}({', '.join(['%s'] * len(params))})"
            if name not in prepared[1]:
                # One round trip either way (and one statement in query counts).
                statement = f"{prepare.replace('%', '%%')}; {statement}"
            values = {_VIEWER_ID_STAND_IN: viewer_id,
                      **{_subject_stand_in(name): slug for name, slug in subjects.items()}}
            cursor.execute(statement, [values.get(p, p) for p in params])
            prepared[1].add(name)
            return cursor.fetchone()[0]


def viewer_parts(request, fingerprint: ViewerFingerprint,
                 render: Callable[[str], dict[str, str]], *,
                 variant: str = "", subjects: dict[str, str] | None = None,
                 ) -> dict[str, SafeString]:
    """The HTML parts `render(csrf_token)` gives for the signed-in viewer ({name: escaped
    HTML}), from the cache while the fingerprint of their rows, the public pages' version, the
    minute and the time zone are unchanged.

    `variant` tells apart renders of the same rows (a page's filters). A page whose shared
    rows are in its fingerprint too, under `subjects` ({"course": slug}), is keyed by them
    instead of the public pages' version, so a change elsewhere leaves it cached. The
    fingerprint is read before the rows: a change committed in between then only makes the
    stored HTML newer than its key, never older.
    """
    token = get_token(request)
    state = fingerprint.of(request.user.pk, **(subjects or {}))
    if state is None:
        parts = render(token)
    else:
        shared = "subject-rows" if subjects else public_pages_version()
        variant_hash = hashlib.sha256(f"{variant}:{subjects}".encode()).hexdigest()[:16]
        key = (f"viewer:{fingerprint.name}:{request.user.pk}:{state}:{shared}:"
               f"{int(time.time() // 60)}:{timezone.get_current_timezone_name()}:{variant_hash}")
        pages = caches[PAGES_CACHE]
        parts = pages.get(key)
        if parts is None:
            parts = render(CSRF_STAND_IN)
            pages.set(key, parts, FRAGMENT_TIMEOUT_SECONDS)
    # Escaped as they were rendered; the token is Django's own.
    return {name: mark_safe(html.replace(CSRF_STAND_IN, token))  # noqa: S308
            for name, html in parts.items()}


def viewer_fragment(request, fingerprint: ViewerFingerprint, render: Callable[[str], str], *,
                    variant: str = "") -> SafeString:
    """One part: the template output `render(csrf_token)` gives, cached as `viewer_parts`."""
    return viewer_parts(request, fingerprint, lambda token: {"html": render(token)},
                        variant=variant)["html"]
