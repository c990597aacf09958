"""Content-addressed fragments: HTML cached under a digest of everything it prints, so it needs
no invalidation at all.

The catalog's cards and its filter form are rendered from plain facts (a dict of strings,
numbers and dates), never from model instances, and kept under a digest of those facts, the
viewer's time zone, today's date and the language. A change to anything a card prints changes
its facts and so its key. The page around them is a cached part (caching.parts): after a change
it re-reads the list in a few indexed queries and takes every unchanged card from here in one
round trip, so a change to one course re-renders that one card, not the twenty on the page.
"""
from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from cpd_portal.caching.invalidation import PAGES_CACHE
from cpd_portal.caching.parts import PAGE_TIMEOUT_SECONDS

# The key holds every input, so an entry is stale only after a deploy changes the templates;
# the pages' timeout bounds that, as it does for the pages around them.


def _digest(facts: dict) -> str:
    return hashlib.md5(repr(sorted(facts.items())).encode(), usedforsecurity=False).hexdigest()


def memo_render_many(name: str, template: str, facts_list: list[dict],
                     context: dict | None = None) -> list[SafeString]:
    """The HTML of `template` for each facts dict (passed as `facts`), from the cache in one
    round trip; the missing ones are rendered and stored in one more. Anything in `context`
    must be built from the facts alone (a bound form of the query string they hold)."""
    # The zone, the day and the language are the same for every fragment of one call: read them
    # once.
    prefix = (f"memo:{name}:{timezone.get_current_timezone_name()}:"
              f"{timezone.localdate().isoformat()}:{translation.get_language()}")
    keys = [f"{prefix}:{_digest(facts)}" for facts in facts_list]
    pages = caches[PAGES_CACHE]
    found = pages.get_many(keys)
    rendered = {key: render_to_string(template, {**(context or {}), "facts": facts})
                for key, facts in zip(keys, facts_list, strict=True) if key not in found}
    if rendered:
        pages.set_many(rendered, PAGE_TIMEOUT_SECONDS)
    return [mark_safe(found[key] if key in found else rendered[key])  # noqa: S308  (our templates' output)
            for key in keys]


def memo_render(name: str, template: str, facts: dict,
                context: dict | None = None) -> SafeString:
    return memo_render_many(name, template, [facts], context)[0]
