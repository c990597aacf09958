"""Educators' My courses: status, next session, enrolled/capacity, attendance, fixed queries."""
import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Enrolment
from credits.models import Attendance
from tests.factories import DraftCourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _course_with_everything(director, index: int = 0, learners=None) -> Course:
    """A published course with a past session (attendance taken), a future one and enrolments."""
    course = DraftCourseFactory(directors=[director], title=f"Course {index:03}", capacity=30,
                           status=Course.Status.PUBLISHED)
    now = timezone.now().replace(microsecond=0)
    past = SessionFactory(course=course, starts_at=now - datetime.timedelta(days=2),
                          ends_at=now - datetime.timedelta(days=2, hours=-1))
    SessionFactory(course=course, starts_at=now + datetime.timedelta(days=3),
                   ends_at=now + datetime.timedelta(days=3, hours=1))
    learners = learners or [UserFactory() for _ in range(3)]
    for learner in learners[:2]:
        Enrolment.objects.create(user=learner, course=course, status=Enrolment.Status.ENROLLED)
    Enrolment.objects.create(user=learners[2], course=course, status=Enrolment.Status.CANCELLED)
    Attendance.objects.create(session=past, user=learners[0], source=Attendance.Source.ROSTER)
    return course


def test_my_courses_shows_status_next_session_enrolment_and_attendance(client, educator):
    educator.time_zone = "America/Chicago"
    educator.save()
    published = _course_with_everything(educator)
    DraftCourseFactory(directors=[educator], title="Draft course")
    DraftCourseFactory(directors=[educator], title="Returned course", review_comment="Fix it.")
    DraftCourseFactory(directors=[educator], title="Waiting course", status=Course.Status.IN_REVIEW)
    untaken = DraftCourseFactory(directors=[educator], title="No attendance yet",
                            status=Course.Status.PUBLISHED)
    SessionFactory(course=untaken, starts_at=timezone.now() - datetime.timedelta(days=1),
                   ends_at=timezone.now() - datetime.timedelta(hours=23))
    DraftCourseFactory(title="Someone else's course")
    client.force_login(educator)

    response = client.get(reverse("educator:my_courses"))
    page = response.content.decode()
    rows = {course.title: course for course in response.context["courses"]}
    assert set(rows) == {"Course 000", "Draft course", "Returned course", "Waiting course",
                         "No attendance yet"}
    for badge in ("Published", "Draft", "Returned with comment", "In review"):
        assert f">{badge}</span>" in page
    assert rows["Course 000"].enrolled_count == 2
    assert "2 / 30" in page
    assert rows["Course 000"].attendance_taken is True
    assert rows["No attendance yet"].attendance_taken is False
    assert "Not taken" in page
    next_start = published.sessions.order_by("-starts_at").first().starts_at.astimezone(
        zoneinfo.ZoneInfo("America/Chicago"))
    assert f"{next_start:%a %-d %b %Y, %H:%M}" in page
    assert f"{next_start.tzname()}</td>" in page


@pytest.mark.parametrize("courses", [1, 50])
def test_my_courses_runs_a_fixed_number_of_queries(client, educator, django_assert_num_queries,
                                                    courses):
    learners = [UserFactory() for _ in range(3)]
    for index in range(courses):
        _course_with_everything(educator, index, learners)
    client.force_login(educator)
    # session, user, roles, MFA check, then the one query for the table.
    with django_assert_num_queries(5):
        response = client.get(reverse("educator:my_courses"))
    assert len(response.context["courses"]) == courses
