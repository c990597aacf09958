"""A checklist as assigned learning: completed by the checklist's completion, reopened once by
its expiry a year later with one reminder each (learner and manager), and assigned by the office
to a unit from the assigned-learning pages."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from credits.assignments.models import AssignmentMember
from credits.assignments.reminders import assignment_reminders_due_record
from credits.assignments.services import assignment_create, assignments_sweep
from credits.checklists.expiry import checklist_revalidations_open
from credits.checklists.models import LearnerChecklist
from credits.checklists.services import learner_checklist_open
from tests.credits.checklists.helpers import authorise, make_checklist, make_unit
from tests.credits.checklists.test_readiness import validate_all
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_expiry_after_twelve_months_reopens_the_assignment_once_with_one_reminder_each(
        django_capture_on_commit_callbacks):
    nurse = UserFactory(full_name="Amelia Chen", degree="RN", profession="nurse")
    preceptor, manager = UserFactory(), UserFactory()
    make_unit("Medical Intensive Care Unit", nurse, preceptor, managers=[manager])
    checklist = make_checklist(skills=3, expires_after_months=12)
    authorise(checklist, preceptor)
    today = timezone.localdate()
    assignment = assignment_create(
        created_by=checklist.owner, checklist=checklist, title="Annual competencies 2027",
        target="profession", target_value="nurse", due="fixed",
        due_on=today + datetime.timedelta(days=30))
    member = AssignmentMember.objects.get(assignment=assignment)
    assert member.user == nurse and member.completed_on is None

    first = learner_checklist_open(checklist=checklist, learner=nurse)
    with django_capture_on_commit_callbacks(execute=True):
        validate_all(first, preceptor, days_ago=340)  # validated 340 days ago
    member.refresh_from_db()
    # The checklist's completion completes it at once (one before the assignment counts).
    assert member.completed_on == today - datetime.timedelta(days=340)

    # The days that matter, as the hourly ticks see them: before the window, its first day
    # (twice), the assignment's own due-soon week, the eve of the expiry and the day itself.
    first.refresh_from_db()
    reopened = 0
    for days_before in (45, 30, 30, 7, 1, 0):
        day = first.expires_on - datetime.timedelta(days=days_before)
        reopened += checklist_revalidations_open(today=day)["assignments_reopened"]
        assignments_sweep(today=day)
        assignment_reminders_due_record(today=day)
    assert reopened == 1
    member.refresh_from_db()
    assert (member.completed_on, member.due_on, member.period_starts_after) == (
        None, first.expires_on, first.completed_on)
    assert sorted(OutgoingMessage.objects.values_list("recipient_id", "kind")) == sorted([
        (nurse.pk, "checklist_revalidation_due"),
        (manager.pk, "checklist_revalidation_due_manager")])

    # Re-validated: the assignment is done again, on the new completion.
    second = LearnerChecklist.objects.get(learner=nurse, cycle=2)
    with django_capture_on_commit_callbacks(execute=True):
        validate_all(second, preceptor, days_ago=0)
    member.refresh_from_db()
    assert member.completed_on == today


def test_the_office_assigns_a_checklist_to_a_unit_and_the_learner_sees_it_to_do(
        client, admin_user):
    nurse = UserFactory(full_name="Luis Navarro", degree="RN", profession="nurse")
    elsewhere, manager = UserFactory(), UserFactory()
    unit = make_unit("4 West Medical-Surgical", nurse, managers=[manager])
    make_unit("Emergency Department", elsewhere)
    checklist = make_checklist(skills=2, title="Blood administration competency")
    client.force_login(admin_user)
    data = {"checklist": checklist.pk, "title": "Blood administration 2027", "target": "unit",
            "due": "fixed",
            "due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
    refused = client.post(reverse("checklists:assign"), data)
    assert refused.status_code == 400 and "Choose the unit." in refused.text
    response = client.post(reverse("checklists:assign"), {**data, "unit": unit.pk})
    assert response.status_code == 302
    member = AssignmentMember.objects.select_related("assignment").get()
    assert member.user == nurse  # the unit's people, its manager aside
    assert member.assignment.checklist == checklist and member.assignment.course is None
    detail = client.get(response["Location"]).text
    assert "Blood administration competency" in detail
    assert "Unit: 4 West Medical-Surgical" in detail
    client.force_login(nurse)
    learning = client.get(reverse("learning:my_learning")).text
    assert "Blood administration competency" in learning
    assert reverse("checklists:mine") in learning
