"""My learning for clinicians: profile to-do, upcoming sessions, waitlist and pending places."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from tests.factories import CourseFactory, EnrolmentFactory, LicenceFactory, SessionFactory

pytestmark = pytest.mark.django_db
MY_LEARNING = reverse("learning:my_learning")


def test_shows_upcoming_sessions_in_the_viewers_zone_and_places_waiting(client, clinician):
    clinician.time_zone = "America/Denver"
    clinician.save()
    enrolled = CourseFactory(title="Medical Grand Rounds")
    SessionFactory(course=enrolled, title="Sepsis bundles",
                   starts_at=datetime.datetime(2030, 5, 1, 16, 0, tzinfo=datetime.UTC),
                   ends_at=datetime.datetime(2030, 5, 1, 17, 0, tzinfo=datetime.UTC))
    SessionFactory(course=enrolled, title="Last month",
                   starts_at=timezone.now() - datetime.timedelta(days=30),
                   ends_at=timezone.now() - datetime.timedelta(days=30, hours=-1))
    EnrolmentFactory(user=clinician, course=enrolled)
    waitlisted = CourseFactory(title="Airway workshop")
    EnrolmentFactory(user=clinician, course=waitlisted, status=Enrolment.Status.WAITLISTED,
                     waitlist_position=4)
    pending = CourseFactory(title="Risk management")
    EnrolmentFactory(user=clinician, course=pending, status=Enrolment.Status.PENDING)
    someone_elses = CourseFactory(title="Someone else's course")
    SessionFactory(course=someone_elses)
    EnrolmentFactory(course=someone_elses)

    client.force_login(clinician)
    body = client.get(MY_LEARNING).content.decode()
    assert "Wed 1 May, 10:00</time>–11:00 MDT" in body
    assert "Sepsis bundles" in body
    assert "Last month" not in body
    assert "Waitlist: number 4" in body
    assert "Awaiting approval" in body
    assert "Someone else" not in body


def test_profile_to_do_stays_first(client, clinician):
    client.force_login(clinician)
    body = client.get(MY_LEARNING).content.decode()
    assert "Complete your profile" in body
    assert body.index("To do") < body.index("Upcoming sessions")
    clinician.npi = "1234567893"
    clinician.save()
    LicenceFactory(user=clinician)
    assert "Complete your profile" not in client.get(MY_LEARNING).content.decode()
