"""The demo catalog: realistic, searchable and safe to load twice."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import Course, Enrolment, Session
from courses.selectors.catalog import course_catalog_list

pytestmark = pytest.mark.django_db


def test_demo_catalog_is_idempotent_and_searchable():
    call_command("seed_demo")
    counts = (Course.objects.count(), Session.objects.count(), Enrolment.objects.count())
    call_command("seed_demo")
    assert (Course.objects.count(), Session.objects.count(), Enrolment.objects.count()) == counts
    # The catalog, the past activities of credits.learning.demo (the physician's three and the
    # pharmacist's two ACPE activities), the required infection-control module of
    # credits.assignments.demo and the practice drill of credits.drills.demo.
    assert counts[0] == 7 + 3 + 2 + 1 + 1

    rounds = Course.objects.get(slug="medical-grand-rounds")
    assert rounds.sessions.filter(starts_at__lt=timezone.now()).exists()
    assert rounds.sessions.filter(starts_at__gt=timezone.now()).exists()
    assert Course.objects.get(slug="simulation-airway-workshop").capacity == 12
    assert Course.objects.get(slug="pharmacy-update-anticoagulation").credit_designations.get(
        credit_type="acpe").acpe_uan
    assert [c.slug for c in course_catalog_list(q="opioid")] == ["safe-opioid-prescribing"]
    assert Enrolment.objects.filter(user__email="clinician@example.org",
                                    status=Enrolment.Status.ENROLLED).count() == 3 + 1
    directed = Course.objects.filter(directors__email="educator@example.org")
    assert directed.count() == 7 + 3 + 2 + 1 + 1
