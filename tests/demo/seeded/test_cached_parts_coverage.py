"""Every cached part reads only tables it declares: each is built cold for demo learners with
every kind of state, every table its queries read is recorded (`connection.execute_wrapper`),
and one missing from its declaration fails the test, since a write to it would leave the part
stale. A part declared without a build here fails too."""
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from courses.models import Course, Specialty
from courses.selectors.catalog import course_detail_get
from courses.views import _catalog_context, _course_page_parts
from cpd_portal.caching.parts import CachedPart
from credits.learning.views import _sections_render
from credits.ledger.views import _transcript_render
from tests.conftest import redis_namespace_clear

TRANSCRIPT = reverse("ledger:transcript")
_TABLE = re.compile(r'(?:FROM|JOIN) "(\w+)"')


def _tables_read(build) -> set[str]:
    """The tables `build` reads with every cached part cold (nested parts are built too)."""
    redis_namespace_clear()  # this worker's keys only: clear() would FLUSHDB the others'
    read = set()

    def record(execute, sql, params, many, context):
        read.update(_TABLE.findall(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        build()
    return read


@pytest.fixture
def demo(seeded):
    # The demo gives learners every kind of state: attendance, claims, certificates, online
    # attempts, drills, required training, licences with requirements, CPE Monitor reports.
    # Seeded once for the package (tests/demo/seeded/conftest.py): each part is read, nothing
    # written.
    learners = list(User.objects.filter(email__in=["clinician@example.org",
                                                   "pharmacist@example.org"]))
    courses = list(Course.objects.filter(status=Course.Status.PUBLISHED)
                   .values_list("slug", flat=True))
    return {"learners": learners, "courses": courses}


def _request(rf, user, path="/"):
    request = rf.get(path)
    request.user = user
    return request


def _catalog_queries():
    specialty = Specialty.objects.values_list("slug", flat=True).first()
    return ["", "q=sepsis", f"specialty={specialty}", "format=live", "profession=nurse",
            "credit_type=ama_pra_1", "starts_from=2026-01-01&starts_until=2030-12-31",
            "has_free_seats=on", "include_past=on", "sort=title", "sort=credits",
            "q=sepsis&sort=relevance", "page=2"]


def _build_catalog(demo, rf, client):
    for query in _catalog_queries():
        render_to_string("courses/_catalog_results.html",
                         {"catalog": _catalog_context(QueryDict(query))})
        client.get(reverse("courses:catalog") + "?" + query)  # the whole page, for visitors


def _build_course_detail(demo, rf, client):
    for slug in demo["courses"]:
        for user in (*demo["learners"], AnonymousUser()):
            course_detail_get(slug=slug, user=user)


def _build_public_course_page(demo, rf, client):
    for slug in demo["courses"]:
        client.get(reverse("courses:detail", args=[slug]))


def _build_course_page(demo, rf, client):
    for user in demo["learners"]:
        for slug in demo["courses"]:
            _course_page_parts(_request(rf, user), slug, "token")


def _build_my_learning(demo, rf, client):
    for user in demo["learners"]:
        _sections_render(_request(rf, user), "token")


def _build_transcript(demo, rf, client):
    for user in demo["learners"]:
        for query in ("", "voided=on", "credit_type=acpe", "start=2020-01-01&end=2030-12-31"):
            _transcript_render(_request(rf, user, f"{TRANSCRIPT}?{query}"))


BUILDS = {
    "catalog": _build_catalog,
    "course-detail": _build_course_detail,
    "public-course-page": _build_public_course_page,
    "course-page": _build_course_page,
    "my-learning": _build_my_learning,
    "transcript": _build_transcript,
}
# What each build must reach, so the check covers every section the demo can show.
REACHED = {
    "catalog": {"courses_course", "courses_creditdesignation", "courses_specialty"},
    "course-detail": {"courses_session", "disclosures_financialdisclosure", "courses_topic"},
    "public-course-page": {"courses_session", "courses_disclosure"},
    "course-page": {"credits_attendance", "credits_creditrecord", "credits_certificate",
                    "online_posttestattempt", "courses_session"},
    "my-learning": {"credits_attendance", "credits_creditrecord", "credits_certificate",
                    "credits_drillenrolment", "credits_assignmentmember",
                    "online_posttestattempt", "credits_requirementset", "courses_session"},
    "transcript": {"credits_creditrecord", "credits_certificate", "credits_boardreport",
                   "courses_creditdesignation"},
}


def test_every_cached_part_has_a_build_here():
    assert set(CachedPart.registry) == set(BUILDS)


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_a_cached_part_reads_only_the_tables_it_declares(name, demo, rf, client):
    part = CachedPart.registry[name]
    read = _tables_read(lambda: BUILDS[name](demo, rf, client))
    assert REACHED[name] <= read, REACHED[name] - read
    assert read <= part.tables, " ".join(sorted(read - part.tables))
