"""Reads for assigned learning: completion facts (one place, so drills can add theirs), who a
group target means, the learner's assignments for To do, and the CME office's figures."""
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from credits.assignments.models import (
    ASSIGNABLE_FORMATS,
    REGISTERED_TARGET_LABELS,
    Assignment,
    AssignmentMember,
)
from credits.ledger.models import CreditRecord
from credits.online.models import ModuleProgress

# --- Completion facts --------------------------------------------------------------------------
# Each source maps (user_ids, item_ids) to {(user_id, item_id): latest completion date}, in one
# query; an item is an activity ("course") or a skills checklist ("checklist"). A package that
# records completions in tables of its own registers its source with completion_source_register
# from its AppConfig.ready (the hook for packages above this one).
CompletionSource = Callable[[set[int], set[int]], dict[tuple[int, int], datetime.date]]


def _module_completions(user_ids, course_ids):
    return {(row["user_id"], row["course_id"]): row["completed_on"]
            for row in ModuleProgress.objects.filter(
                user_id__in=user_ids, course_id__in=course_ids, completed_on__isnull=False)
            .values("user_id", "course_id", "completed_on")}


def _claimed_credit_completions(user_ids, course_ids):
    found: dict[tuple[int, int], datetime.date] = {}
    for row in (CreditRecord.objects.filter(user_id__in=user_ids, course_id__in=course_ids,
                                            status=CreditRecord.Status.ACTIVE)
                .values("user_id", "course_id", "completed_on")):
        key = (row["user_id"], row["course_id"])
        found[key] = max(found.get(key, row["completed_on"]), row["completed_on"])
    return found


COMPLETION_SOURCES: dict[str, list[CompletionSource]] = {
    "course": [_module_completions, _claimed_credit_completions], "checklist": []}


def completion_source_register(source: CompletionSource, *, item: str = "course") -> None:
    if source not in COMPLETION_SOURCES[item]:
        COMPLETION_SOURCES[item].append(source)


def _latest_completions(item: str, user_ids: Iterable[int],
                        item_ids: Iterable[int]) -> dict[tuple[int, int], datetime.date]:
    user_ids, item_ids = set(user_ids), set(item_ids)
    if not user_ids or not item_ids:
        return {}
    latest: dict[tuple[int, int], datetime.date] = {}
    for source in COMPLETION_SOURCES[item]:
        for key, day in source(user_ids, item_ids).items():
            latest[key] = max(latest.get(key, day), day)
    return latest


def completion_dates_for(*, user_ids: Iterable[int],
                         course_ids: Iterable[int]) -> dict[tuple[int, int], datetime.date]:
    """The latest completion date of each (learner, activity): one query per source."""
    return _latest_completions("course", user_ids, course_ids)


def checklist_completion_dates_for(
        *, user_ids: Iterable[int],
        checklist_ids: Iterable[int]) -> dict[tuple[int, int], datetime.date]:
    """The latest completion date of each (learner, skills checklist), from the source the
    checklists package registers: one query."""
    return _latest_completions("checklist", user_ids, checklist_ids)


def assignable_courses() -> QuerySet[Course]:
    return Course.objects.filter(status=Course.Status.PUBLISHED,
                                 format__in=ASSIGNABLE_FORMATS).order_by("title")


# --- Targets -----------------------------------------------------------------------------------
# target -> the users its value means, for targets a package above this one registers (a unit).
REGISTERED_TARGETS: dict[str, Callable[[str], QuerySet[User]]] = {}


def target_register(*, target: str, users: Callable[[str], QuerySet[User]],
                    label: Callable[[str], str]) -> None:
    """Let a package above this one say who a target means and how its value reads."""
    REGISTERED_TARGETS[target] = users
    REGISTERED_TARGET_LABELS[target] = label


def target_users(*, target: str, value: str) -> QuerySet[User]:
    """Active learners a group target means today (an email list has no rule: see services)."""
    users = User.objects.filter(is_active=True)
    if target in REGISTERED_TARGETS:
        return users.filter(pk__in=REGISTERED_TARGETS[target](value).values("pk"))
    match target:
        case Assignment.Target.PROFESSION:
            return users.filter(profession=value)
        case Assignment.Target.SPECIALTY:
            return users.filter(specialty__iexact=value)
        case Assignment.Target.ROLE:
            return users.filter(groups__name=value).distinct()
        case Assignment.Target.LICENCE_STATE:
            return users.filter(licences__state=value).distinct()
    return users.none()


def assigned_user_ids(*, course_id: int, user_ids) -> set[int]:
    """Of these learners, those an active assignment requires to do the activity; registered
    as the drills' required checker, so an assigned drill's email says it is required. One
    query."""
    return set(AssignmentMember.objects.filter(
        user_id__in=list(user_ids), assignment__course_id=course_id,
        assignment__status=Assignment.Status.ACTIVE).values_list("user_id", flat=True))


