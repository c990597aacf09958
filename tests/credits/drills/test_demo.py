"""The demo drill: twelve sepsis questions and Dr Raman part-way through."""
import pytest
from django.core.management import call_command

from accounts.models import OutgoingMessage, User
from credits.drills.models import DrillAnswer, DrillCard, DrillEnrolment
from credits.drills.selectors import drill_progress_for

pytestmark = pytest.mark.django_db


def test_the_demo_clinician_is_part_way_through_the_sepsis_drill():
    call_command("seed_demo")
    call_command("seed_demo")
    priya = User.objects.get(email="clinician@example.org")
    enrolment = DrillEnrolment.objects.get(user=priya)
    assert enrolment.course.questions.count() == 12
    assert DrillCard.objects.filter(enrolment=enrolment).count() == 12
    answers = DrillAnswer.objects.filter(delivery__enrolment=enrolment)
    assert answers.filter(is_correct=False).count() == 2 and answers.count() >= 16
    [progress] = drill_progress_for(user=priya)
    assert 0 < progress.retired < 12 and not progress.complete
    assert progress.streak >= 5
    # The replayed mornings' emails are not sent again.
    assert not OutgoingMessage.objects.filter(
        kind="drill_questions", status="queued").exclude(occurrence=progress.enrolment
                                                         .last_delivered_on.isoformat()).exists()
