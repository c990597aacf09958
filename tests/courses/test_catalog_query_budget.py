"""Catalog, course page and My learning run the same number of queries at 1 and 50 courses."""
import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.credit_types import CreditType
from courses.models import Enrolment
from tests.factories import (
    CourseFactory,
    CreditDesignationFactory,
    DisclosureFactory,
    EnrolmentFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
    relationship_disclosed,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("same_minute")]

# Signed-in page: session, user and role groups (menu), then the page's own reads.
CATALOG_QUERIES = 3 + 4  # specialty choices, count, page of courses, their credit designations
COURSE_PAGE_QUERIES = 3 + 8 + 4 + 6 + 1  # the course (COURSE_DETAIL), sessions, their faculty,
#   designations, disclosures (who controls content), topics, viewer's enrolment, directors; then
#   the viewer's attendance, evaluation, credit records and certificate; then the signed
#   disclosures and their relationships (reached through sessions and through the list of
#   people), this course's mitigations and its commercial support; then the sessions kept for
#   the viewer's cohorts (courses.session_audience: none here, so no faculty or labels read)
MY_LEARNING_QUERIES = 3 + 11 + 3  # licences exist?, attended courses (to-do), online
#   completions (to-do), required training (to-do), online activities in progress, pathways
#   joined, drills joined, certificates, upcoming, waiting, licences for requirement progress;
#   Next for you: drill misses, the open activities some rule could name (none here: no topic
#   short, no drill missed, no specialty), dismissals. With candidates it also reads their topics
#   and specialties and the learner's enrolments and completions among them, a fixed number
#   whatever their count (tests/credits/suggestions).
# With the sections cached for the viewer (caching.parts): nothing past the session and user.
MY_LEARNING_CACHED_QUERIES = 3


def _catalog_of(size: int, viewer) -> list:
    courses = []
    faculty = [FacultyFactory() for _ in range(3)]
    for number in range(size):
        course = CourseFactory(title=f"Course {number}", capacity=10)
        for day in (3, 10):
            session = SessionFactory(
                course=course,
                starts_at=timezone.now() + datetime.timedelta(days=day + number),
                ends_at=timezone.now() + datetime.timedelta(days=day + number, hours=1))
            session.faculty.set(faculty)
        CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
        CreditDesignationFactory(course=course, credit_type=CreditType.ANCC,
                                 max_credits=Decimal("1.00"))
        DisclosureFactory(course=course, faculty=faculty[0])
        relationship_disclosed(course=course, faculty=faculty[1], company="Cardiora",
                               mitigated_by=course.directors.first() or UserFactory())
        EnrolmentFactory.create_batch(2, course=course)
        status = [Enrolment.Status.ENROLLED, Enrolment.Status.PENDING][number % 2]
        EnrolmentFactory(course=course, user=viewer, status=status)
        courses.append(course)
    return courses


@pytest.mark.parametrize("size", [1, 50])
def test_catalog_query_count_does_not_grow_with_courses(client, clinician,
                                                        django_assert_num_queries, size):
    _catalog_of(size, clinician)
    client.force_login(clinician)
    # What a process looks up once and keeps (content types, the credit types) is not the
    # catalog's cost: a search that finds nothing fills it first, whichever test runs first.
    client.get(reverse("courses:catalog"), {"q": "zzz-nothing"})
    with django_assert_num_queries(CATALOG_QUERIES):
        response = client.get(reverse("courses:catalog"), {"q": "course", "sort": "next"})
    assert len(response.context["catalog"]["page"]) == min(size, 20)


@pytest.mark.parametrize("size", [1, 50])
def test_course_page_query_count_does_not_grow_with_sessions(client, clinician,
                                                             django_assert_num_queries, size):
    course = _catalog_of(size, clinician)[0]
    for day in range(size):
        SessionFactory(course=course,
                       starts_at=timezone.now() + datetime.timedelta(days=40 + day),
                       ends_at=timezone.now() + datetime.timedelta(days=40 + day, hours=1))
    client.force_login(clinician)
    with django_assert_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(course.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 50])
def test_my_learning_query_count_does_not_grow_with_enrolments(client, clinician,
                                                               django_assert_num_queries, size):
    _catalog_of(size, clinician)
    client.force_login(clinician)
    with django_assert_num_queries(MY_LEARNING_QUERIES):
        first = client.get(reverse("learning:my_learning"))
    assert first.context["upcoming_sessions"]
    with django_assert_num_queries(MY_LEARNING_CACHED_QUERIES):
        cached = client.get(reverse("learning:my_learning"))
    assert _main_without_tokens(cached) == _main_without_tokens(first)


