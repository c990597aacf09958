"""A year later: an expiring validation opens the next cycle once, on the newest version, and
reminds the learner and the unit's manager once each through the outbox."""
import datetime

import pytest
from django.utils import timezone

from accounts.models import OutgoingMessage
from credits.checklists.expiry import checklist_revalidations_open
from credits.checklists.models import LearnerChecklist
from credits.checklists.services import checklist_version_create, learner_checklist_open
from tests.credits.checklists.helpers import authorise, make_checklist, make_unit, outline_of
from tests.credits.checklists.test_readiness import validate_all
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_twelve_months_on_the_next_cycle_opens_once_with_one_reminder_each():
    nurse, preceptor, manager = UserFactory(), UserFactory(), UserFactory()
    unit = make_unit("Medical Intensive Care Unit", nurse, preceptor, managers=[manager])
    checklist = make_checklist(skills=3, expires_after_months=12)
    authorise(checklist, preceptor, unit)
    first = learner_checklist_open(checklist=checklist, learner=nurse)
    validate_all(first, preceptor, days_ago=0)
    first.refresh_from_db()
    assert first.expires_on == first.completed_on.replace(year=first.completed_on.year + 1)
    version_2 = checklist_version_create(checklist=checklist, actor=checklist.owner,
                                         outline=outline_of(4))

    # Eleven months on, nothing yet; 30 days before the expiry, the next cycle opens.
    assert checklist_revalidations_open(
        today=first.expires_on - datetime.timedelta(days=31)) == {
        "opened": 0, "assignments_reopened": 0, "reminders": 0}
    due_day = first.expires_on - datetime.timedelta(days=30)
    for day in (due_day, due_day, due_day + datetime.timedelta(days=3)):
        checklist_revalidations_open(today=day)
    cycles = list(LearnerChecklist.objects.filter(learner=nurse).order_by("cycle"))
    assert [(row.cycle, row.status) for row in cycles] == [(1, "completed"), (2, "in_progress")]
    assert cycles[0].version.number == 1 and cycles[1].version == version_2
    sent = sorted(OutgoingMessage.objects.values_list("recipient_id", "kind"))
    assert sent == sorted([(nurse.pk, "checklist_revalidation_due"),
                           (manager.pk, "checklist_revalidation_due_manager")])

    # Re-validated: the next year's reminders are for the new cycle, not the old one again.
    validate_all(cycles[1], preceptor, days_ago=0)
    assert checklist_revalidations_open(today=due_day + datetime.timedelta(days=10)) == {
        "opened": 0, "assignments_reopened": 0, "reminders": 0}


def test_the_reminder_emails_name_the_checklist_the_expiry_and_the_link():
    from accounts.emails import render_email_parts

    nurse, manager = UserFactory(full_name="Amelia Chen"), UserFactory()
    make_unit("6 West Medical-Surgical", nurse, managers=[manager])
    checklist = make_checklist(skills=2, expires_after_months=12)
    preceptor = UserFactory()
    authorise(checklist, preceptor)
    first = learner_checklist_open(checklist=checklist, learner=nurse)
    validate_all(first, preceptor, days_ago=340)
    checklist_revalidations_open(today=timezone.localdate())
    for message in OutgoingMessage.objects.all():
        subject, text, html = render_email_parts(
            kind=message.kind, context={**message.context, "recipient": message.recipient},
            recipient_time_zone="America/New_York")
        assert "Annual nursing competencies 2027" in subject + text
        assert "25 days from now" in text and "25 days from now" in html
    learner_text = render_email_parts(
        kind="checklist_revalidation_due",
        context={**OutgoingMessage.objects.get(recipient=nurse).context, "recipient": nurse},
        recipient_time_zone="UTC")[1]
    next_cycle = LearnerChecklist.objects.get(learner=nurse, cycle=2)
    assert f"/checklists/mine/{next_cycle.pk}/" in learner_text
