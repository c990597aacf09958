from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CachingConfig(AppConfig):
    """The one cache layer (docs/caching.md): every database connection reports the tables it
    writes, so cached parts keyed by those tables' versions follow any write."""

    name = "cpd_portal.caching"
    label = "caching"
    verbose_name = "Cache"

    def ready(self) -> None:
        from cpd_portal.caching.invalidation import watch_connection

        connection_created.connect(watch_connection, dispatch_uid="caching-watch-writes")
