"""The CME office's review: queue, publish, return with a comment, archive; directors emailed."""
import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import OutgoingMessage
from accounts.roles import Role
from courses.models import Course
from courses.services import publishing, review
from tests.conftest import email_tasks
from tests.factories import (
    DraftCourseFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
    course_ready_for_review,
)
from tests.outbox import send_outgoing_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_director(db):
    return UserFactory(full_name="Jo Kim", email="jo@hospital.example", roles=[Role.EDUCATOR])


@pytest.fixture
def submitted(educator, co_director):
    course = course_ready_for_review(directors=[educator, co_director], title="Sepsis update")
    return review.course_submit(course=course, editor=educator)


def test_review_queue_lists_courses_in_review_with_what_is_missing(client, admin_user, educator):
    complete = course_ready_for_review(directors=[educator], title="Complete course",
                                       status=Course.Status.IN_REVIEW)
    incomplete = DraftCourseFactory(directors=[educator], title="Incomplete course",
                               status=Course.Status.IN_REVIEW)
    SessionFactory(course=incomplete, faculty=[FacultyFactory(full_name="Zoe Hart")])
    DraftCourseFactory(directors=[educator], title="Still a draft")
    client.force_login(admin_user)
    response = client.get(reverse("educator:review_queue"))
    page = response.content.decode()
    assert list(response.context["in_review"]) == [complete, incomplete]
    assert "Still a draft" not in page
    assert "missing or lapsed for Zoe Hart" in page
    assert "Nothing: ready to publish" in page


def test_review_queue_runs_fixed_queries_whatever_the_number_of_courses(
        client, admin_user, educator, django_assert_num_queries):
    client.force_login(admin_user)
    course_ready_for_review(directors=[educator], status=Course.Status.IN_REVIEW)
    client.get(reverse("educator:review_queue"))  # warm the session and role caches
    # Incl. lessons and questions (enduring), and the 6 reads of signed disclosures,
    # relationships, mitigations and commercial support (courses.disclosures).
    with django_assert_num_queries(19) as captured:
        client.get(reverse("educator:review_queue"))
    for _ in range(10):
        course_ready_for_review(directors=[educator], status=Course.Status.IN_REVIEW)
    with django_assert_num_queries(len(captured)):
        client.get(reverse("educator:review_queue"))


def test_review_page_shows_sessions_designations_and_disclosures(client, admin_user, submitted):
    client.force_login(admin_user)
    page = client.get(reverse("educator:review_course", args=[submitted.pk])).content.decode()
    assert "Ana Costa" in page
    assert "no financial relationships" in page
    assert "1.00 AMA PRA Category 1 Credit™" in page


def test_publishing_sets_published_at_and_emails_every_director(
        client, admin_user, submitted, educator, co_director,
        django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("educator:review_publish", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Course.Status.PUBLISHED
    assert submitted.published_at is not None
    messages = OutgoingMessage.objects.filter(kind="course_published")
    assert {message.recipient for message in messages} == {educator, co_director}
    assert len(email_tasks(callbacks)) == 2

    for message in messages:
        assert send_outgoing_message(message.pk) == "sent"
    assert sorted(email.to[0] for email in mail.outbox) == sorted([educator.email,
                                                                  co_director.email])
    assert mail.outbox[0].subject.endswith("Published: Sepsis update")
    assert f"/educator/courses/{submitted.pk}/" in mail.outbox[0].body


def test_returning_needs_a_comment(client, admin_user, submitted):
    client.force_login(admin_user)
    response = client.post(reverse("educator:review_return", args=[submitted.pk]),
                           {"comment": "  "})
    assert response.status_code == 400
    assert response.context["return_form"].errors["comment"] == [
        "Say what the directors need to change."]
    submitted.refresh_from_db()
    assert submitted.status == Course.Status.IN_REVIEW


def test_returning_sends_the_course_back_to_draft_with_the_comment_emailed(
        client, admin_user, submitted, educator, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks():
        client.post(reverse("educator:review_return", args=[submitted.pk]),
                    {"comment": "Objectives must be measurable & specific."})
    submitted.refresh_from_db()
    assert submitted.status == Course.Status.DRAFT
    assert submitted.review_comment == "Objectives must be measurable & specific."
    message = OutgoingMessage.objects.get(kind="course_returned", recipient=educator)
    send_outgoing_message(message.pk)
    email = mail.outbox[-1]
    assert "Objectives must be measurable & specific." in email.body
    assert "Returned for changes: Sepsis update" in email.subject
    assert "measurable &amp; specific" in email.alternatives[0][0]

    client.force_login(educator)
    page = client.get(reverse("educator:my_courses")).content.decode()
    assert "Returned with comment" in page


def test_a_course_returned_twice_emails_each_return(admin_user, submitted, educator):
    review.course_return(course=submitted, reviewer=admin_user, comment="First")
    review.course_submit(course=submitted, editor=educator)
    review.course_return(course=submitted, reviewer=admin_user, comment="Second")
    assert OutgoingMessage.objects.filter(kind="course_returned", recipient=educator).count() == 2


def test_an_incomplete_course_cannot_be_published(client, admin_user, educator):
    course = DraftCourseFactory(directors=[educator], status=Course.Status.IN_REVIEW)
    client.force_login(admin_user)
    response = client.post(reverse("educator:review_publish", args=[course.pk]), follow=True)
    assert "cannot be published yet. Add at least one session." in response.content.decode()
    course.refresh_from_db()
    assert course.status == Course.Status.IN_REVIEW


def test_a_draft_cannot_be_published_and_only_a_published_course_is_archived(
        admin_user, educator):
    course = course_ready_for_review(directors=[educator])
    with pytest.raises(publishing.ValidationError, match="Only a course in review"):
        review.course_publish(course=course, reviewer=admin_user)
    with pytest.raises(publishing.ValidationError, match="Only a published course"):
        review.course_archive(course=course, reviewer=admin_user)


def test_archiving_a_published_course(client, admin_user, submitted):
    review.course_publish(course=submitted, reviewer=admin_user)
    client.force_login(admin_user)
    client.post(reverse("educator:review_archive", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == Course.Status.ARCHIVED


def test_educators_cannot_publish(educator, submitted):
    with pytest.raises(publishing.ValidationError, match="Only the CME office"):
        review.course_publish(course=submitted, reviewer=educator)
