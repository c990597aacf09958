"""Educators' pages: only a course's directors reach it; forms turn rule breaks into messages."""
import datetime
import zoneinfo

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import OutgoingMessage
from accounts.roles import Role
from courses.models import Course, Disclosure, Faculty, Topic
from tests.factories import (
    DraftCourseFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
    course_ready_for_review,
)

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def other_educator(db):
    user = UserFactory(full_name="Rita Moreno", roles=[Role.EDUCATOR])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def test_educator_creates_a_course_they_direct(client, educator):
    topic = Topic.objects.first()
    client.force_login(educator)
    response = client.post(reverse("educator:course_create"), {
        "title": "Sepsis update", "summary": "What changed in 2027.", "format": "live",
        "topics": [topic.pk], "target_professions": ["physician", "nurse"],
        "claim_window_days": 60, "evaluation_required": "on",
    })
    course = Course.objects.get(slug="sepsis-update")
    assert response.status_code == 302
    assert response.url == reverse("educator:course_overview", args=[course.pk])
    assert list(course.directors.all()) == [educator]
    assert list(course.topics.all()) == [topic]
    assert course.target_professions == ["physician", "nurse"]
    assert course.status == Course.Status.DRAFT


@pytest.mark.parametrize("name", ["course_overview", "course_edit", "session_create",
                                  "session_series_create", "faculty_add", "designation_create",
                                  "disclosure_create"])
def test_an_educator_who_does_not_direct_the_course_gets_404(client, other_educator, educator,
                                                             name):
    course = DraftCourseFactory(directors=[educator])
    client.force_login(other_educator)
    assert client.get(reverse(f"educator:{name}", args=[course.pk])).status_code == 404


def test_a_non_director_cannot_submit_or_cancel_sessions(client, other_educator, educator):
    course = course_ready_for_review(directors=[educator])
    session = course.sessions.get()
    client.force_login(other_educator)
    assert client.post(reverse("educator:course_submit", args=[course.pk])).status_code == 404
    assert client.post(reverse("educator:session_cancel",
                               args=[course.pk, session.pk])).status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled


def test_weekly_series_form_creates_sessions_in_the_chosen_zone(client, educator):
    course = DraftCourseFactory(directors=[educator])
    client.force_login(educator)
    response = client.post(reverse("educator:session_series_create", args=[course.pk]), {
        "weekdays": ["1"], "start_time": "07:30", "end_time": "08:30",
        "time_zone": "America/New_York", "first_date": "2026-10-20", "interval_weeks": "1",
        "count": "10", "location": "Auditorium B",
    })
    assert response.status_code == 302
    starts = [s.starts_at.astimezone(NEW_YORK) for s in course.sessions.order_by("starts_at")]
    assert len(starts) == 10
    assert {start.time() for start in starts} == {datetime.time(7, 30)}


