"""Enrolment services and views: enrol, waitlist, cancel, promotion, approval, emails."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from courses.models import Course, Enrolment
from courses.services.enrolment import enrolment_cancel, enrolment_create, enrolment_decide
from tests.conftest import email_tasks
from tests.factories import CourseFactory, SessionFactory, UserFactory
from tests.outbox import send_outgoing_message

pytestmark = pytest.mark.django_db


def _course(**kwargs) -> Course:
    course = CourseFactory(**kwargs)
    SessionFactory(course=course)
    return course


def _positions(course) -> list[tuple[str, int]]:
    return [(e.user.full_name, e.waitlist_position) for e in course.enrolments.filter(
        status=Enrolment.Status.WAITLISTED).select_related("user").order_by("waitlist_position")]


def test_enrolment_takes_a_seat_while_seats_remain_then_waitlists_in_order():
    course = _course(capacity=2)
    people = [UserFactory(full_name=name) for name in ("A", "B", "C", "D")]
    statuses = [enrolment_create(user=person, course=course).status for person in people]
    assert statuses == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert _positions(course) == [("C", 1), ("D", 2)]


def test_a_clinician_cannot_hold_two_active_enrolments_in_one_course(clinician):
    course = _course()
    enrolment_create(user=clinician, course=course)
    with pytest.raises(ValidationError, match="already have a place"):
        enrolment_create(user=clinician, course=course)


def test_unpublished_or_finished_courses_do_not_take_enrolments(clinician):
    with pytest.raises(ValidationError, match="not open"):
        enrolment_create(user=clinician, course=_course(status=Course.Status.DRAFT))
    finished = CourseFactory()
    SessionFactory(course=finished, starts_at=timezone.now() - datetime.timedelta(days=2),
                   ends_at=timezone.now() - datetime.timedelta(days=2, hours=-1))
    with pytest.raises(ValidationError, match="not open"):
        enrolment_create(user=clinician, course=finished)


def test_waitlisted_clinician_is_promoted_when_a_seat_frees(django_capture_on_commit_callbacks):
    course = _course(capacity=1)
    first, second, third = (UserFactory(full_name=n) for n in ("First", "Second", "Third"))
    seat = enrolment_create(user=first, course=course)
    waiting = enrolment_create(user=second, course=course)
    enrolment_create(user=third, course=course)
    with django_capture_on_commit_callbacks(execute=False):
        enrolment_cancel(enrolment=seat, by=first)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED
    assert waiting.waitlist_position is None
    assert _positions(course) == [("Third", 1)]
    assert OutgoingMessage.objects.filter(recipient=second, kind="enrolment_promoted",
                                          object_key=f"enrolment:{waiting.pk}").exists()


def test_leaving_the_waitlist_keeps_positions_contiguous():
    course = _course(capacity=1)
    enrolment_create(user=UserFactory(full_name="Seat"), course=course)
    waiting = [enrolment_create(user=UserFactory(full_name=n), course=course)
               for n in ("W1", "W2", "W3", "W4")]
    enrolment_cancel(enrolment=waiting[1], by=waiting[1].user)
    assert _positions(course) == [("W1", 1), ("W3", 2), ("W4", 3)]
    enrolment_cancel(enrolment=waiting[0], by=waiting[0].user)
    assert _positions(course) == [("W3", 1), ("W4", 2)]


def test_only_the_clinician_or_the_cme_office_cancels_an_enrolment(clinician, other_clinician,
                                                                    admin_user):
    course = _course()
    enrolment = enrolment_create(user=clinician, course=course)
    with pytest.raises(PermissionDenied):
        enrolment_cancel(enrolment=enrolment, by=other_clinician)
    enrolment_cancel(enrolment=enrolment, by=admin_user)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED


def test_approval_required_courses_hold_requests_until_a_director_decides(
        clinician, other_clinician, educator):
    course = _course(approval_required=True, capacity=1, directors=[educator])
    request = enrolment_create(user=clinician, course=course)
    other = enrolment_create(user=other_clinician, course=course)
    assert request.status == other.status == Enrolment.Status.PENDING
    approved = enrolment_decide(enrolment=request, approve=True, by=educator)
    assert approved.status == Enrolment.Status.ENROLLED
    late = enrolment_decide(enrolment=other, approve=True, by=educator)
    assert (late.status, late.waitlist_position) == (Enrolment.Status.WAITLISTED, 1)
    with pytest.raises(ValidationError, match="already been decided"):
        enrolment_decide(enrolment=request, approve=False, by=educator)


def test_only_directors_and_administrators_decide_requests(clinician, other_clinician):
    course = _course(approval_required=True)
    request = enrolment_create(user=clinician, course=course)
    with pytest.raises(PermissionDenied):
        enrolment_decide(enrolment=request, approve=True, by=other_clinician)
    not_director = UserFactory(roles=["Clinician", "Educator"])
    with pytest.raises(PermissionDenied):
        enrolment_decide(enrolment=request, approve=True, by=not_director)


def test_each_event_queues_its_email_after_commit(django_capture_on_commit_callbacks,
                                                  clinician, educator):
    course = _course(capacity=1, title="Airway workshop")
    approval = _course(approval_required=True, directors=[educator])
    with django_capture_on_commit_callbacks() as callbacks:
        seat = enrolment_create(user=clinician, course=course)
        waiting = enrolment_create(user=UserFactory(), course=course)
        request = enrolment_create(user=clinician, course=approval)
        enrolment_decide(enrolment=request, approve=False, by=educator)
        enrolment_cancel(enrolment=seat, by=clinician)
    kinds = sorted(OutgoingMessage.objects.values_list("kind", flat=True))
    assert kinds == sorted(["enrolment_confirmed", "enrolment_waitlisted", "enrolment_pending",
                            "enrolment_declined", "enrolment_cancelled", "enrolment_promoted"])
    assert len(email_tasks(callbacks)) == 6
    assert OutgoingMessage.objects.get(kind="enrolment_promoted").object_key == (
        f"enrolment:{waiting.pk}")


@pytest.mark.parametrize("kind", ["enrolment_confirmed", "enrolment_waitlisted",
                                  "enrolment_promoted", "enrolment_pending",
                                  "enrolment_approved", "enrolment_declined",
                                  "enrolment_cancelled"])
def test_every_enrolment_email_renders_with_course_and_sessions(clinician, kind):
    clinician.time_zone = "America/Chicago"
    clinician.save()
    course = CourseFactory(title="Airway workshop")
    SessionFactory(course=course,
                   starts_at=datetime.datetime(2030, 1, 8, 13, 0, tzinfo=datetime.UTC),
                   ends_at=datetime.datetime(2030, 1, 8, 17, 0, tzinfo=datetime.UTC))
    enrolment = Enrolment.objects.create(user=clinician, course=course, status="waitlisted",
                                         waitlist_position=3)
    from courses.services.enrolment import _notify

    _notify(enrolment, kind)
    message = OutgoingMessage.objects.get(kind=kind)
    assert send_outgoing_message(message.pk) == "sent"
    sent = mail.outbox[-1]
    assert "Airway workshop" in sent.subject
    assert course.get_absolute_url() in sent.body
    html = sent.alternatives[0][0]
    assert "Priya Raman" in html
    if kind in ("enrolment_confirmed", "enrolment_promoted"):
        assert "Tue 8 Jan 2030, 07:00–11:00 CST" in sent.body


def test_enrol_and_cancel_views_post_and_report_in_plain_words(client, clinician):
    course = _course(capacity=1)
    client.force_login(clinician)
    response = client.post(reverse("courses:enrol", args=[course.slug]), follow=True)
    assert "You are enrolled." in response.content.decode()
    response = client.post(reverse("courses:enrol", args=[course.slug]), follow=True)
    assert "already have a place" in response.content.decode()
    response = client.post(reverse("courses:cancel", args=[course.slug]), follow=True)
    assert "Your enrolment is cancelled" in response.content.decode()
    assert client.get(reverse("courses:enrol", args=[course.slug])).status_code == 405


def test_directors_approve_from_the_enrolments_page(client, clinician, educator):
    course = _course(approval_required=True, directors=[educator])
    request = enrolment_create(user=clinician, course=course)
    client.force_login(educator)
    page = client.get(reverse("courses:enrolments", args=[course.pk]))
    assert "Pending approval" in page.content.decode()
    client.post(reverse("courses:enrolment_decision", args=[course.pk, request.pk]),
                {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == Enrolment.Status.ENROLLED
    assert request.decided_by == educator


def test_educators_who_do_not_direct_a_course_cannot_see_its_enrolments(client, educator):
    course = _course()
    client.force_login(educator)
    assert client.get(reverse("courses:enrolments", args=[course.pk])).status_code == 404


def test_raising_the_capacity_promotes_the_waitlist_in_order():
    from courses.services.enrolment import course_waitlist_promote

    course = _course(capacity=1)
    for name in ("Seat", "W1", "W2", "W3"):
        enrolment_create(user=UserFactory(full_name=name), course=course)
    Course.objects.filter(pk=course.pk).update(capacity=3)
    promoted = course_waitlist_promote(course=course)
    assert [e.user.full_name for e in promoted] == ["W1", "W2"]
    assert _positions(course) == [("W3", 1)]


def test_an_enrolment_given_a_past_moment_is_judged_open_as_of_then(clinician):
    # The demo's history enrols learners in activities held weeks ago, as of before they met.
    course = CourseFactory()
    held = timezone.now() - datetime.timedelta(days=20)
    SessionFactory(course=course, starts_at=held, ends_at=held + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        enrolment_create(user=clinician, course=course)
    enrolment = enrolment_create(user=clinician, course=course,
                                 now=held - datetime.timedelta(days=7))
    assert enrolment.status == Enrolment.Status.ENROLLED
    message = OutgoingMessage.objects.get(kind="enrolment_confirmed")
    assert [session["starts_at"] for session in message.context["sessions"]] == [
        held.isoformat()]
