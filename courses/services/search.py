"""Keeps the catalog's full-text search vector in step with a course's text (PostgreSQL)."""
from django.contrib.postgres.search import SearchVector
from django.db import connection

from courses.models import Course

# Title weighs most, then the summary, then the rest of the text.
COURSE_SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", weight="B", config="english")
    + SearchVector("description", "learning_objectives", weight="C", config="english")
)


def course_search_index_update(*, course_ids: list[int]) -> None:
    """Recompute the search vector of these courses; a no-op on SQLite (it searches by LIKE)."""
    if connection.vendor != "postgresql" or not course_ids:
        return
    Course.objects.filter(pk__in=course_ids).update(search_vector=COURSE_SEARCH_VECTOR)
