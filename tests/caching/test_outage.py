"""A write whose new table version is lost while Redis is unreachable cannot leave a page cached
before it to be served once Redis is back: the process that found Redis gone keys every page
anew when it reaches Redis again, whether it next reads a page (a web worker) or writes (a
Celery worker)."""
import os
import signal

import pytest
from django.core.cache import caches
from django.db.models import F

from courses.models import Course, Topic
from courses.views import CATALOG
from cpd_portal.caching.invalidation import PAGES_CACHE
from tests.conftest import wait_for
from tests.factories import CourseFactory
from tests.reliability.test_redis_outage import own_redis  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)  # autocommit: no transaction of its own


@pytest.mark.parametrize("next_call", ["read", "write"])
def test_a_version_lost_during_an_outage_does_not_revive_the_page_cached_before_it(
        next_call, own_redis, settings):  # noqa: F811
    # Short timeouts: the paused server is waited on for this long per call.
    for alias in settings.CACHES.values():
        alias["OPTIONS"] = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
    settings.CACHES = {**settings.CACHES}
    course = CourseFactory(title="Sepsis: the first hour")
    before = CATALOG.key("results", "/courses/")
    caches[PAGES_CACHE].set(before, "the catalog as it was", 60)

    # Paused, not killed: Redis keeps every key, as across a network partition.
    os.kill(own_redis["process"].pid, signal.SIGSTOP)
    try:
        Course.objects.filter(pk=course.pk).update(title="Sepsis: the golden hour")
        assert caches[PAGES_CACHE].degraded  # the new version of the course table is lost
        assert CATALOG.key("results", "/courses/") is None  # nothing cached meanwhile
    finally:
        os.kill(own_redis["process"].pid, signal.SIGCONT)

    if next_call == "write":  # a worker's next write, once Redis answers again
        wait_for(lambda: caches[PAGES_CACHE].ping(), timeout=15)
        Topic.objects.filter(pk=Topic.objects.first().pk).update(name=F("name"))
    after = wait_for(lambda: CATALOG.key("results", "/courses/"), timeout=15)
    assert after != before
    assert caches[PAGES_CACHE].get(before) == "the catalog as it was"  # there, but unreachable
