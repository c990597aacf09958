"""The Django admin for assignments."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.models import Assignment
from tests.credits.online.helpers import make_module

pytestmark = pytest.mark.django_db


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