# --- The learner -------------------------------------------------------------------------------

def assignments_todo_for(*, user: User) -> list[AssignmentMember]:
    """The learner's open required training, soonest due first (one query)."""
    return list(AssignmentMember.objects.filter(
        user=user, completed_on__isnull=True, assignment__status=Assignment.Status.ACTIVE)
        .select_related("assignment__course", "assignment__checklist").order_by("due_on", "pk"))


# --- The CME office ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CompletionCounts:
    assignment: Assignment
    done: int
    in_progress: int
    overdue: int

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.overdue

    @property
    def done_percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


def _counted(assignments: QuerySet[Assignment], today: datetime.date) -> QuerySet[Assignment]:
    open_ = Q(members__completed_on__isnull=True)
    return assignments.annotate(
        done=Count("members", filter=Q(members__completed_on__isnull=False)),
        overdue=Count("members", filter=open_ & Q(members__due_on__lt=today)),
        in_progress=Count("members", filter=open_ & Q(members__due_on__gte=today)))


def assignment_completion_by_group(*, today: datetime.date | None = None,
                                   include_withdrawn: bool = False) -> list[CompletionCounts]:
    """Done, in progress and overdue learners per assignment: one query."""
    today = today or timezone.localdate()
    assignments = Assignment.objects.exclude(status=Assignment.Status.DRAFT)
    if not include_withdrawn:
        assignments = assignments.filter(status=Assignment.Status.ACTIVE)
    return [CompletionCounts(a, a.done, a.in_progress, a.overdue) for a in
            _counted(assignments.select_related("course", "checklist", "created_by"), today)
            .order_by("-created_at", "-pk")]


def assignment_counts_get(*, pk: int, today: datetime.date | None = None) -> CompletionCounts:
    """One assignment with its counts (one query); Assignment.DoesNotExist when unknown."""
    today = today or timezone.localdate()
    assignment = _counted(Assignment.objects.select_related("course", "checklist",
                                                            "created_by"), today).get(pk=pk)
    return CompletionCounts(assignment, assignment.done, assignment.in_progress,
                            assignment.overdue)


STATUSES = {"done": "Done", "in_progress": "In progress", "overdue": "Overdue"}


def assignment_members_with_status(*, assignment: Assignment, status: str | None = None,
                                   today: datetime.date | None = None) -> QuerySet:
    """The drill-down: learners of one assignment, optionally of one status (one query)."""
    today = today or timezone.localdate()
    members = assignment.members.select_related("user").order_by("due_on", "user__full_name",
                                                                 "pk")
    if status == "done":
        members = members.filter(completed_on__isnull=False)
    elif status == "overdue":
        members = members.filter(completed_on__isnull=True, due_on__lt=today)
    elif status == "in_progress":
        members = members.filter(completed_on__isnull=True, due_on__gte=today)
    return members


def assignment_done_before_assigned(*, assignment: Assignment) -> int:
    """How many of the done learners had completed before they were assigned: they count (a
    completion before the assignment, or in the annual period before it), and the page says so
    rather than open a new assignment at "2 of 5 done" unexplained."""
    return assignment.members.filter(completed_on__isnull=False,
                                     completed_on__lt=F("assigned_on")).count()


def assignment_drafts() -> list[Assignment]:
    """Uploaded lists not assigned yet (awaiting review, or refused for rows to fix): the list
    page shows them so that none is forgotten."""
    return list(Assignment.objects.filter(status=Assignment.Status.DRAFT)
                .select_related("course", "checklist").order_by("-pk"))


def member_due_is_individual(*, assignment: Assignment, member: AssignmentMember) -> bool:
    """Whether the learner's due date differs from the assignment's own rule (someone gave them
    an extension, or moved it): the drill-down says so beside the date."""
    if assignment.due == Assignment.Due.FIXED:
        expected = assignment.due_on
    else:
        expected = member.assigned_on + datetime.timedelta(days=assignment.due_days or 0)
    if assignment.recurrence == Assignment.Recurrence.ANNUAL:
        # Each period moves the date on by a year: the day of the year is what must match.
        return (member.due_on.month, member.due_on.day) != (expected.month, expected.day)
    return member.due_on != expected


def overdue_members(*, today: datetime.date | None = None) -> QuerySet[AssignmentMember]:
    """Everyone overdue on an active assignment (the CME office's overdue list)."""
    today = today or timezone.localdate()
    return (AssignmentMember.objects.filter(
        completed_on__isnull=True, due_on__lt=today, assignment__status=Assignment.Status.ACTIVE)
        .select_related("user", "assignment__course", "assignment__checklist")
        .order_by("due_on", "pk"))
