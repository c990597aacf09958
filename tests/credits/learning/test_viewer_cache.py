"""My learning's, the transcript's and the course page's cached parts (courses.viewer_cache):
built only from rows their fingerprint covers, and never served once one of those rows changed,
by any path."""
import datetime
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Licence, User
from courses.models import Course, Enrolment
from courses.selectors.catalog import COURSE_DETAIL_ROWS, COURSE_PAGE_ROWS, course_detail_get
from courses.viewer_cache import CSRF_STAND_IN
from courses.views import _course_page_parts
from cpd_portal.demo.seed import demo_seed
from credits.drills.models import DrillEnrolment
from credits.learning.selectors import MY_LEARNING_ROWS
from credits.learning.views import _sections_render
from credits.ledger.models import CreditRecord
from credits.ledger.transcript import TRANSCRIPT_ROWS
from credits.ledger.views import _transcript_render
from tests.factories import CourseFactory, SessionFactory, UserFactory

MY_LEARNING = reverse("learning:my_learning")
TRANSCRIPT = reverse("ledger:transcript")


def _tables_read(render) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        render()
    return {table for query in queries.captured_queries
            for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])}


@pytest.fixture
def demo_learners(db, django_capture_on_commit_callbacks):
    # The demo gives learners every kind of state: attendance, claims, certificates, online
    # attempts, drills, required training, licences with requirements, CPE Monitor reports.
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed()
    return list(User.objects.filter(email__in=["clinician@example.org",
                                               "pharmacist@example.org"]))


def _request_for(user, rf):
    request = rf.get("/")
    request.user = user
    return request


def test_every_table_my_learning_reads_is_in_its_fingerprint(demo_learners, rf):
    read = set()
    for user in demo_learners:
        read |= _tables_read(lambda user=user: _sections_render(_request_for(user, rf), "t"))
    # The demo reaches every section, so the check covers each one's reads.
    assert {"credits_attendance", "credits_creditrecord", "credits_certificate",
            "credits_drillenrolment", "credits_assignmentmember", "online_posttestattempt",
            "credits_requirementset", "courses_session"} <= read
    assert read <= MY_LEARNING_ROWS.tables, read - MY_LEARNING_ROWS.tables


def test_every_table_the_transcript_reads_is_in_its_fingerprint(demo_learners, rf):
    read = set()
    for user in demo_learners:
        for query in ("", "voided=on", "credit_type=acpe"):
            request = rf.get(TRANSCRIPT + "?" + query)
            request.user = user
            read |= _tables_read(lambda request=request: _transcript_render(request))
    assert {"credits_creditrecord", "credits_certificate", "credits_boardreport",
            "courses_creditdesignation"} <= read
    assert read <= TRANSCRIPT_ROWS.tables, read - TRANSCRIPT_ROWS.tables


def _upcoming(client) -> str:
    html = client.get(MY_LEARNING).text
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


def test_a_bulk_update_shows_on_the_next_request(client, clinician, enrolled):
    client.force_login(clinician)
    assert "Sepsis grand rounds" in _upcoming(client)
    # No signal is sent for a queryset update: the fingerprint still sees the new row version.
    _in_new_transaction(lambda: Enrolment.objects.filter(user=clinician).update(
        status=Enrolment.Status.CANCELLED))
    assert "Sepsis grand rounds" not in _upcoming(client)
    assert "No upcoming sessions" in _upcoming(client)


def test_a_session_moved_by_raw_sql_shows_on_the_next_request(client, clinician, enrolled):
    client.force_login(clinician)
    assert "Main auditorium" in _upcoming(client)

    def move():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE courses_session SET location = 'Simulation centre' "
                           "WHERE course_id = %s", [enrolled.pk])
    _in_new_transaction(move)
    assert "Simulation centre" in _upcoming(client)


def test_another_learners_change_leaves_the_cached_sections_in_place(
        client, clinician, enrolled, django_assert_num_queries):
    client.force_login(clinician)
    client.get(MY_LEARNING)
    other = UserFactory()
    _in_new_transaction(lambda: Licence.objects.create(
        user=other, state="MA", number="123", profession="physician",
        expires_on=datetime.date(2028, 1, 1)))
    with django_assert_num_queries(3 + 1):  # session, user, groups and the fingerprint
        client.get(MY_LEARNING)


def test_two_learners_with_no_history_each_get_their_own_page(client, db):
    first, second = UserFactory(degree=""), UserFactory(degree="MD")
    client.force_login(first)
    assert "your degree" in client.get(MY_LEARNING).text
    client.force_login(second)
    assert "your degree" not in client.get(MY_LEARNING).text


def test_a_cached_form_carries_the_token_of_the_browser_it_is_sent_to(db, clinician):
    course = CourseFactory(title="Anticoagulation online", format=Course.Format.ENDURING)
    Enrolment.objects.create(user=clinician, course=course, status=Enrolment.Status.ENROLLED)
    phone, desktop = Client(), Client()
    phone.force_login(clinician)
    desktop.force_login(clinician)
    phone.get(MY_LEARNING)
    page = desktop.get(MY_LEARNING)  # served from the phone's render
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
    assert "No credit records" in client.get(TRANSCRIPT).text
    _in_new_transaction(lambda: CreditRecord.objects.create(
        user=clinician, course=enrolled, credit_type="ama_pra_1", amount=1,
        completed_on=datetime.date(2026, 11, 3), claimed_at=timezone.now(),
        source=CreditRecord.Source.CLAIM))
    assert "Sepsis grand rounds" in client.get(TRANSCRIPT).text
    # Bulk updates of drill enrolments (the scan's last_delivered_on) change the fingerprint.
    before = MY_LEARNING_ROWS.of(clinician.pk)
    drill = CourseFactory(title="Sepsis drill", format=Course.Format.DRILL)
    _in_new_transaction(lambda: DrillEnrolment.objects.create(
        user=clinician, course=drill, joined_at=timezone.now()))
    middle = MY_LEARNING_ROWS.of(clinician.pk)
    _in_new_transaction(lambda: DrillEnrolment.objects.filter(user=clinician).update(
        last_delivered_on=datetime.date(2026, 12, 1)))
    assert len({before, middle, MY_LEARNING_ROWS.of(clinician.pk)}) == 3