def test_session_form_shows_the_end_before_start_message_next_to_the_field(client, educator):
    course = DraftCourseFactory(directors=[educator])
    client.force_login(educator)
    response = client.post(reverse("educator:session_create", args=[course.pk]), {
        "date": "2027-01-05", "start_time": "08:30", "end_time": "07:30",
        "time_zone": "America/New_York",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"] == [
        "A session must end after it starts: this one starts at 08:30 and ends at 07:30."]
    assert "Please correct 1 problem" in response.content.decode()


def test_designation_form_explains_the_ama_cap(client, educator):
    course = DraftCourseFactory(directors=[educator])
    SessionFactory(course=course)
    client.force_login(educator)
    response = client.post(reverse("educator:designation_create", args=[course.pk]),
                           {"credit_type": "ama_pra_1", "max_credits": "1.50"})
    assert response.status_code == 200
    assert "cannot exceed its session hours" in response.context["form"].errors["max_credits"][0]
    assert not course.credit_designations.exists()


def test_adding_a_new_faculty_member_leads_to_their_disclosure(client, educator):
    course = DraftCourseFactory(directors=[educator])
    session = SessionFactory(course=course)
    client.force_login(educator)
    response = client.post(reverse("educator:faculty_add", args=[course.pk]), {
        "full_name": "Ana Costa", "degree": "MD", "email": "ana@hospital.example",
        "sessions": [session.pk]})
    person = Faculty.objects.get(full_name="Ana Costa")
    assert response.status_code == 302
    assert f"faculty={person.pk}" in response.url
    assert list(session.faculty.all()) == [person]

    response = client.post(response.url.split("?")[0], {"faculty": person.pk, "role": "faculty"})
    assert response.status_code == 302
    assert Disclosure.objects.get(course=course).role == "faculty"
    request = OutgoingMessage.objects.get(kind="disclosure_request")
    assert request.recipient.email == "ana@hospital.example"


def test_picking_an_existing_faculty_member_reuses_them(client, educator):
    course = DraftCourseFactory(directors=[educator])
    session = SessionFactory(course=course)
    person = FacultyFactory()
    client.force_login(educator)
    client.post(reverse("educator:faculty_add", args=[course.pk]),
                {"existing": person.pk, "sessions": [session.pk]})
    assert list(session.faculty.all()) == [person]
    assert Faculty.objects.count() == 1


def test_submitting_an_incomplete_course_says_what_is_missing(client, educator):
    course = DraftCourseFactory(directors=[educator])
    client.force_login(educator)
    response = client.post(reverse("educator:course_submit", args=[course.pk]), follow=True)
    assert "Add at least one session." in response.content.decode()
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT


def test_the_return_comment_is_shown_to_the_directors(client, educator):
    course = course_ready_for_review(directors=[educator], review_comment="Add objectives.")
    client.force_login(educator)
    page = client.get(reverse("educator:course_overview", args=[course.pk])).content.decode()
    assert "The CME office returned this course" in page
    assert "Add objectives." in page


def test_a_session_of_another_course_is_not_reachable_through_ones_own_course(
        client, educator, other_educator):
    own = DraftCourseFactory(directors=[educator])
    foreign_session = SessionFactory(course=DraftCourseFactory(directors=[other_educator]))
    client.force_login(educator)
    url = reverse("educator:session_edit", args=[own.pk, foreign_session.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("educator:session_cancel",
                               args=[own.pk, foreign_session.pk])).status_code == 404


def test_editing_a_session_keeps_its_wall_clock_time_in_the_form(client, educator):
    course = DraftCourseFactory(directors=[educator])
    session = SessionFactory(course=course,
                             starts_at=datetime.datetime(2027, 7, 6, 11, 30, tzinfo=datetime.UTC),
                             ends_at=datetime.datetime(2027, 7, 6, 12, 30, tzinfo=datetime.UTC))
    client.force_login(educator)
    url = reverse("educator:session_edit", args=[course.pk, session.pk])
    form = client.get(url).context["form"]
    assert (form.initial["start_time"], form.initial["end_time"]) == (
        datetime.time(7, 30), datetime.time(8, 30))
    response = client.post(url, {"date": "2027-07-06", "start_time": "07:45",
                                 "end_time": "08:45", "time_zone": "America/New_York"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2027, 7, 6, 11, 45, tzinfo=datetime.UTC)


def test_a_planner_who_teaches_no_session_gets_a_disclosure(client, educator):
    course = DraftCourseFactory(directors=[educator])
    client.force_login(educator)
    response = client.post(reverse("educator:faculty_add", args=[course.pk]),
                           {"full_name": "Pat Planner"})
    planner = Faculty.objects.get(full_name="Pat Planner")
    assert "role=planner" in response.url
    # The form posts back to its own address, query string included.
    response = client.post(response.url, {"faculty": planner.pk, "role": "planner"})
    assert response.status_code == 302
    assert Disclosure.objects.get(course=course).faculty == planner


def test_cancelling_a_session_asks_first_then_cancels(client, educator):
    course = DraftCourseFactory(directors=[educator])
    session = SessionFactory(course=course)
    client.force_login(educator)
    url = reverse("educator:session_cancel", args=[course.pk, session.pk])
    assert "Cancel this session?" in client.get(url).content.decode()
    session.refresh_from_db()
    assert not session.is_cancelled
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled


@pytest.mark.parametrize("sessions", [1, 20])
def test_course_workspace_runs_a_fixed_number_of_queries(client, educator,
                                                         django_assert_num_queries, sessions):
    course = course_ready_for_review(directors=[educator])
    first = course.sessions.get()
    for week in range(1, sessions):
        SessionFactory(course=course, faculty=[FacultyFactory()],
                       starts_at=first.starts_at + datetime.timedelta(weeks=week),
                       ends_at=first.ends_at + datetime.timedelta(weeks=week))
    client.force_login(educator)
    # Session, user, roles, MFA check; the course; sessions and their faculty, disclosures,
    # designations, lessons, questions, directors, specialties, topics; signed disclosures and
    # their relationships (through sessions and through the people listed), mitigations and
    # commercial support; the sessions' cohort labels (courses.session_audience).
    with django_assert_num_queries(21):
        client.get(reverse("educator:course_overview", args=[course.pk]))


def test_a_published_course_keeps_its_web_address_when_renamed(educator):
    from courses.services import publishing

    course = course_ready_for_review(directors=[educator])
    course.status, course.published_at = Course.Status.PUBLISHED, datetime.datetime.now(
        datetime.UTC)
    course.save()
    old_slug = course.slug
    publishing.course_update(course=course, editor=educator, title="A new title", summary="x")
    course.refresh_from_db()
    assert (course.title, course.slug) == ("A new title", old_slug)
