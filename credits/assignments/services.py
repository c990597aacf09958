"""Writes for assigned learning: create an assignment (a group now, or an email list after its
preview), keep members in step with their group, record completions, roll annual periods."""
import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from credits.assignments.imports import read_email_list
from credits.assignments.models import ASSIGNABLE_FORMATS, Assignment, AssignmentMember
from credits.assignments.selectors import (
    checklist_completion_dates_for,
    completion_dates_for,
    target_users,
)
from credits.drills.services import drill_learners_join


def _year_later(day: datetime.date, years: int = 1) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check(*, course: Course | None, checklist, due: str, due_on: datetime.date | None,
           due_days: int | None, today: datetime.date) -> None:
    if (course is None) == (checklist is None):
        raise ValidationError("Choose one activity or one skills checklist to assign.")
    if checklist is not None and not checklist.is_published:
        raise ValidationError("Only a published checklist can be assigned; publish it first.")
    if course is not None and (course.status != Course.Status.PUBLISHED
                               or course.format not in ASSIGNABLE_FORMATS):
        raise ValidationError("Only a published online activity can be assigned; publish it "
                              "first or choose another activity.")
    if due == Assignment.Due.FIXED and (due_on is None or due_on < today):
        raise ValidationError("Choose a due date that is today or later.")
    if due == Assignment.Due.AFTER and not due_days:
        raise ValidationError("Say how many days after assignment the training is due.")


def _first_period(assignment: Assignment, today: datetime.date) -> tuple[datetime.date,
                                                                         datetime.date | None]:
    """(due date, day after which a completion counts) for a learner assigned today."""
    if assignment.due == Assignment.Due.AFTER:
        due_on = today + datetime.timedelta(days=assignment.due_days)
    else:
        due_on = assignment.due_on
        while assignment.recurrence == Assignment.Recurrence.ANNUAL and due_on < today:
            due_on = _year_later(due_on)
    if assignment.recurrence == Assignment.Recurrence.ANNUAL:
        return due_on, _year_later(due_on, -1)
    return due_on, None  # once: done before or after the assignment, it counts


def _members_add(*, assignment: Assignment, user_ids, today: datetime.date) -> int:
    due_on, starts_after = _first_period(assignment, today)
    rows = [AssignmentMember(assignment=assignment, user_id=user_id, assigned_on=today,
                             due_on=due_on, period_starts_after=starts_after)
            for user_id in user_ids]
    created = AssignmentMember.objects.bulk_create(rows, ignore_conflicts=True)
    if assignment.course_id and assignment.course.format == Course.Format.DRILL:
        # An assigned drill starts arriving without the learner joining it first.
        drill_learners_join(users=list(User.objects.filter(pk__in=[row.user_id for row in rows])),
                    course=assignment.course)
    return len(created)


def assignment_members_sync(*, assignment: Assignment,
                            today: datetime.date | None = None) -> int:
    """Add the learners who match a group assignment's target and are not members yet (new
    accounts, changed profiles). Members who leave the group stay, with their history."""
    today = today or timezone.localdate()
    if (assignment.status != Assignment.Status.ACTIVE
            or assignment.target == Assignment.Target.EMAIL_LIST):
        return 0
    missing = (target_users(target=assignment.target, value=assignment.target_value)
               .exclude(assignment_memberships__assignment=assignment)
               .values_list("pk", flat=True))
    with transaction.atomic():
        added = _members_add(assignment=assignment, user_ids=list(missing), today=today)
    assignment_completions_record(assignment_ids=[assignment.pk])
    return added


