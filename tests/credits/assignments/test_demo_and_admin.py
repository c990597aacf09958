"""The demo's required assignment and dashboard history; the Django admin for assignments."""
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from credits.assignments.selectors import assignment_completion_by_group, assignments_todo_for
from credits.models import Assignment
from credits.reports.dashboard import credits_issued_per_month, licence_compliance
from tests.credits.online.helpers import make_module

pytestmark = pytest.mark.django_db


def test_demo_assigns_infection_control_due_in_two_weeks_with_history_for_the_charts():
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    priya = User.objects.get(email="clinician@example.org")
    todo = assignments_todo_for(user=priya)
    infection = next(m for m in todo if m.assignment.course.slug ==
                     "infection-control-annual-update")
    assert infection.due_on == timezone.localdate() + datetime.timedelta(days=14)
    assert infection.assignment.recurrence == Assignment.Recurrence.ANNUAL
    course = infection.assignment.course
    assert course.lessons.count() == 4 and course.questions.count() == 6
    groups = assignment_completion_by_group()
    assert len(groups) == 2 and all(g.done and g.in_progress for g in groups)
    assert any(g.overdue for g in groups)
    assert len({m for (m, _) in credits_issued_per_month().amounts}) >= 6
    compliance = licence_compliance()
    assert compliance.met and compliance.on_track and compliance.behind


def test_the_django_admin_creates_an_assignment_and_its_members(client, admin_user,
                                                                 other_clinician):
    course = make_module(title="Infection Prevention and Control")
    client.force_login(admin_user)
    assert client.get(reverse("admin:credits_assignment_add")).status_code == 200
    response = client.post(reverse("admin:credits_assignment_add"), {
        "title": "Annual infection control", "course": course.pk, "target": "role",
        "target_value": "Clinician", "due": "fixed",
        "due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "recurrence": "annual", "status": "active", "email_line_count": 0,
        "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = Assignment.objects.get()
    assert assignment.created_by == admin_user
    assert other_clinician.pk in set(assignment.members.values_list("user_id", flat=True))
