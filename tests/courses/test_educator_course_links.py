"""My courses and the course workspace link to what exists for a published course: enrolments,
check-in display, roster, attendance import, evaluation results, roster CSV and (for the CME
office) certificate regeneration."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_role_grant
from tests.courses.test_my_courses import _course_with_everything

pytestmark = pytest.mark.django_db


def _links_for(course, sessions):
    future, past = sessions
    return {
        "enrolments": reverse("courses:enrolments", args=[course.pk]),
        "evaluations": reverse("evaluations:evaluation_results", args=[course.pk]),
        "roster_csv": reverse("reports:educator_roster", args=[course.pk]),
        "checkin": reverse("attendance:checkin_display", args=[future.pk]),
        "roster": reverse("attendance:roster", args=[past.pk]),
        "import": reverse("attendance:import_upload", args=[past.pk]),
        "regeneration": reverse("certificates:regeneration", args=[course.pk]),
    }


def _sessions(course):
    sessions = sorted(course.sessions.all(), key=lambda session: session.starts_at)
    return sessions[1], sessions[0]


def test_my_courses_row_links_to_enrolments_attendance_evaluations_and_roster(client,
                                                                              educator):
    course = _course_with_everything(educator)
    links = _links_for(course, _sessions(course))
    client.force_login(educator)
    html = client.get(reverse("educator:my_courses")).content.decode()
    for name in ("enrolments", "evaluations", "roster_csv", "checkin", "roster"):
        assert f'href="{links[name]}"' in html, name
    assert links["regeneration"] not in html


def test_workspace_links_each_session_to_check_in_roster_and_import(client, educator):
    course = _course_with_everything(educator)
    links = _links_for(course, _sessions(course))
    client.force_login(educator)
    html = client.get(reverse("educator:course_overview", args=[course.pk])).content.decode()
    for name in ("enrolments", "evaluations", "roster_csv", "checkin", "roster", "import"):
        assert f'href="{links[name]}"' in html, name
    assert links["regeneration"] not in html


def test_workspace_offers_certificate_regeneration_to_administrators(client, educator):
    administrator = educator
    user_role_grant(user=administrator, role=Role.ADMINISTRATOR)
    course = _course_with_everything(administrator)
    client.force_login(administrator)
    html = client.get(reverse("educator:course_overview", args=[course.pk])).content.decode()
    assert reverse("certificates:regeneration", args=[course.pk]) in html