@transaction.atomic
def assignment_create(*, created_by: User, course: Course | None = None, checklist=None,
                      title: str, target: str, target_value: str = "", due: str,
                      due_on: datetime.date | None = None, due_days: int | None = None,
                      recurrence: str = Assignment.Recurrence.NONE,
                      today: datetime.date | None = None) -> Assignment:
    """Assign an activity or a checklist to a group (by profession, specialty, role or licence
    state) now."""
    today = today or timezone.localdate()
    _check(course=course, checklist=checklist, due=due, due_on=due_on, due_days=due_days,
           today=today)
    if target == Assignment.Target.EMAIL_LIST or not target_value:
        raise ValidationError("Choose who the training is for.")
    assignment = Assignment.objects.create(
        title=title, course=course, checklist=checklist, target=target,
        target_value=target_value, due=due,
        due_on=due_on if due == Assignment.Due.FIXED else None,
        due_days=due_days if due == Assignment.Due.AFTER else None, recurrence=recurrence,
        created_by=created_by)
    assignment_members_sync(assignment=assignment, today=today)
    return assignment


@transaction.atomic
def assignment_email_list_preview(*, created_by: User, course: Course | None = None,
                                  checklist=None, title: str, due: str,
                                  uploaded_file: UploadedFile, due_on=None, due_days=None,
                                  recurrence: str = Assignment.Recurrence.NONE,
                                  today: datetime.date | None = None) -> Assignment:
    """Store the upload and its row check as a draft assignment; nothing is assigned yet."""
    today = today or timezone.localdate()
    _check(course=course, checklist=checklist, due=due, due_on=due_on, due_days=due_days,
           today=today)
    email_list = read_email_list(uploaded_file.read())
    uploaded_file.seek(0)
    assignment = Assignment(
        title=title, course=course, checklist=checklist, target=Assignment.Target.EMAIL_LIST,
        due=due,
        due_on=due_on if due == Assignment.Due.FIXED else None,
        due_days=due_days if due == Assignment.Due.AFTER else None, recurrence=recurrence,
        created_by=created_by, status=Assignment.Status.DRAFT,
        email_line_count=email_list.line_count, email_preview=email_list.preview,
        email_errors=[error.as_dict() for error in email_list.errors])
    assignment.email_file.save(uploaded_file.name, uploaded_file, save=False)
    assignment.save()
    return assignment


