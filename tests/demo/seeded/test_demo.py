"""What the demo shows once seeded, area by area (the plan it prints, its people, the catalog,
the learning history, the drill, required training, the API feed), and a second run, which
changes nothing. One seed for the package (tests/demo/seeded/conftest.py)."""
import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage, User
from accounts.tokens import service_token_create
from courses.disclosures.models import DisclosureLink, FinancialDisclosure, Mitigation
from courses.models import Course, Enrolment, Session
from courses.selectors.catalog import course_catalog_list
from cpd_portal.demo import assignments, catalog, interprofessional, online
from cpd_portal.demo.people import DEMO_PASSWORD
from cpd_portal.demo.seed import demo_plan, demo_seed
from credits.assignments.selectors import assignment_completion_by_group, assignments_todo_for
from credits.drills.models import DrillAnswer, DrillCard, DrillEnrolment
from credits.drills.selectors import drill_progress_for
from credits.learning.selectors import learning_todo_for
from credits.models import (
    Assignment,
    BoardReport,
    Certificate,
    CreditRecord,
    EvaluationResponse,
)
from credits.reports.dashboard import credits_issued_per_month, licence_compliance
from credits.reports.interprofessional import (
    accreditation_term,
    ipce_share,
    participation_by_profession,
)
from credits.requirements.selectors import requirement_progress_for
from tests.api.api_world import bearer
from tests.demo.seeded.conftest import seed_again

pytestmark = pytest.mark.django_db


# --- The logins, the command, the plan it prints, a second run ----------------------------------


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_demo_logins_sign_in_with_the_published_password(seeded):
    assert User.objects.filter(email__endswith="@example.org").count() == 4
    for email, predicate in [("clinician@example.org", "is_clinician"),
                             ("pharmacist@example.org", "is_clinician"),
                             ("educator@example.org", "is_educator"),
                             ("admin@example.org", "is_administrator")]:
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None and getattr(user, predicate)
    # Colleagues and faculty have accounts but no password.
    assert not User.objects.get(email="jordan.ellis@staff.example.net").has_usable_password()


def test_the_pharmacists_cpe_monitor_reports_one_accepted_one_pending(seeded):
    # With no CPE_MONITOR_URL in `make run` the newer report waits; CPE Monitor accepted the
    # older one a day after her claim (replayed through the submission service).
    reports = BoardReport.objects.filter(credit_record__user__email="pharmacist@example.org")
    assert sorted(reports.values_list("status", flat=True)) == ["accepted", "pending"]
    accepted = reports.get(status="accepted")
    assert accepted.attempts == 1 and accepted.attempt_log.count() == 1
    assert accepted.reported_at > accepted.credit_record.claimed_at


def test_the_plan_names_every_account_and_activity_the_demo_makes(seeded):
    plans = demo_plan(now=seeded.now)
    planned_emails = {account.email for plan in plans for account in plan.accounts}
    made = set(User.objects.filter(email__in=planned_emails).values_list("email", flat=True))
    assert made == planned_emails
    demo_people = User.objects.exclude(email__in=planned_emails)
    assert not demo_people.exists(), list(demo_people.values_list("email", flat=True))
    assert sorted(Course.objects.values_list("title", flat=True)) == sorted(
        title for plan in plans for title in plan.courses)


def test_a_second_run_changes_no_row_sends_no_mail_again_and_issues_no_certificate_again(
        seeded, django_capture_on_commit_callbacks):
    counts = _row_counts()
    outbox = set(OutgoingMessage.objects.values_list("pk", "status"))
    certificates = set(Certificate.objects.values_list("pk", "version"))
    seed_again(django_capture_on_commit_callbacks)
    assert _row_counts() == counts
    assert set(OutgoingMessage.objects.values_list("pk", "status")) == outbox
    assert set(Certificate.objects.values_list("pk", "version")) == certificates


def test_a_run_on_a_later_day_moves_only_the_sessions_nobody_attended(
        seeded, django_capture_on_commit_callbacks):
    attended = dict(Session.objects.filter(attendances__isnull=False).distinct()
                    .values_list("pk", "starts_at"))
    unattended = dict(Session.objects.filter(attendances__isnull=True)
                      .values_list("pk", "starts_at"))
    counts = {model: model.objects.count() for model in (
        User, Course, Session, Enrolment, CreditRecord, Certificate, EvaluationResponse)}
    later = seeded.now + datetime.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(now=later)
    assert {model: model.objects.count() for model in counts} == counts
    assert dict(Session.objects.filter(pk__in=attended).values_list("pk", "starts_at")) == \
        attended
    moved = Session.objects.filter(pk__in=unattended).values_list("pk", "starts_at")
    assert all(starts_at > unattended[pk] for pk, starts_at in moved)
    # Moved by the director's service, which owes enrolled learners an email; the demo's clock
    # moving is no news to them, so it is recorded with the replayed past's mail, not sent.
    rescheduled = OutgoingMessage.objects.filter(kind="session_rescheduled",
                                                 recipient__email="clinician@example.org")
    assert rescheduled.exists() and not rescheduled.filter(status="queued").exists()


