"""A signed-in viewer's cached parts (My learning, the transcript, the course page, and the
course object the page is built from): each follows every write to the tables it reads, by any
path, and stays cached through writes to tables it does not read."""
import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Enrolment
from courses.selectors.catalog import course_detail_get
from cpd_portal.caching.parts import CSRF_STAND_IN
from credits.drills.models import DrillEnrolment
from credits.learning.selectors import MY_LEARNING
from credits.ledger.models import CreditRecord
from tests.factories import CourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.usefixtures("same_minute")

MY_LEARNING_URL = reverse("learning:my_learning")
TRANSCRIPT_URL = reverse("ledger:transcript")
# Session, user and the viewer's roles (the menu): all a page served from the cache reads.
CACHED_PAGE_QUERIES = 3


def _upcoming(client) -> str:
    html = client.get(MY_LEARNING_URL).text
    return html[html.index('id="upcoming-heading"'):]


@pytest.fixture
def enrolled(clinician):
    course = CourseFactory(title="Sepsis grand rounds")
    SessionFactory(course=course, location="Main auditorium",
                   starts_at=timezone.now() + datetime.timedelta(days=3),
                   ends_at=timezone.now() + datetime.timedelta(days=3, hours=1))
    Enrolment.objects.create(user=clinician, course=course, status=Enrolment.Status.ENROLLED)
    return course


def _in_new_transaction(change) -> None:
    # Each request of a running portal is its own transaction; a test runs in one, so the
    # change is made in a savepoint, as a service's atomic block would be.
    with transaction.atomic():
        change()


def _move_sessions_by_raw_sql(course) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE courses_session SET location = 'Simulation centre' "
                       "WHERE course_id = %s", [course.pk])


def test_a_bulk_update_shows_on_the_next_request(client, clinician, enrolled):
    client.force_login(clinician)
    assert "Sepsis grand rounds" in _upcoming(client)
    _in_new_transaction(lambda: Enrolment.objects.filter(user=clinician).update(
        status=Enrolment.Status.CANCELLED))
    assert "Sepsis grand rounds" not in _upcoming(client)
    assert "No upcoming sessions" in _upcoming(client)


def test_a_session_moved_by_raw_sql_shows_on_the_next_request(client, clinician, enrolled):
    client.force_login(clinician)
    assert "Main auditorium" in _upcoming(client)
    _in_new_transaction(lambda: _move_sessions_by_raw_sql(enrolled))
    assert "Simulation centre" in _upcoming(client)


def test_a_write_to_a_table_the_page_does_not_read_leaves_it_cached(
        client, clinician, enrolled, django_assert_num_queries):
    client.force_login(clinician)
    client.get(MY_LEARNING_URL)
    other = UserFactory()  # people's own rows key only their own pages
    _in_new_transaction(lambda: User.objects.filter(pk=other.pk).update(full_name="Sam Ortiz"))
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        client.get(MY_LEARNING_URL)


def test_the_viewers_own_row_keys_their_pages(client, clinician, enrolled):
    client.force_login(clinician)
    first = _upcoming(client)
    _in_new_transaction(lambda: User.objects.filter(pk=clinician.pk).update(
        time_zone="Asia/Tokyo"))
    assert _upcoming(client) != first  # the same sessions, in the viewer's new zone


def test_two_learners_with_no_history_each_get_their_own_page(client, db):
    first, second = UserFactory(degree=""), UserFactory(degree="MD")
    client.force_login(first)
    assert "your degree" in client.get(MY_LEARNING_URL).text
    client.force_login(second)
    assert "your degree" not in client.get(MY_LEARNING_URL).text


def test_a_cached_form_carries_the_token_of_the_browser_it_is_sent_to(db, clinician):
    course = CourseFactory(title="Anticoagulation online", format=Course.Format.ENDURING)
    Enrolment.objects.create(user=clinician, course=course, status=Enrolment.Status.ENROLLED)
    phone, desktop = Client(), Client()
    phone.force_login(clinician)
    desktop.force_login(clinician)
    phone.get(MY_LEARNING_URL)
    page = desktop.get(MY_LEARNING_URL)  # served from the phone's render
    assert CSRF_STAND_IN not in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    desktop_checked = Client(enforce_csrf_checks=True)
    desktop_checked.cookies = desktop.cookies
    response = desktop_checked.post(reverse("online:start", args=[course.slug]),
                                    {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_drill_scans_bulk_update_and_a_new_credit_record_show_on_the_transcript_and_home(
        client, clinician, enrolled):
    client.force_login(clinician)
    assert "No credit records" in client.get(TRANSCRIPT_URL).text
    _in_new_transaction(lambda: CreditRecord.objects.create(
        user=clinician, course=enrolled, credit_type="ama_pra_1", amount=1,
        completed_on=datetime.date(2026, 11, 3), claimed_at=timezone.now(),
        source=CreditRecord.Source.CLAIM))
    assert "Sepsis grand rounds" in client.get(TRANSCRIPT_URL).text
    # The drill scan's bulk update of last_delivered_on changes My learning's key.
    before = MY_LEARNING.key(clinician.pk)
    drill = CourseFactory(title="Sepsis drill", format=Course.Format.DRILL)
    _in_new_transaction(lambda: DrillEnrolment.objects.create(
        user=clinician, course=drill, joined_at=timezone.now()))
    middle = MY_LEARNING.key(clinician.pk)
    _in_new_transaction(lambda: DrillEnrolment.objects.filter(user=clinician).update(
        last_delivered_on=datetime.date(2026, 12, 1)))
    assert len({before, middle, MY_LEARNING.key(clinician.pk)}) == 3


def test_a_signed_in_course_page_stays_cached_until_a_table_it_reads_is_written(
        client, clinician, enrolled, django_assert_num_queries):
    client.force_login(clinician)
    page = enrolled.get_absolute_url()
    assert "Main auditorium" in client.get(page).text
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        assert "Main auditorium" in client.get(page).text
    _in_new_transaction(lambda: _move_sessions_by_raw_sql(enrolled))
    assert "Simulation centre" in client.get(page).text


def test_the_cached_course_follows_a_raw_sql_change(clinician, enrolled,
                                                    django_assert_num_queries):
    def location() -> str:
        (session,) = course_detail_get(slug=enrolled.slug, user=clinician).sessions.all()
        return session.location  # from the cached course's prefetched sessions

    assert location() == "Main auditorium"
    with django_assert_num_queries(0):  # the course, whole, from the cache
        course_detail_get(slug=enrolled.slug, user=clinician)
    _in_new_transaction(lambda: _move_sessions_by_raw_sql(enrolled))
    assert location() == "Simulation centre"


def test_a_draft_is_shown_to_its_director_and_never_cached(client, educator):
    course = CourseFactory(title="Delirium in older inpatients", status=Course.Status.DRAFT)
    course.directors.add(educator)
    client.force_login(educator)
    assert "Delirium in older inpatients" in client.get(course.get_absolute_url()).text
    client.force_login(UserFactory())
    assert client.get(course.get_absolute_url()).status_code == 404


def test_a_course_page_shows_the_viewers_enrolment_after_they_enrol(client, clinician):
    course = CourseFactory(title="Sepsis grand rounds")
    SessionFactory(course=course)
    client.force_login(clinician)
    assert "Enrol" in client.get(course.get_absolute_url()).text
    client.post(reverse("courses:enrol", args=[course.slug]))
    page = client.get(course.get_absolute_url()).text
    assert "Cancel enrolment" in page and "You are enrolled." in page
