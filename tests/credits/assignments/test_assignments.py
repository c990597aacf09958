"""Assigned learning: targeting, completion before or after assignment, annual periods,
email-list imports, reminders exactly once, To do and the overdue list."""
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.notifications import (
    InvalidUnsubscribeToken,
    categories_for,
    kind_get,
    unsubscribe_token,
    unsubscribe_token_read,
)
from accounts.roles import Role
from credits.assignments.reminders import assignment_reminders_due_record
from credits.assignments.selectors import (
    assigned_user_ids,
    assignments_todo_for,
    overdue_members,
)
from credits.assignments.services import (
    assignment_create,
    assignment_email_list_apply,
    assignment_email_list_preview,
    assignment_periods_roll,
    assignments_sweep,
)
from credits.assignments.tasks import assignments_tick
from credits.drills.models import DrillEnrolment
from credits.drills.services import drill_deliveries_scan
from credits.models import Assignment, AssignmentMember, CreditRecord
from credits.online.models import ModuleProgress
from credits.online.services import post_test_attempt_start, post_test_attempt_submit
from tests.credits.drills.helpers import MONDAY, at, make_drill
from tests.credits.online.helpers import answers_for, enrol, make_module, read_all
from tests.factories import LicenceFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def _assign(admin, course, *, target=Assignment.Target.PROFESSION, value="nurse",
            due_on=TODAY + datetime.timedelta(days=14), **extra):
    return assignment_create(created_by=admin, course=course, title="Annual infection control",
                             target=target, target_value=value, due=Assignment.Due.FIXED,
                             due_on=due_on, today=TODAY, **extra)


def _members(assignment) -> set[str]:
    return set(assignment.members.values_list("user__email", flat=True))


def _complete(user, course, on: datetime.date):
    now = timezone.now()
    return ModuleProgress.objects.create(user=user, course=course, started_at=now,
                                         completed_at=now, completed_on=on)


@pytest.fixture
def module(db):
    return make_module(title="Infection Prevention and Control", lessons=2, questions=2)


def test_targets_pick_profession_specialty_role_and_licence_state(admin_user, module):
    nurse = UserFactory(email="nurse@h.example", profession="nurse", specialty="Critical care")
    UserFactory(email="gone@h.example", profession="nurse", is_active=False)
    doctor = UserFactory(email="doc@h.example", profession="physician", specialty="critical CARE")
    LicenceFactory(user=doctor, state="MA")
    LicenceFactory(user=UserFactory(email="ny@h.example"), state="NY")
    educator = UserFactory(email="edu@h.example", roles=[Role.EDUCATOR])

    assert _members(_assign(admin_user, module)) == {nurse.email}
    assert _members(_assign(admin_user, module, target=Assignment.Target.SPECIALTY,
                            value="Critical care")) == {nurse.email, doctor.email}
    assert _members(_assign(admin_user, module, target=Assignment.Target.LICENCE_STATE,
                            value="MA")) == {doctor.email}
    assert _members(_assign(admin_user, module, target=Assignment.Target.ROLE,
                            value=Role.EDUCATOR)) == {educator.email}


def test_a_new_account_matching_the_group_is_picked_up_by_the_sweep(admin_user, module):
    assignment = _assign(admin_user, module)
    late = UserFactory(email="new.hire@h.example", profession="nurse")
    assert late.email not in _members(assignment)
    assert assignments_sweep(today=TODAY + datetime.timedelta(days=3))["added"] == 1
    member = assignment.members.get(user=late)
    assert member.assigned_on == TODAY + datetime.timedelta(days=3)
    assert member.due_on == assignment.due_on
    assert assignments_sweep(today=TODAY + datetime.timedelta(days=3))["added"] == 0


def test_due_n_days_after_assignment_counts_from_each_learners_day(admin_user, module):
    UserFactory(profession="nurse")
    assignment = assignment_create(created_by=admin_user, course=module, title="Restraints",
                                   target=Assignment.Target.PROFESSION, target_value="nurse",
                                   due=Assignment.Due.AFTER, due_days=30, today=TODAY)
    assert assignment.members.get().due_on == TODAY + datetime.timedelta(days=30)


def test_only_a_published_online_activity_can_be_assigned(admin_user):
    live = make_module(title="Live", lessons=0, questions=0)
    live.format = "live"
    live.save()
    with pytest.raises(ValidationError, match="published online activity"):
        _assign(admin_user, live)
    with pytest.raises(ValidationError, match="today or later"):
        _assign(admin_user, make_module(), due_on=TODAY - datetime.timedelta(days=1))


