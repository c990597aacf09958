"""The one cache layer of the portal (docs/caching.md), below every app: cached parts declared
with the models they are built from (caching.parts), keyed by versions of those models' tables
that every write through Django's connection renews (caching.invalidation), and
content-addressed fragments that need no invalidation (caching.memo)."""
