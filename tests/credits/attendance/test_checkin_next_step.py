"""After checking in, the page shows the activity and what comes next, not an empty form."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.models import Attendance
from tests.factories import (
    CourseFactory,
    CreditDesignationFactory,
    EnrolmentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def _running_session(clinician, **course_fields):
    now = timezone.now().replace(microsecond=0)
    course = CourseFactory(title="Sepsis: Early Recognition and the First Hour", **course_fields)
    session = SessionFactory(course=course, starts_at=now - datetime.timedelta(minutes=5),
                             ends_at=now + datetime.timedelta(minutes=55), checkin_code="SEPS2S")
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
    EnrolmentFactory(user=clinician, course=course)
    return session


def test_after_checking_in_the_page_offers_the_evaluation_next(client, clinician):
    session = _running_session(clinician, evaluation_required=True)
    client.force_login(clinician)
    response = client.post(reverse("attendance:checkin"), {"code": "SEPS2S"}, follow=True)
    page = response.text
    assert response.templates[0].name == "credits/attendance/checkin_done.html"
    assert "You&#x27;re checked in to" in page
    assert session.course.title in page and "Your next step" in page
    assert reverse("evaluations:evaluation", args=[session.course.slug]) in page
    assert "Claim your credit once the session has ended" in page
    assert 'name="code"' not in page  # not the empty code form again


def test_without_an_evaluation_the_next_step_says_when_claiming_opens(client, clinician):
    session = _running_session(clinician, evaluation_required=False)
    client.force_login(clinician)
    page = client.post(reverse("attendance:checkin"), {"code": "SEPS2S"}, follow=True).text
    assert "You can claim credit once the session has ended, from" in page
    assert reverse("ledger:claim", args=[session.course.slug]) not in page


def test_scanned_check_in_lands_on_the_same_next_step(client, clinician):
    _running_session(clinician, evaluation_required=True)
    client.force_login(clinician)
    page = client.post(reverse("attendance:checkin_scanned", args=["SEPS2S"]), follow=True).text
    assert "Your next step" in page


def test_the_next_step_page_shows_only_the_viewers_own_check_in(client, clinician,
                                                                 other_clinician):
    session = _running_session(clinician)
    Attendance.objects.create(session=session, user=other_clinician, source="check_in",
                              checked_in_at=timezone.now())
    client.force_login(clinician)
    for value in (session.pk, "not-a-number", ""):
        page = client.get(reverse("attendance:checkin"), {"session": value}).text
        assert 'name="code"' in page and "Your next step" not in page