def test_each_thread_prepares_the_fingerprint_on_its_own_connection(clinician):
    # Threaded servers (runserver, gthread workers) give each thread its own connection; each
    # must prepare the statement once, whichever thread ran it last.
    def in_thread() -> str:
        try:
            return MY_LEARNING_ROWS.of(clinician.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as worker:
        for _ in range(2):
            MY_LEARNING_ROWS.of(clinician.pk)
            worker.submit(in_thread).result()
    assert MY_LEARNING_ROWS.of(clinician.pk)


def test_every_table_a_signed_in_course_page_reads_is_covered(demo_learners, rf):
    # The viewer's rows and the course's, both in COURSE_PAGE_ROWS: the page is not keyed by
    # the public pages' version. The cached course also joins the reviewer of a mitigation and
    # the recorder of commercial support, which the page does not print.
    read = set()
    for user in demo_learners:
        for slug in Course.objects.filter(status=Course.Status.PUBLISHED).values_list(
                "slug", flat=True):
            request = _request_for(user, rf)
            read |= _tables_read(lambda request=request, slug=slug: _course_page_parts(
                request, slug, "t"))
    assert {"credits_attendance", "credits_creditrecord", "credits_certificate",
            "online_posttestattempt", "courses_session"} <= read
    covered = COURSE_PAGE_ROWS.tables | {"accounts_user", "accounts_user_groups", "auth_group"}
    assert read <= covered, " ".join(sorted(read - covered))
    assert COURSE_DETAIL_ROWS.tables <= COURSE_PAGE_ROWS.tables


def test_a_signed_in_course_page_stays_cached_when_another_course_changes_and_follows_its_own(
        client, clinician, enrolled, django_assert_num_queries):
    client.force_login(clinician)
    page = enrolled.get_absolute_url()
    assert "Main auditorium" in client.get(page).text
    other = CourseFactory(title="Delirium in older inpatients")
    _in_new_transaction(lambda: SessionFactory(course=other))  # bumps the public version too
    with django_assert_num_queries(3 + 1):  # session, user, groups; the page's fingerprint
        assert "Main auditorium" in client.get(page).text

    def move():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE courses_session SET location = 'Simulation centre' "
                           "WHERE course_id = %s", [enrolled.pk])
    _in_new_transaction(move)
    assert "Simulation centre" in client.get(page).text
    with pytest.raises(TypeError):  # its rows are read for a course: one must be named
        COURSE_PAGE_ROWS.of(clinician.pk)


def test_every_table_the_cached_course_is_read_from_is_in_its_fingerprint(demo_learners):
    read = set()
    for slug in Course.objects.filter(status=Course.Status.PUBLISHED).values_list(
            "slug", flat=True):
        read |= _tables_read(lambda slug=slug: course_detail_get(slug=slug,
                                                                 user=demo_learners[0]))
    assert {"courses_session", "disclosures_financialdisclosure", "courses_topic"} <= read
    # Joined for the reviewer of a mitigation and the recorder of commercial support, which
    # the course page does not print; and the viewer's roles and whether they direct the
    # course, which decide only whether a draft is visible (drafts are never cached).
    covered = COURSE_DETAIL_ROWS.tables | {"accounts_user", "accounts_user_groups",
                                           "auth_group", "courses_course_directors"}
    assert read <= covered, " ".join(sorted(read - covered))


def test_the_cached_course_follows_a_raw_sql_change_and_ignores_other_courses(
        clinician, enrolled, django_assert_num_queries):
    def location() -> str:
        (session,) = course_detail_get(slug=enrolled.slug, user=clinician).sessions.all()
        return session.location  # from the cached course's prefetched sessions

    assert location() == "Main auditorium"
    other = CourseFactory(title="Delirium in older inpatients")
    _in_new_transaction(lambda: SessionFactory(course=other))  # bumps the public version too
    with django_assert_num_queries(2):  # the course's id and its rows' fingerprint
        course_detail_get(slug=enrolled.slug, user=clinician)

    def move():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE courses_session SET location = 'Simulation centre' "
                           "WHERE course_id = %s", [enrolled.pk])
    _in_new_transaction(move)
    assert location() == "Simulation centre"


def test_a_course_page_shows_the_viewers_enrolment_after_they_enrol(client, clinician):
    course = CourseFactory(title="Sepsis grand rounds")
    SessionFactory(course=course)
    client.force_login(clinician)
    assert "Enrol" in client.get(course.get_absolute_url()).text
    client.post(reverse("courses:enrol", args=[course.slug]))
    page = client.get(course.get_absolute_url()).text
    assert "Cancel enrolment" in page and "You are enrolled." in page
