"""Cached parts: a page, fragment or object, declared once with the models it is built from,
and kept in the pages cache under a key that changes when any of their tables is written.

    MY_LEARNING = CachedPart("my-learning", Enrolment, Attendance, CreditRecord, ...)
    sections = viewer_fragment(request, MY_LEARNING, render)

Every key holds the versions of the part's tables (caching.invalidation), the viewer's time
zone and language and the current minute (pages say "Check-in opens at 08:45", "Overdue", "next
session": times fall on whole minutes, so nothing cached outlives the minute it was right for),
plus what
the caller adds: the path, a slug, the viewer. A part may name other parts among its
dependencies (a page that embeds a cached object depends on what the object is built from), and
packages above the one that declares a part add what their pieces of it read through
`depends_on_add`, from the hooks they register those pieces with.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Model
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from cpd_portal.caching.invalidation import PAGES_CACHE, versions_read

# Whole pages, fragments and objects alike: the minute in the key already turns them over, the
# timeout only frees memory and bounds what an outage's lost versions can leave behind.
PAGE_TIMEOUT_SECONDS = 60
# Forms in per-viewer HTML carry this in place of the CSRF token; the viewer's own replaces it
# on the way out, so a second browser of the same person gets a token its session accepts.
CSRF_STAND_IN = "ViewerCsrfToken5e81d0"


def _digest(value: Any) -> str:
    return hashlib.md5(repr(value).encode(), usedforsecurity=False).hexdigest()


class CachedPart:
    """A cached page, fragment or object, and the models (or other parts) it is built from.

    Declared at module level where the thing is built; `CachedPart.registry` lists them all,
    for the test that renders each and checks it reads no table it does not declare.
    """

    registry: dict[str, CachedPart] = {}

    def __init__(self, name: str, *depends_on: type[Model] | CachedPart):
        if name in CachedPart.registry:
            raise ValueError(f"a cached part named {name!r} is declared already")
        self.name = name
        self._depends_on: list[type[Model] | CachedPart] = list(depends_on)
        CachedPart.registry[name] = self

    def depends_on_add(self, *depends_on: type[Model] | CachedPart) -> None:
        """For the hook through which a higher package adds a piece to this part."""
        self._depends_on.extend(item for item in depends_on if item not in self._depends_on)

    @property
    def tables(self) -> frozenset[str]:
        tables = set()
        for item in self._depends_on:
            tables |= item.tables if isinstance(item, CachedPart) else {item._meta.db_table}
        return frozenset(tables)

    def key(self, *variant: Any) -> str | None:
        """The key of this part for `variant` now, or None while nothing can be cached."""
        versions = versions_read(self.tables)
        if versions is None:
            return None
        return (f"{self.name}:" + _digest((versions, timezone.get_current_timezone_name(),
                                           translation.get_language(),
                                           int(time.time() // 60), variant)))

    def get_or_build(self, *variant: Any, build: Callable[[], Any]) -> Any:
        """The cached value for `variant`, or `build()`'s, stored. The key is read before the
        rows: a change committed in between then only makes the value newer than its key."""
        key = self.key(*variant)
        if key is None:
            return build()
        pages = caches[PAGES_CACHE]
        value = pages.get(key)
        if value is None:
            value = build()
            pages.set(key, value, PAGE_TIMEOUT_SECONDS)
        return value


def _viewer(user) -> tuple:
    """The viewer's id and their own row as loaded for this request: a change to it (a new
    time zone, degree, sign-in) changes their keys, and nobody else's."""
    return user.pk, _digest([getattr(user, field.attname)
                             for field in get_user_model()._meta.concrete_fields])


def viewer_parts(request, part: CachedPart, render: Callable[[str], dict[str, str]], *,
                 variant: Any = "") -> dict[str, SafeString]:
    """The HTML parts `render(csrf_token)` gives the signed-in viewer ({name: escaped HTML}),
    cached per viewer; `variant` tells apart renders of the same rows (a page's filters)."""
    token = get_token(request)
    parts = part.get_or_build(_viewer(request.user), variant,
                              build=lambda: render(CSRF_STAND_IN))
    # Escaped as they were rendered; the token is Django's own.
    return {name: mark_safe(html.replace(CSRF_STAND_IN, token))  # noqa: S308
            for name, html in parts.items()}


def viewer_fragment(request, part: CachedPart, render: Callable[[str], str], *,
                    variant: Any = "") -> SafeString:
    """One part: the template output `render(csrf_token)` gives, cached as `viewer_parts`."""
    return viewer_parts(request, part, lambda token: {"html": render(token)},
                        variant=variant)["html"]


def cache_public_page(part: CachedPart):
    """A view decorator: visitors without cookies (no session, no message, no form token) get
    the page from the cache, keyed by `part` and the path; everyone else gets it rendered."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or request.COOKIES:
                return view(request, *args, **kwargs)
            # Hashed in the key: the query string is the visitor's, of any length.
            key = part.key(request.get_full_path())
            cached = caches[PAGES_CACHE].get(key) if key else None
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if (key and response.status_code == 200 and not response.cookies
                    and not response.streaming):
                caches[PAGES_CACHE].set(key, (response.content, response["Content-Type"]),
                                        PAGE_TIMEOUT_SECONDS)
            return response

        return wrapped

    return decorator