def test_the_replayed_past_is_not_mailed_again_today(seeded):
    # What the past owed people went out then; only this morning's drill questions (on a
    # weekday after 07:05) wait for the workers.
    queued = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED)
    assert set(queued.values_list("kind", flat=True)) <= {"drill_questions"}
    confirmations = OutgoingMessage.objects.filter(kind="enrolment_confirmed")
    assert confirmations.count() > 40
    assert not confirmations.exclude(status=OutgoingMessage.Status.SENT).exists()


def test_with_debug_on_the_command_seeds_and_prints_the_logins(seeded, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"password '{DEMO_PASSWORD}'" in out.getvalue()
    for email in ("clinician@example.org", "educator@example.org", "pharmacist@example.org",
                  "admin@example.org"):
        assert email in out.getvalue()


# --- The catalog: searchable, sessions either side of today, faculty disclosed ---------------


def test_demo_catalog_is_searchable_with_sessions_either_side_of_today(seeded):
    rounds = Course.objects.get(title=catalog.GRAND_ROUNDS)
    assert rounds.status == Course.Status.PUBLISHED
    assert rounds.sessions.filter(starts_at__lt=timezone.now()).exists()
    assert rounds.sessions.filter(starts_at__gt=timezone.now()).exists()
    assert Course.objects.get(title=catalog.AIRWAY_WORKSHOP).capacity == 12
    assert Course.objects.get(title__startswith="Pharmacy Update").credit_designations.get(
        credit_type="acpe").acpe_uan
    assert [c.title for c in course_catalog_list(q="opioid")] == [online.TITLE]
    # Every activity is the demo educator's, published by the CME office.
    assert not Course.objects.exclude(directors__email="educator@example.org").exists()
    assert not Course.objects.exclude(status=Course.Status.PUBLISHED).exists()


def test_dr_raman_has_places_in_what_she_attended_and_what_is_coming(seeded):
    enrolled = set(Enrolment.objects.filter(user__email="clinician@example.org",
                                            status=Enrolment.Status.ENROLLED)
                   .values_list("course__title", flat=True))
    # The series and the workshop she booked, her three past activities, the online module
    # she started and the drill she joined.
    assert enrolled == {catalog.GRAND_ROUNDS, catalog.AIRWAY_WORKSHOP, online.TITLE,
                        "Risk Management: Informed Consent and Documentation",
                        "Sepsis: Early Recognition and the First Hour",
                        "Delirium in Hospitalised Older Adults", "Recognising Sepsis Early"}


def test_faculty_disclosed_through_their_link_and_relationships_are_mitigated(seeded):
    # Every faculty member, and the course director who plans the demo activities.
    assert FinancialDisclosure.objects.count() == len(catalog.FACULTY) + 1
    assert FinancialDisclosure.objects.filter(person__user__email="educator@example.org").exists()
    assert not DisclosureLink.objects.filter(used_at__isnull=True).exists()
    assert set(Mitigation.objects.values_list("course__title", "relevant")) >= {
        (catalog.GRAND_ROUNDS, False), (catalog.AIRWAY_WORKSHOP, True)}


# --- The learning history: what Dr Priya Raman sees -------------------------------------------


@pytest.fixture
def priya(seeded):
    return User.objects.get(email="clinician@example.org")


def test_demo_clinician_has_claimed_grand_rounds_and_risk_management(priya):
    claimed = set(CreditRecord.objects.filter(user=priya, source="claim")
                  .values_list("course__title", flat=True))
    assert claimed == {catalog.GRAND_ROUNDS, "Risk Management: Informed Consent and Documentation"}
    # Each claim is dated when she made it, after the sessions, with its audit entry then.
    for record in CreditRecord.objects.filter(user=priya):
        assert record.changes.get(action="created").changed_at == record.claimed_at
        assert timezone.localdate(record.claimed_at) >= record.completed_on


def test_demo_to_do_list_asks_to_evaluate_one_course_and_claim_another(priya):
    todo = learning_todo_for(user=priya)
    assert [status.course.title for status in todo.evaluations] == [
        "Sepsis: Early Recognition and the First Hour"]
    assert [status.course.title for status in todo.claims] == [
        "Delirium in Hospitalised Older Adults"]


def test_demo_risk_management_requirement_shows_partial_progress(priya):
    (licence_progress,) = requirement_progress_for(user=priya)
    risk = next(topic for topic in licence_progress.topics if topic.label == "Risk management")
    assert Decimal("0") < risk.earned < risk.required


def test_demo_clinician_sees_her_to_do_list_on_my_learning(client, priya):
    client.force_login(priya)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Evaluate <strong>Sepsis: Early Recognition and the First Hour</strong>" in html
    assert "Delirium in Hospitalised Older Adults" in html
    assert "Risk management" in html


# --- The drill: twelve sepsis questions, Dr Raman part-way through ---------------------------


def test_the_demo_clinician_is_part_way_through_the_sepsis_drill(seeded):
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


# --- Required training and the history behind the CME office's dashboard ---------------------


def test_demo_assigns_infection_control_due_in_two_weeks_with_history_for_the_charts(seeded):
    priya = User.objects.get(email="clinician@example.org")
    todo = assignments_todo_for(user=priya)
    infection = next(m for m in todo if m.assignment.course.title == assignments.TITLE)
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


def test_residents_who_started_this_month_were_assigned_by_the_sweep_with_time_left(seeded):
    opioid = Assignment.objects.get(title=assignments.OPIOID_ASSIGNMENT)
    residents = opioid.members.filter(user__email__in=[person.email for person in
                                                       assignments.NEW_RESIDENTS])
    assert residents.count() == 3
    assert all(member.due_on > timezone.localdate() for member in residents)
    assert opioid.members.exclude(pk__in=residents).filter(
        due_on__lt=timezone.localdate(), completed_on__isnull=True).exists()


# --- The ledger: every record with its audit entry, so the API feed returns them all ----------


def test_every_demo_credit_record_has_its_audit_entry(seeded):
    assert CreditRecord.objects.count() > 50
    assert not CreditRecord.objects.exclude(changes__action="created").exists()


def test_an_integration_syncing_the_credit_records_feed_gets_every_demo_record(seeded, client):
    # The demo's claims are in its past, older than API_SYNC_SETTLE_SECONDS: a sync from the
    # beginning, page by page as an HR system would follow next_cursor, returns them all.
    secret = service_token_create(actor=User.objects.get(email="admin@example.org"),
                                  name="Workday HR sync", scopes=["reports"]).secret
    record_ids, params = [], {"limit": 100}
    while True:
        response = client.get("/api/v1/reports/credit-records", params, **bearer(secret))
        assert response.status_code == 200
        body = response.json()
        record_ids += [item["record_id"] for item in body["results"]]
        if not body["has_more"]:
            break
        params = {"limit": 100, "cursor": body["next_cursor"]}
    assert sorted(record_ids) == sorted(CreditRecord.objects.values_list("pk", flat=True))


def test_every_claim_has_its_certificate_issued_as_claims_issue_them(seeded):
    claims = set(CreditRecord.objects.filter(course__isnull=False)
                 .values_list("user_id", "course_id"))
    assert set(Certificate.objects.values_list("user_id", "course_id")) == claims


def test_the_demo_packages_are_published_with_their_pass_marks(seeded):
    from courses.packages.selectors import package_current_for
    from cpd_portal.demo import scorm

    hand = package_current_for(course=Course.objects.get(title=scorm.HAND_HYGIENE))
    line = package_current_for(course=Course.objects.get(title=scorm.CENTRAL_LINE))
    assert (hand.schema_version, [sco["mastery_score"] for sco in hand.scos]) == (
        "SCORM 1.2", ["80"])
    assert (line.schema_version, [sco["scaled_passing_score"] for sco in line.scos]) == (
        "SCORM 2004 4th Edition", [None, "0.8"])
    assert hand.status == line.status == "ready"
    assert (hand.file_count, line.file_count) == (4, 5)  # the shared script and style too
    transfusion = package_current_for(course=Course.objects.get(title=scorm.TRANSFUSION))
    assert (transfusion.standard, transfusion.status) == ("cmi5", "ready")
    assert [(au["move_on"], au["scaled_passing_score"]) for au in transfusion.scos] == [
        ("Completed", None), ("CompletedAndPassed", "0.8")]
# --- Skills checklists ---------------------------------------------------------------------------


def test_the_nursing_competency_checklist_has_complete_remediation_and_open_learners(seeded):
    from credits.checklists.models import Checklist, LearnerChecklist, SkillValidation

    checklist = Checklist.objects.get(title="Annual nursing competencies")
    rows = {row.learner.full_name: row for row in LearnerChecklist.objects.filter(
        checklist=checklist).select_related("learner")}
    assert {name for name, row in rows.items() if row.status == "completed"} == {
        "Jordan Ellis", "Isaac Cohen", "Chloe Martin"}
    assert rows["Jordan Ellis"].pdf and rows["Jordan Ellis"].external_activity_id
    assert SkillValidation.objects.filter(learner_checklist=rows["Victor Nguyen"],
                                          status="needs_remediation").count() == 1
    assert not SkillValidation.objects.filter(learner_checklist=rows["Samuel Greene"]).exists()


def test_the_office_dashboard_has_joint_accreditation_figures_from_the_team_workshop(seeded):
    """The sepsis huddle workshop: IPCE alongside the professions' types, claimed by four
    professions, so the share and the participation by profession are not zeros."""
    term = accreditation_term()
    share = ipce_share(term)
    assert share.with_ipce >= 1 and 0 < share.percent < 100
    workshop = Course.objects.get(title=interprofessional.WORKSHOP["title"])
    claimed_ipce = (CreditRecord.objects.filter(course=workshop, credit_type="ipce")
                    .values_list("user__profession", flat=True))
    assert set(claimed_ipce) == set(interprofessional.ATTENDANCE)
    by_profession = {row.profession: row for row in participation_by_profession(term)}
    assert {"Physician", "Nurse", "Pharmacist", "Physician assistant"} <= set(by_profession)
    assert any(code == "ipce" for code, _ in by_profession["Pharmacist"].credits)