def test_completion_before_the_assignment_counts_once_off(admin_user, module):
    nurse = UserFactory(profession="nurse")
    _complete(nurse, module, datetime.date(2024, 5, 1))
    assignment = _assign(admin_user, module)
    assert assignment.members.get().completed_on == datetime.date(2024, 5, 1)


def test_annual_training_counts_a_completion_only_within_the_twelve_months_before_due(
        admin_user, module):
    recent, old = UserFactory(profession="nurse"), UserFactory(profession="nurse")
    due = TODAY + datetime.timedelta(days=14)
    _complete(recent, module, due - datetime.timedelta(days=300))
    _complete(old, module, due - datetime.timedelta(days=400))
    assignment = _assign(admin_user, module, recurrence=Assignment.Recurrence.ANNUAL)
    done = dict(assignment.members.values_list("user_id", "completed_on"))
    assert done == {recent.pk: due - datetime.timedelta(days=300), old.pk: None}


def test_claimed_credit_is_a_completion_too(admin_user, module):
    nurse = UserFactory(profession="nurse")
    CreditRecord.objects.create(user=nurse, course=module, credit_type="ama_pra_1",
                                amount=Decimal("1.50"), completed_on=TODAY,
                                claimed_at=timezone.now(), source=CreditRecord.Source.CLAIM)
    assert _assign(admin_user, module).members.get().completed_on == TODAY


def test_an_annual_period_rolls_on_and_needs_a_new_completion(admin_user, module):
    nurse = UserFactory(profession="nurse")
    due = TODAY + datetime.timedelta(days=14)
    assignment = _assign(admin_user, module, recurrence=Assignment.Recurrence.ANNUAL)
    _complete(nurse, module, TODAY)
    assignments_sweep(today=TODAY)
    assert assignment.members.get().completed_on == TODAY
    # The day after the due date: next year's period starts, and this year's completion
    # does not count for it.
    after = due + datetime.timedelta(days=1)
    assert assignment_periods_roll(today=after) == 1
    assignments_sweep(today=after)
    member = assignment.members.get()
    assert (member.due_on, member.period_starts_after, member.completed_on) == (
        due.replace(year=due.year + 1), due, None)
    assert member.status_on(after) == "in_progress"
    assert assignment_periods_roll(today=after) == 0


def test_an_assigned_learner_who_completes_the_module_leaves_the_overdue_list(
        admin_user, module, django_capture_on_commit_callbacks):
    nurse = UserFactory(full_name="Jordan Ellis", profession="nurse")
    other = UserFactory(profession="nurse")
    _assign(admin_user, module, due_on=TODAY)
    late = TODAY + datetime.timedelta(days=3)
    assert {m.user_id for m in overdue_members(today=late)} == {nurse.pk, other.pk}

    enrol(nurse, module)
    read_all(nurse, module)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = post_test_attempt_start(user=nurse, course=module)
        post_test_attempt_submit(user=nurse, attempt=attempt, answers=answers_for(attempt))
    assert {m.user_id for m in overdue_members(today=late)} == {other.pk}
    assert AssignmentMember.objects.get(user=nurse).completed_on == timezone.localdate()


