"""The clinician's next step, on the course page (check in, evaluate, claim credit, download
the certificate) and as Check in buttons in My learning's upcoming sessions."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.ledger.claims import credit_claim
from credits.models import Certificate, EvaluationResponse
from tests.credits.claim_world import attended_course
from tests.factories import AttendanceFactory, CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _action(client, user, course):
    client.force_login(user)
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    return response.context["action"]


def test_enrolled_clinician_sees_check_in_while_the_session_window_is_open(client, clinician):
    course = CourseFactory()
    now = timezone.now()
    SessionFactory(course=course, starts_at=now - datetime.timedelta(minutes=10),
                   ends_at=now + datetime.timedelta(minutes=50))
    EnrolmentFactory(course=course, user=clinician)
    action = _action(client, clinician, course)
    assert action.label == "Check in"
    assert action.url == reverse("attendance:checkin")
    assert action.method == "get"


def test_enrolled_clinician_sees_cancel_before_the_check_in_window_opens(client, clinician):
    course = CourseFactory()
    start = timezone.now() + datetime.timedelta(days=2)
    SessionFactory(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    EnrolmentFactory(course=course, user=clinician)
    assert _action(client, clinician, course).label == "Cancel enrolment"


def test_attended_clinician_is_asked_to_evaluate_then_to_claim(client, clinician):
    course = attended_course(clinician, evaluation_required=True)
    EnrolmentFactory(course=course, user=clinician)
    action = _action(client, clinician, course)
    assert (action.label, action.url) == ("Evaluate",
                                          reverse("evaluations:evaluation", args=[course.slug]))
    EvaluationResponse.objects.create(user=clinician, course=course)
    action = _action(client, clinician, course)
    assert (action.label, action.url) == ("Claim credit",
                                          reverse("ledger:claim", args=[course.slug]))
    assert "days left to claim" in action.note


def test_claimed_credit_offers_the_ready_certificate(client, clinician,
                                                     django_capture_on_commit_callbacks):
    course = attended_course(clinician, evaluation_required=False)
    with django_capture_on_commit_callbacks() as claim_callbacks:
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    with django_capture_on_commit_callbacks():  # issue the certificate; leave it unrendered
        for callback in claim_callbacks:
            callback()
    certificate = Certificate.objects.get(user=clinician, course=course)
    assert _action(client, clinician, course).label == ""  # a note while it is being made
    assert b"being made" in client.get(course.get_absolute_url()).content
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.READY)
    action = _action(client, clinician, course)
    assert (action.label, action.url) == ("Download certificate",
                                          reverse("certificates:download",
                                                  args=[certificate.pk]))


def test_anonymous_visitor_still_sees_sign_in(client):
    course = CourseFactory()
    start = timezone.now() + datetime.timedelta(days=2)
    SessionFactory(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    assert client.get(course.get_absolute_url()).context["action"].label == "Sign in to enrol"


def test_my_learning_check_in_button_is_active_only_inside_the_window(client, clinician):
    now = timezone.now()
    in_progress = CourseFactory(title="Sepsis update")
    SessionFactory(course=in_progress, starts_at=now - datetime.timedelta(minutes=5),
                   ends_at=now + datetime.timedelta(minutes=55))
    later = CourseFactory(title="Opioid stewardship")
    SessionFactory(course=later, starts_at=now + datetime.timedelta(days=3),
                   ends_at=now + datetime.timedelta(days=3, hours=1))
    for course in (in_progress, later):
        EnrolmentFactory(course=course, user=clinician)
    client.force_login(clinician)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert f'href="{reverse("attendance:checkin")}">Check in</a>' in html
    assert html.count("disabled") == 1
    assert "Check-in opens" in html


def test_my_learning_shows_checked_in_instead_of_the_button(client, clinician):
    now = timezone.now()
    course = CourseFactory()
    session = SessionFactory(course=course, starts_at=now - datetime.timedelta(minutes=5),
                             ends_at=now + datetime.timedelta(minutes=55))
    EnrolmentFactory(course=course, user=clinician)
    AttendanceFactory(session=session, user=clinician)
    client.force_login(clinician)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Checked in" in html
    assert ">Check in</a>" not in html
