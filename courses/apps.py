from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _standard_topics_ensure(sender, **kwargs) -> None:
    # Also runs after a test database flush, which empties what the data migration created.
    from .topics import standard_topics_ensure

    standard_topics_ensure()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses and enrolment"

    def ready(self) -> None:
        post_migrate.connect(_standard_topics_ensure, sender=self)
        from .page_cache import connect_invalidation

        connect_invalidation()