# With the page's fragment cached (filters and results): session, user and role groups only.
CATALOG_CACHED_QUERIES = 3
# With the viewer's page cached: nothing past the session and user.
COURSE_PAGE_CACHED_QUERIES = 3
# After a change to the viewer's own row, with the course still cached (COURSE_DETAIL): the
# viewer's enrolment and whether they direct it, the sessions kept for their cohorts
# (courses.session_audience), then their attendance, evaluation, credit records and certificate.
COURSE_PAGE_VIEWER_CHANGED_QUERIES = 3 + 7


@pytest.mark.parametrize("size", [1, 50])
def test_signed_in_course_page_reads_only_the_viewers_state_once_the_course_is_cached(
        client, clinician, django_assert_num_queries, size):
    course = _catalog_of(size, clinician)[0]
    client.force_login(clinician)
    first = client.get(course.get_absolute_url())
    with django_assert_num_queries(COURSE_PAGE_CACHED_QUERIES):
        again = client.get(course.get_absolute_url())
    assert _main_without_tokens(again) == _main_without_tokens(first)
    assert b"Cardiora" in again.content
    with transaction.atomic():  # a new version of the viewer's row, as a request's write makes
        User.objects.filter(pk=clinician.pk).update(last_login=timezone.now())
    with django_assert_num_queries(COURSE_PAGE_VIEWER_CHANGED_QUERIES):
        changed = client.get(course.get_absolute_url())
    assert _main_without_tokens(changed) == _main_without_tokens(first)


def _main_without_tokens(response) -> bytes:
    main = response.content[response.content.index(b"<main"):response.content.index(b"</main>")]
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", main)


def test_a_change_shows_in_the_next_signed_in_course_page_request(
        client, clinician, django_capture_on_commit_callbacks):
    course = _catalog_of(1, clinician)[0]
    client.force_login(clinician)
    assert b"Extra date" not in client.get(course.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(course=course, title="Extra date",
                       starts_at=timezone.now() + datetime.timedelta(hours=5),
                       ends_at=timezone.now() + datetime.timedelta(hours=6))
    assert b"Extra date" in client.get(course.get_absolute_url()).content


def _results(response) -> bytes:
    start = response.content.index(b'<section class="catalog-results"')
    return response.content[start:response.content.index(b"</section>", start)]


@pytest.mark.parametrize("size", [1, 50])
def test_signed_in_catalog_reads_only_the_viewer_once_its_results_are_cached(
        client, clinician, django_assert_num_queries, size):
    _catalog_of(size, clinician)
    client.force_login(clinician)
    first = client.get(reverse("courses:catalog"))
    with django_assert_num_queries(CATALOG_CACHED_QUERIES):
        again = client.get(reverse("courses:catalog"))
    assert _results(again) == _results(first)  # the rest differs: a fresh CSRF token
    assert again.content.count(b'class="card course-card"') == min(size, 20)


def test_a_change_shows_in_the_next_signed_in_catalog_request(
        client, clinician, django_capture_on_commit_callbacks):
    course = _catalog_of(1, clinician)[0]
    client.force_login(clinician)
    assert b"3 seats left" not in client.get(reverse("courses:catalog")).content
    with django_capture_on_commit_callbacks(execute=True):
        course.capacity = 6  # three enrolled: three left
        course.save()
        SessionFactory(course=course, title="Extra date",
                       starts_at=timezone.now() + datetime.timedelta(hours=5),
                       ends_at=timezone.now() + datetime.timedelta(hours=6))
    page = client.get(reverse("courses:catalog")).content.decode()
    assert "3 seats left" in page
    soon = timezone.localtime(timezone.now() + datetime.timedelta(hours=5))
    assert soon.strftime("%H:%M") in page


def test_the_cached_results_follow_the_viewers_time_zone(client, clinician, other_clinician):
    course = _catalog_of(1, clinician)[0]
    starts = course.sessions.order_by("starts_at").first().starts_at
    other_clinician.time_zone = "Asia/Tokyo"
    other_clinician.save()
    client.force_login(clinician)
    eastern = client.get(reverse("courses:catalog")).content.decode()
    client.force_login(other_clinician)
    tokyo = client.get(reverse("courses:catalog")).content.decode()
    tokyo_time = starts.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert tokyo_time in tokyo and tokyo_time not in eastern
