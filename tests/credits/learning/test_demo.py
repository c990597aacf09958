"""The demo learning history: what Dr Priya Raman sees after `manage.py seed_demo`, twice."""
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from credits.learning.selectors import learning_todo_for
from credits.models import Attendance, Certificate, CreditRecord, EvaluationResponse
from credits.requirements.selectors import requirement_progress_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_clinician(django_capture_on_commit_callbacks):
    # Run the on-commit work (certificates issued) as `make run` would, minus the PDF worker.
    with django_capture_on_commit_callbacks():
        call_command("seed_demo")
    return User.objects.get(email="clinician@example.org")


def _counts(user) -> tuple[int, ...]:
    return (Attendance.objects.filter(user=user).count(),
            EvaluationResponse.objects.filter(user=user).count(),
            CreditRecord.objects.filter(user=user).count(),
            Certificate.objects.filter(user=user).count())


def test_seeding_again_adds_no_attendance_evaluation_or_credit(demo_clinician):
    before = _counts(demo_clinician)
    call_command("seed_demo")
    assert _counts(demo_clinician) == before
    assert before[2] >= 2


def test_demo_clinician_has_claimed_grand_rounds_and_risk_management(demo_clinician):
    claimed = set(CreditRecord.objects.filter(user=demo_clinician, source="claim")
                  .values_list("course__slug", flat=True))
    assert claimed == {"medical-grand-rounds", "risk-management-informed-consent"}


def test_demo_to_do_list_asks_to_evaluate_one_course_and_claim_another(demo_clinician):
    todo = learning_todo_for(demo_clinician)
    assert [status.course.slug for status in todo.evaluations] == ["sepsis-first-hour"]
    assert [status.course.slug for status in todo.claims] == ["delirium-older-inpatients"]


def test_demo_risk_management_requirement_shows_partial_progress(demo_clinician):
    (licence_progress,) = requirement_progress_for(demo_clinician)
    risk = next(topic for topic in licence_progress.topics if topic.label == "Risk management")
    assert Decimal("0") < risk.earned < risk.required


def test_demo_clinician_sees_her_to_do_list_on_my_learning(client, demo_clinician):
    client.force_login(demo_clinician)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Evaluate <strong>Sepsis: Early Recognition and the First Hour</strong>" in html
    assert "Delirium in Hospitalised Older Adults" in html
    assert "Risk management" in html
