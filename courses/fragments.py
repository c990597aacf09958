"""Content-addressed fragments: HTML cached under a digest of everything it prints.

The catalog's cards and filters are rendered from plain facts (a dict of strings, numbers and
dates), never from model instances, and cached under a digest of those facts, the viewer's
time zone and today's date. A change to anything a card prints changes its facts and so its key:
no version has to be bumped, and a change to one course re-renders that one card, not the
twenty on the page. The page around them is still keyed by the public pages' version
(courses.page_cache), so after any change a request re-reads the list (a few indexed queries)
and takes the unchanged cards from the cache in one round trip.
"""
from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from courses.page_cache import FRAGMENT_TIMEOUT_SECONDS, PAGES_CACHE

# The key holds every input, so an entry is stale only after a deploy changes the templates;
# the public pages' one-minute timeout bounds that, as it does for the pages around them.


def _digest(facts: dict) -> str:
    return hashlib.md5(repr(sorted(facts.items())).encode(), usedforsecurity=False).hexdigest()


def fragments_render(name: str, template: str, facts_list: list[dict],
                     context: dict | None = None) -> list[SafeString]:
    """The HTML of `template` for each facts dict (passed as `facts`), from the cache in one
    round trip; the missing ones are rendered and stored in one more. Anything in `context`
    must be built from the facts alone (a bound form of the query string they hold)."""
    # The zone and the day are the same for every fragment of one call: read them once.
    prefix = (f"fragment:{name}:{timezone.get_current_timezone_name()}:"
              f"{timezone.localdate().isoformat()}")
    keys = [f"{prefix}:{_digest(facts)}" for facts in facts_list]
    found = caches[PAGES_CACHE].get_many(keys)
    rendered = {key: render_to_string(template, {**(context or {}), "facts": facts})
                for key, facts in zip(keys, facts_list, strict=True) if key not in found}
    if rendered:
        caches[PAGES_CACHE].set_many(rendered, FRAGMENT_TIMEOUT_SECONDS)
    return [mark_safe(found[key] if key in found else rendered[key])  # noqa: S308  (our templates' output)
            for key in keys]


def fragment_render(name: str, template: str, facts: dict,
                    context: dict | None = None) -> SafeString:
    return fragments_render(name, template, [facts], context)[0]