def _emails(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("icu.csv", text.encode(), content_type="text/csv")


def test_an_email_list_is_all_or_nothing_with_an_error_per_row(admin_user, module):
    UserFactory(email="jordan@h.example")
    draft = assignment_email_list_preview(
        created_by=admin_user, course=module, title="ICU", due=Assignment.Due.AFTER,
        due_days=30, uploaded_file=_emails("Email\njordan@h.example\nnot-an-email\n"
                                           "nobody@h.example\n"), today=TODAY)
    assert draft.status == Assignment.Status.DRAFT
    assert [(e["line"], e["email"]) for e in draft.email_errors] == [
        (3, "not-an-email"), (4, "nobody@h.example")]
    with pytest.raises(ValidationError, match="nothing was assigned"):
        assignment_email_list_apply(assignment=draft, today=TODAY)
    assert not AssignmentMember.objects.exists()


def test_a_valid_email_list_assigns_everyone_once_even_when_applied_twice(admin_user, module):
    jordan = UserFactory(email="jordan@h.example")
    ana = UserFactory(email="ana@h.example")
    draft = assignment_email_list_preview(
        created_by=admin_user, course=module, title="ICU", due=Assignment.Due.FIXED,
        due_on=TODAY + datetime.timedelta(days=7),
        uploaded_file=_emails("JORDAN@h.example\nana@h.example\n\njordan@h.example\n"),
        today=TODAY)
    assert draft.email_errors == [] and len(draft.email_preview) == 2
    assignment_email_list_apply(assignment=draft, today=TODAY)
    assignment_email_list_apply(assignment=draft, today=TODAY)
    assert set(AssignmentMember.objects.values_list("user_id", flat=True)) == {jordan.pk, ana.pk}
    assert Assignment.objects.get(pk=draft.pk).status == Assignment.Status.ACTIVE


def test_the_assigned_learners_are_the_ones_an_active_assignment_requires(admin_user, module):
    nurse, doctor = UserFactory(profession="nurse"), UserFactory(profession="physician")
    assignment = _assign(admin_user, module)
    assert assigned_user_ids(course_id=module.pk, user_ids=[nurse.pk, doctor.pk]) == {nurse.pk}
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.WITHDRAWN)
    assert assigned_user_ids(course_id=module.pk, user_ids=[nurse.pk, doctor.pk]) == set()


def test_an_assigned_drill_arrives_without_joining_and_says_it_is_required(admin_user):
    drill = make_drill(questions=4)
    nurse, doctor = UserFactory(profession="nurse"), UserFactory(profession="physician")
    _assign(admin_user, drill)
    assert set(DrillEnrolment.objects.values_list("user_id", flat=True)) == {nurse.pk}
    drill_deliveries_scan(now=at(MONDAY, 7, 5))
    assert list(OutgoingMessage.objects.filter(kind__startswith="drill_")
                .values_list("recipient_id", "kind")) == [(nurse.pk, "drill_questions_required")]
    assert doctor.pk not in set(OutgoingMessage.objects.values_list("recipient_id", flat=True))


def _reminders():
    return sorted(OutgoingMessage.objects.filter(kind__startswith="assignment_")
                  .values_list("recipient__email", "kind", "occurrence"))


def test_reminders_before_the_due_date_and_when_overdue_exactly_once_each(admin_user, module):
    nurse = UserFactory(email="jordan@h.example", profession="nurse")
    done = UserFactory(email="done@h.example", profession="nurse")
    _complete(done, module, TODAY)
    due = TODAY + datetime.timedelta(days=14)
    _assign(admin_user, module, due_on=due)
    assert assignment_reminders_due_record(today=TODAY) == 0  # two weeks out: nothing yet
    week_before = due - datetime.timedelta(days=7)
    assert assignment_reminders_due_record(today=week_before) == 1
    assert assignment_reminders_due_record(today=week_before + datetime.timedelta(days=1)) == 0
    overdue_day = due + datetime.timedelta(days=1)
    assert assignment_reminders_due_record(today=overdue_day) == 1
    assert assignment_reminders_due_record(today=overdue_day) == 0
    assert assignment_reminders_due_record(today=overdue_day + datetime.timedelta(days=9)) == 0
    assert _reminders() == [
        (nurse.email, "assignment_due_soon", f"due-{due.isoformat()}"),
        (nurse.email, "assignment_overdue", f"overdue-{due.isoformat()}")]


def test_required_training_reminders_cannot_be_switched_off(clinician):
    category = kind_get("assignment_overdue").category
    assert not kind_get("assignment_due_soon").optional
    assert category not in categories_for(clinician)
    with pytest.raises(InvalidUnsubscribeToken):
        unsubscribe_token_read(unsubscribe_token(user_id=clinician.pk, category=category))


def test_the_beat_tick_runs_sweep_and_reminders_idempotently(admin_user, module):
    UserFactory(profession="nurse")
    _assign(admin_user, module, due_on=timezone.localdate())
    first = assignments_tick.apply().get()
    assert first["reminders"] == 1
    assert assignments_tick.apply().get()["reminders"] == 0
    assert OutgoingMessage.objects.filter(kind="assignment_due_soon").count() == 1


