"""The CME office's dashboard: each figure against hand-counted data, with its query count
pinned, and the pages (dashboard, assignment list and drill-down) at two data sizes."""
import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import profession_choices
from accounts.roles import Role
from credits.assignments.selectors import assignment_completion_by_group
from credits.assignments.services import assignment_create
from credits.models import Assignment, AssignmentMember, CreditRecord
from credits.online.models import ModuleProgress
from credits.reports.charts import stacked_bar, stacked_columns
from credits.reports.dashboard import (
    activities_by_format,
    credits_issued_per_month,
    learners_by_profession,
    licence_compliance,
)
from credits.requirements.selectors import requirement_progress_for
from tests.credits.online.helpers import make_module
from tests.factories import CourseFactory, LicenceFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
ZONE = zoneinfo.ZoneInfo("America/New_York")


def _credit(user, course, credit_type, amount, claimed: datetime.datetime, **extra):
    return CreditRecord.objects.create(
        user=user, course=course, credit_type=credit_type, amount=Decimal(amount),
        completed_on=claimed.date(), claimed_at=claimed, source=CreditRecord.Source.CLAIM,
        **extra)


def test_credits_issued_per_month_by_credit_type(django_assert_num_queries):
    doctor, nurse = UserFactory(), UserFactory(profession="nurse")
    a, b, c = CourseFactory(), CourseFactory(), CourseFactory()
    _credit(doctor, a, "ama_pra_1", "1.50", datetime.datetime(2026, 11, 3, 9, tzinfo=ZONE))
    _credit(doctor, b, "ama_pra_1", "2.00", datetime.datetime(2026, 11, 30, 23, tzinfo=ZONE))
    _credit(nurse, a, "ancc", "1.00", datetime.datetime(2026, 11, 12, 9, tzinfo=ZONE))
    _credit(nurse, b, "ancc", "3.00", datetime.datetime(2026, 1, 1, 0, 30, tzinfo=ZONE))
    # Voided, and older than the 12 months shown: neither counts.
    _credit(doctor, c, "ama_pra_1", "9.00", datetime.datetime(2026, 6, 1, 9, tzinfo=ZONE),
            status=CreditRecord.Status.VOIDED, voided_at=timezone.now(), void_reason="Typo")
    _credit(nurse, c, "ancc", "5.00", datetime.datetime(2025, 11, 30, 9, tzinfo=ZONE))
    with django_assert_num_queries(1):
        monthly = credits_issued_per_month(today=TODAY)
    assert monthly.months[0] == datetime.date(2026, 1, 1)
    assert monthly.months[-1] == datetime.date(2026, 12, 1)
    assert monthly.credit_types == ["ama_pra_1", "ancc"]
    assert monthly.amounts == {(10, 0): Decimal("3.50"), (10, 1): Decimal("1.00"),
                               (0, 1): Decimal("3.00")}


def test_learners_by_profession_and_activities_by_format(django_assert_num_queries):
    for _ in range(3):
        UserFactory(profession="nurse")
    UserFactory(profession="pharmacist")
    UserFactory(profession="pharmacist", is_active=False)
    UserFactory(profession="physician", roles=[Role.EDUCATOR])  # not a learner
    CourseFactory(format="live")
    CourseFactory(format="live")
    CourseFactory(format="rss")
    CourseFactory(format="enduring", status="draft")
    profession_choices()  # looked up once per process and kept: not the figure's cost
    with django_assert_num_queries(1):
        assert learners_by_profession() == [("Nurse", 3), ("Pharmacist", 1)]
    with django_assert_num_queries(1):
        assert activities_by_format() == [("Live activity", 2),
                                          ("Regularly scheduled series", 1)]