def assignment_email_list_apply(*, assignment: Assignment,
                                today: datetime.date | None = None) -> Assignment:
    """Assign everyone on a previewed list, or no one: the file is checked again (accounts may
    have changed since the preview). Applying twice assigns once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != Assignment.Status.DRAFT:
            return locked
        with locked.email_file.open("rb") as stored:
            email_list = read_email_list(stored.read())
        if not email_list.is_valid:
            locked.email_errors = [error.as_dict() for error in email_list.errors]
            locked.save(update_fields=["email_errors"])
        else:
            locked.status = Assignment.Status.ACTIVE
            locked.email_errors = []
            locked.save(update_fields=["status", "email_errors"])
            _members_add(assignment=locked, user_ids=email_list.user_ids, today=today)
    if locked.status == Assignment.Status.DRAFT:
        raise ValidationError("The list has rows that need fixing; nothing was assigned. Fix "
                              "them and upload the list again.")
    assignment_completions_record(assignment_ids=[locked.pk])
    return locked


def assignment_open(*, created_by: User, target: str, target_value: str = "",
                    uploaded_file: UploadedFile | None = None, **what_and_when) -> Assignment:
    """The new-assignment form's one write, for an activity or a checklist: an email list is
    stored as a draft to preview, a group is assigned now."""
    if target == Assignment.Target.EMAIL_LIST:
        return assignment_email_list_preview(created_by=created_by, uploaded_file=uploaded_file,
                                             **what_and_when)
    return assignment_create(created_by=created_by, target=target, target_value=target_value,
                             **what_and_when)


@transaction.atomic
def assignment_withdraw(*, assignment: Assignment) -> Assignment:
    """Stop an assignment (no more reminders, gone from To do); its members are kept."""
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.WITHDRAWN)
    assignment.status = Assignment.Status.WITHDRAWN
    return assignment


def assignment_members_open_remove(*, user: User) -> int:
    """Take a person who left (their account deactivated) out of the assignments they have not
    completed. Completed periods stay, and so does everything the person did toward the open
    ones (module progress, attempts, credit); if the account comes back, the group sync adds
    them again and their completions count as before."""
    removed, _ = AssignmentMember.objects.filter(user=user, completed_on__isnull=True).delete()
    return removed


def assignment_completions_record(*, assignment_ids=None, user_ids=None, course_ids=None,
                                  checklist_ids=None) -> int:
    """Mark open members done when a completion fact falls in their period (an activity's, or a
    checklist's completion): a query for the members, one per completion source, and a no-op
    when nothing changed."""
    members = AssignmentMember.objects.filter(completed_on__isnull=True).exclude(
        assignment__status=Assignment.Status.DRAFT)
    if assignment_ids is not None:
        members = members.filter(assignment_id__in=assignment_ids)
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    if course_ids is not None:
        members = members.filter(assignment__course_id__in=course_ids)
    if checklist_ids is not None:
        members = members.filter(assignment__checklist_id__in=checklist_ids)
    members = list(members.values("pk", "user_id", "assignment__course_id",
                                  "assignment__checklist_id", "period_starts_after"))
    of_courses = [m for m in members if m["assignment__course_id"] is not None]
    of_checklists = [m for m in members if m["assignment__checklist_id"] is not None]
    facts = {"course": completion_dates_for(
                user_ids={m["user_id"] for m in of_courses},
                course_ids={m["assignment__course_id"] for m in of_courses}),
             "checklist": checklist_completion_dates_for(
                user_ids={m["user_id"] for m in of_checklists},
                checklist_ids={m["assignment__checklist_id"] for m in of_checklists})}
    done: dict[datetime.date, list[int]] = {}
    for member in members:
        item = "course" if member["assignment__course_id"] is not None else "checklist"
        day = facts[item].get((member["user_id"], member[f"assignment__{item}_id"]))
        if day is not None and (member["period_starts_after"] is None
                                or day > member["period_starts_after"]):
            done.setdefault(day, []).append(member["pk"])
    changed = 0
    with transaction.atomic():
        for day, pks in done.items():
            changed += AssignmentMember.objects.filter(
                pk__in=pks, completed_on__isnull=True).update(completed_on=day)
    return changed


def assignment_checklist_members_reopen(*, checklist_id: int, user_id: int,
                                        completed_on: datetime.date,
                                        expires_on: datetime.date) -> int:
    """A learner's completed checklist is about to expire: their assignments of it open again,
    due on the expiry date, and the expiring completion no longer counts (the next one must come
    after it). Members already open are left, so running it again reopens nothing."""
    return AssignmentMember.objects.filter(
        assignment__checklist_id=checklist_id, assignment__status=Assignment.Status.ACTIVE,
        user_id=user_id, completed_on__isnull=False, completed_on__lte=completed_on,
    ).update(completed_on=None, due_on=expires_on, period_starts_after=completed_on)


def assignment_periods_roll(*, today: datetime.date | None = None) -> int:
    """Annual training: once a period is done and its due date has passed, the next period
    starts. Only a completion after both the old due date and the last completion counts for
    it, so one completion never serves two years."""
    today = today or timezone.localdate()
    rolled = 0
    with transaction.atomic():
        due = (AssignmentMember.objects.select_for_update()
               .filter(assignment__recurrence=Assignment.Recurrence.ANNUAL,
                       assignment__status=Assignment.Status.ACTIVE,
                       completed_on__isnull=False, due_on__lt=today))
        for member in due:
            while member.due_on < today:
                member.period_starts_after = max(member.due_on, member.completed_on)
                member.due_on = _year_later(member.due_on)
            member.completed_on = None
            member.save(update_fields=["due_on", "period_starts_after", "completed_on"])
            rolled += 1
    return rolled


def assignments_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """The periodic pass: new group members, completions, annual periods."""
    today = today or timezone.localdate()
    added = sum(assignment_members_sync(assignment=assignment, today=today)
                for assignment in Assignment.objects.filter(status=Assignment.Status.ACTIVE)
                .exclude(target=Assignment.Target.EMAIL_LIST))
    completed = assignment_completions_record()
    rolled = assignment_periods_roll(today=today)
    if rolled:
        completed += assignment_completions_record()
    return {"added": added, "completed": completed, "rolled": rolled}


