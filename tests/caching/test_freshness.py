"""A weekly series (a bulk insert, which sends no signal), a queryset.update() and a raw SQL
UPDATE each show at once on the cached catalog, course page and My learning, on PostgreSQL and
on the embedded SQLite default (file cache, no Redis), with the pages cached before each."""
import json

import pytest

from tests.caching.freshness_world import WARM_QUERIES, freshness_check
from tests.conftest import module_run_on_sqlite

EVERY_PAGE = {"catalog": True, "course": True, "learning": True}
CACHED = {"catalog": WARM_QUERIES, "course": WARM_QUERIES, "learning": WARM_QUERIES}


def _assert_fresh(results: dict) -> None:
    assert set(results) == {"series", "update", "raw_sql"}
    for change, result in results.items():
        assert result["warm"] == CACHED, change
        assert result["shown"] == EVERY_PAGE, change


@pytest.mark.django_db(transaction=True)  # each change commits, as a request or task does
def test_every_write_path_shows_at_once_on_the_cached_pages_on_postgresql():
    _assert_fresh(freshness_check())


def test_every_write_path_shows_at_once_on_the_cached_pages_on_sqlite(tmp_path):
    _assert_fresh(json.loads(module_run_on_sqlite("tests.caching.freshness_world", tmp_path)))