def test_assignment_completion_by_group(admin_user, django_assert_num_queries):
    course = make_module()
    nurses = [UserFactory(profession="nurse") for _ in range(5)]
    assignment = assignment_create(
        created_by=admin_user, course=course, title="Infection control", target="profession",
        target_value="nurse", due="fixed", due_on=TODAY, today=TODAY)
    now = timezone.now()
    for nurse in nurses[:2]:
        ModuleProgress.objects.create(user=nurse, course=course, started_at=now,
                                      completed_at=now, completed_on=TODAY)
    AssignmentMember.objects.filter(user=nurses[2]).update(due_on=TODAY + datetime.timedelta(7))
    from credits.assignments.services import assignment_completions_record
    assignment_completions_record()
    with django_assert_num_queries(1):
        groups = assignment_completion_by_group(today=TODAY + datetime.timedelta(days=1))
    assert [(g.assignment.pk, g.done, g.in_progress, g.overdue) for g in groups] == [
        (assignment.pk, 2, 1, 2)]


def test_licence_compliance_matches_each_physicians_requirement_progress(
        django_assert_num_queries):
    """Met / on track / behind for Massachusetts physicians, hand-counted: one has met every
    line, one is on track (total in proportion to the cycle gone), one behind; a nurse's and a
    New York licence do not count."""
    today = timezone.localdate()
    expires = today + datetime.timedelta(days=365)  # half of the 24-month cycle gone
    met, on_track, behind = UserFactory(), UserFactory(), UserFactory()
    for user in (met, on_track, behind):
        LicenceFactory(user=user, state="MA", expires_on=expires)
    LicenceFactory(user=UserFactory(), state="NY", expires_on=expires)
    LicenceFactory(user=UserFactory(profession="nurse"), state="MA", profession="nurse",
                   expires_on=expires)
    from courses.models import Topic
    from credits.requirements.models import RequirementSet

    rules = RequirementSet.objects.get(state="MA", profession="physician", is_active=True)
    topics = list(Topic.objects.filter(requirements__requirement_set=rules))
    claimed = timezone.now() - datetime.timedelta(days=10)
    covered = CourseFactory()
    covered.topics.set(topics)
    _credit(met, covered, "ama_pra_1", "50.00", claimed)
    _credit(on_track, CourseFactory(), "ama_pra_1", "30.00", claimed)
    _credit(behind, CourseFactory(), "ama_pra_1", "10.00", claimed)
    with django_assert_num_queries(4):
        compliance = licence_compliance(today=today)
    assert (compliance.met, compliance.on_track, compliance.behind) == (1, 1, 1)
    assert [p.is_met for u in (met, on_track, behind) for p in requirement_progress_for(user=u)
            ] == [True, False, False]


def test_chart_geometry():
    parts = stacked_bar([("Done", 2), ("In progress", 1), ("Overdue", 1)], area=200)
    assert [(p.offset, p.length) for p in parts] == [(0, 100), (100, 50), (150, 50)]
    columns, largest = stacked_columns(["Jan", "Feb"], ["AMA", "ANCC"],
                                       {(0, 0): Decimal(2), (0, 1): Decimal(2),
                                        (1, 0): Decimal(1)}, area=100)
    assert largest == 4
    assert [(s.offset, s.length) for s in columns[0].segments] == [(0, 50), (50, 50)]
    assert [(s.offset, s.length) for s in columns[1].segments] == [(0, 25)]


def _world(admin, size: int):
    course = make_module(title=f"Infection control {size}")
    for index in range(size):
        user = UserFactory(profession="nurse")
        LicenceFactory(user=user, state="MA")
        _credit(user, CourseFactory(), "ancc", "1.00", timezone.now())
        if index % 2:
            now = timezone.now()
            ModuleProgress.objects.create(user=user, course=course, started_at=now,
                                          completed_at=now, completed_on=timezone.localdate())
    for number in range(size):
        assignment_create(created_by=admin, course=course, title=f"Annual {number}",
                          target="profession", target_value="nurse", due="fixed",
                          due_on=timezone.localdate())
    return Assignment.objects.first()