def test_to_do_shows_due_and_overdue_required_training(client, admin_user, clinician, module):
    soon = _assign(admin_user, module, target=Assignment.Target.ROLE, value=Role.CLINICIAN,
                   due_on=timezone.localdate() + datetime.timedelta(days=10))
    other = make_module(title="Restraint and Seclusion Policy")
    _assign(admin_user, other, target=Assignment.Target.ROLE, value=Role.CLINICIAN,
            due_on=timezone.localdate())
    AssignmentMember.objects.filter(assignment__course=other).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(clinician)
    page = client.get(reverse("learning:my_learning")).content.decode()
    due = soon.due_on
    assert f"Due {due.day} {due:%b}" in page
    assert "Overdue" in page and "Restraint and Seclusion Policy" in page
    assert [m.assignment.course.title for m in assignments_todo_for(user=clinician)] == [
        "Restraint and Seclusion Policy", "Infection Prevention and Control"]


def test_the_drill_down_marks_a_learners_individual_due_date(client, admin_user):
    module = make_module()
    for name in ("Chloe Martin", "Ben Foster"):
        UserFactory(full_name=name, profession="nurse")
    due_on = timezone.localdate() + datetime.timedelta(days=20)
    assignment = assignment_create(created_by=admin_user, course=module, title="Restraints",
                                   target=Assignment.Target.PROFESSION, target_value="nurse",
                                   due=Assignment.Due.FIXED, due_on=due_on)
    assert assignment.members.count() == 2
    AssignmentMember.objects.filter(assignment=assignment, user__full_name="Ben Foster").update(
        due_on=due_on + datetime.timedelta(days=14))  # an extension
    client.force_login(admin_user)
    page = client.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
    assert page.count("Individual due date") == 1
    assert page.index("Individual due date") > page.index("Ben Foster")


def test_a_refused_email_list_stays_visible_on_the_list_page(client, admin_user, module):
    assignment_email_list_preview(
        created_by=admin_user, course=module, title="ICU float pool", due=Assignment.Due.AFTER,
        due_days=30, uploaded_file=_emails("Email\nnot-an-email\n"), today=TODAY)
    client.force_login(admin_user)
    page = client.get(reverse("assignments:list")).content.decode()
    assert "Lists not assigned yet" in page
    assert "ICU float pool" in page and "1 row to fix" in page


def test_the_assignment_page_says_how_many_were_done_before_it_was_assigned(client,
                                                                              admin_user):
    module = make_module()
    earlier = UserFactory(full_name="Chloe Martin", profession="nurse")
    UserFactory(full_name="Ben Foster", profession="nurse")
    now = timezone.now()
    ModuleProgress.objects.create(user=earlier, course=module, started_at=now,
                                  completed_at=now,
                                  completed_on=timezone.localdate() - datetime.timedelta(days=3))
    assignment = assignment_create(created_by=admin_user, course=module, title="Restraints",
                                   target=Assignment.Target.PROFESSION, target_value="nurse",
                                   due=Assignment.Due.FIXED,
                                   due_on=timezone.localdate() + datetime.timedelta(days=20))
    client.force_login(admin_user)
    page = client.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
    assert "1 of 2 done (50%)" in page
    assert "1 of the 1 done had completed the activity before they were assigned it" in page


def test_a_burst_is_recorded_chunk_by_chunk_reading_each_assignment_once(
        admin_user, module, django_assert_num_queries):
    nurses = [UserFactory(profession="nurse") for _ in range(5)]
    due = TODAY + datetime.timedelta(days=14)
    assignment = _assign(admin_user, module, due_on=due)
    recorded_by_each_chunk = []
    assert assignment_reminders_due_record(
        today=due - datetime.timedelta(days=3), chunk_size=2,
        chunk_recorded=lambda: recorded_by_each_chunk.append(
            OutgoingMessage.objects.filter(kind="assignment_due_soon").count())) == 5
    # The tick dispatches after each chunk: workers send the first while the next is recorded.
    assert recorded_by_each_chunk == [2, 4, 5]
    contexts = list(OutgoingMessage.objects.filter(kind="assignment_due_soon")
                    .values_list("recipient_id", "context"))
    assert sorted(recipient for recipient, _ in contexts) == sorted(n.pk for n in nurses)
    assert all(context == {
        "assignment_title": "Annual infection control", "course_title": module.title,
        "course_url": f"{settings.SITE_URL}/courses/{module.slug}/",
        "due_on": due.isoformat(), "days_left": 3} for _, context in contexts)
    assert assignment.members.count() == 5

    # Overdue: the overdue and due-soon members, the assignments once, then an insert a chunk.
    with django_assert_num_queries(3 + 3):
        assert assignment_reminders_due_record(today=due + datetime.timedelta(days=1),
                                               chunk_size=2) == 5