@pytest.mark.parametrize("size", [2, 6])
def test_dashboard_page_query_count_is_fixed(client, admin_user, size,
                                             django_assert_num_queries):
    _world(admin_user, size)
    client.force_login(admin_user)
    client.get(reverse("reports:dashboard"))  # warm the session and the user's groups
    # Session, user, MFA check, groups + 1 + 1 + 1 + 1 + 4 figures + the IPCE share (1) and
    # participation by profession (3).
    with django_assert_num_queries(16):
        response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg class=\"column-chart\"" in page and "Show as a table" in page
    assert "style=" not in page.split("<main", 1)[1]


@pytest.mark.parametrize("size", [2, 6])
def test_assignment_list_and_drill_down_query_counts(client, admin_user, size,
                                                     django_assert_num_queries):
    assignment = _world(admin_user, size)
    client.force_login(admin_user)
    client.get(reverse("assignments:list"))
    with django_assert_num_queries(6):  # the drafts (lists not assigned yet) are the sixth
        assert client.get(reverse("assignments:list")).status_code == 200
    # The eighth: how many of those done had completed before they were assigned.
    with django_assert_num_queries(8):
        response = client.get(reverse("assignments:detail", args=[assignment.pk]),
                              {"status": "done"})
    assert response.status_code == 200
    assert response.content.decode().count("badge badge-done") == size // 2


def test_drill_down_export_lists_the_overdue_learners(client, admin_user):
    course = make_module()
    late = UserFactory(full_name="Jordan Ellis", email="jordan@h.example", profession="nurse",
                       specialty="=HYPERLINK(\"x\")")
    done = UserFactory(full_name="Ana Costa", profession="nurse")
    now = timezone.now()
    ModuleProgress.objects.create(user=done, course=course, started_at=now, completed_at=now,
                                  completed_on=timezone.localdate())
    assignment = assignment_create(created_by=admin_user, course=course, title="Annual",
                                   target="profession", target_value="nurse", due="fixed",
                                   due_on=timezone.localdate())
    AssignmentMember.objects.filter(user=late).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(admin_user)
    response = client.get(reverse("reports:assignment_learners", args=[assignment.pk, "csv"]),
                          {"status": "overdue"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Learner name", "Email"]
    assert [row[:2] for row in rows[1:]] == [["Jordan Ellis", "jordan@h.example"]]
    assert rows[1][3].startswith("'=") and rows[1][6] == "Overdue"
    xlsx = client.get(reverse("reports:assignment_learners", args=[assignment.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


def test_the_cme_office_assigns_a_group_from_the_staff_page(client, admin_user):
    course = make_module(title="Infection Prevention and Control")
    nurse = UserFactory(profession="nurse")
    client.force_login(admin_user)
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(reverse("assignments:new"), {
        "course": course.pk, "title": "Annual infection control", "target": "profession",
        "profession": "nurse", "due": "fixed", "due_on": due.isoformat(),
        "recurrence": "annual"})
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert assignment.members.get().user == nurse
    # No target value: a readable error next to the field, nothing created.
    response = client.post(reverse("assignments:new"), {
        "course": course.pk, "title": "Again", "target": "specialty", "due": "fixed",
        "due_on": due.isoformat(), "recurrence": "none"})
    assert "Choose who the training is for." in response.content.decode()
    assert Assignment.objects.count() == 1


def test_dashboard_amounts_have_two_decimals_and_the_month_axis_names_the_year(client,
                                                                              admin_user):
    course = CourseFactory()
    now = timezone.now()
    _credit(UserFactory(), course, "ama_pra_1", "22", now)
    _credit(UserFactory(), course, "ama_pra_1", "8.5", now)
    client.force_login(admin_user)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert ">30.50</td>" in page
    assert "30.5<" not in page and ">22<" not in page
    first_month = credits_issued_per_month().months[0]
    assert f'y="201" text-anchor="middle">{first_month.year}</text>' in page
    if first_month.month != 1:
        assert f'y="201" text-anchor="middle">{first_month.year + 1}</text>' in page
