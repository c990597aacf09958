"""Reads for pathways: each learner's progress through the version they joined (the rules
applied to what they completed), the pathways a learner can join, the office's lists.

Progress for any number of enrolments takes a fixed number of queries: the enrolments with their
versions, the versions' groups and steps, completions (one query per completion source), the
learners' course enrolments, their skills checklists (when a version has a checklist step) and
their external records.
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.models import Enrolment
from credits.assignments.selectors import completion_dates_for
from credits.checklists.models import LearnerChecklist
from credits.pathways.models import (
    ExternalStepRecord,
    Pathway,
    PathwayCertificate,
    PathwayEnrolment,
    PathwayVersion,
    Step,
    StepGroup,
)

DONE, IN_PROGRESS, AVAILABLE, LOCKED, NOT_NEEDED = (
    "done", "in_progress", "available", "locked", "not_needed")


@dataclass
class StepState:
    step: Step
    status: str
    completed_on: datetime.date | None = None
    # Why it is done, locked or not needed, in words ("Counted: you completed it on ...").
    explanation: str = ""
    due_on: datetime.date | None = None
    overdue: bool = False

    @property
    def url(self) -> str:
        step = self.step
        if step.kind == Step.Kind.DRILL:
            return reverse("drills:drill", args=[step.course.slug])
        if step.course_id:
            return reverse("courses:detail", args=[step.course.slug])
        if step.assignment_id:
            return reverse("courses:detail", args=[step.assignment.course.slug])
        if step.checklist_id:
            return reverse("checklists:mine")
        return f"#step-{step.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (AVAILABLE, IN_PROGRESS)


@dataclass
class GroupState:
    group: StepGroup
    steps: list[StepState]

    @property
    def needed(self) -> int:
        return self.group.required_count or len(self.steps)

    @property
    def done(self) -> int:
        return sum(state.status == DONE for state in self.steps)

    @property
    def satisfied(self) -> bool:
        return self.done >= self.needed

    @property
    def rule(self) -> str:
        if self.group.required_count is None:
            return _("All required")
        return _("Choose %(needed)s of %(total)s") % {"needed": self.needed,
                                                       "total": len(self.steps)}


@dataclass
class PathwayProgress:
    enrolment: PathwayEnrolment
    groups: list[GroupState] = field(default_factory=list)
    today: datetime.date | None = None

    @property
    def pathway(self) -> Pathway:
        return self.enrolment.pathway

    @property
    def steps_needed(self) -> int:
        return sum(group.needed for group in self.groups)

    @property
    def steps_done(self) -> int:
        return sum(min(group.done, group.needed) for group in self.groups)

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_needed) if self.steps_needed else 100

    @property
    def complete(self) -> bool:
        return all(group.satisfied for group in self.groups)

    def count(self, status: str) -> int:
        return sum(state.status == status for group in self.groups for state in group.steps)

    @property
    def in_progress(self) -> int:
        return self.count(IN_PROGRESS)

    @property
    def locked(self) -> int:
        return self.count(LOCKED)

    @property
    def due_soon(self) -> list[StepState]:
        return [state for group in self.groups for state in group.steps
                if state.is_open and state.due_on is not None]

    @property
    def next_step(self) -> StepState | None:
        """What to do next: a step already under way, else the first one open, in order."""
        open_steps = [state for group in self.groups for state in group.steps if state.is_open]
        started = [state for state in open_steps if state.status == IN_PROGRESS]
        return (started or open_steps or [None])[0]

    @property
    def overdue(self) -> bool:
        finish_by = self.enrolment.finish_by
        return (not self.complete and finish_by is not None and self.today is not None
                and self.today > finish_by)


def _completion_counts(step: Step, completed_on: datetime.date,
                       started_on: datetime.date) -> tuple[bool, str]:
    """Whether a completion counts for a learner who joined on `started_on`, and what to say."""
    if completed_on >= started_on:
        return True, _("Completed on %(date)s.") % {"date": f"{completed_on:%-d %b %Y}"}
    window = step.earlier_completion_days
    if window is None or (started_on - completed_on).days <= window:
        return True, _("Counted: you completed it on %(date)s, before joining.") % {
            "date": f"{completed_on:%-d %b %Y}"}
    if window == 0:
        return False, _("You completed it on %(date)s, before joining; this pathway asks you "
                        "to do it again as part of the programme.") % {
            "date": f"{completed_on:%-d %b %Y}"}
    return False, _("You completed it on %(date)s, more than %(days)s days before joining; it "
                    "needs doing again.") % {"date": f"{completed_on:%-d %b %Y}", "days": window}


def _step_course_id(step: Step) -> int | None:
    return step.course_id or (step.assignment.course_id if step.assignment_id else None)


def _step_activity(step: Step) -> tuple[str, int] | None:
    """What completes a step, as a key of the completion facts: a course or a checklist
    (None for an external activity, which the learner records)."""
    if step.checklist_id:
        return ("checklist", step.checklist_id)
    course_id = _step_course_id(step)
    return ("course", course_id) if course_id else None


def _checklist_facts(user_ids, checklist_ids) -> tuple[dict, set]:
    """Each learner's latest validated (completed) checklist date, and the checklists they
    have under way; one query, none when no step is a checklist."""
    completed: dict = {}
    under_way: set = set()
    if not checklist_ids:
        return completed, under_way
    for learner_id, checklist_id, completed_on in LearnerChecklist.objects.filter(
            learner_id__in=user_ids, checklist_id__in=checklist_ids).values_list(
            "learner_id", "checklist_id", "completed_on"):
        key = (learner_id, ("checklist", checklist_id))
        if completed_on is None:
            under_way.add(key)
        elif completed_on > completed.get(key, completed_on.min):
            completed[key] = completed_on
    return completed, under_way


def _versions_loaded(version_ids) -> dict[int, PathwayVersion]:
    steps = Step.objects.select_related("course", "assignment__course", "checklist",
                                        "prerequisite__course", "prerequisite__assignment",
                                        "prerequisite__checklist")
    return {version.pk: version for version in PathwayVersion.objects.filter(pk__in=version_ids)
            .prefetch_related(Prefetch("groups", StepGroup.objects.order_by("position", "pk")),
                              Prefetch("steps", steps.order_by("group__position", "position",
                                                               "pk")))}


def progress_for_enrolments(enrolments: list[PathwayEnrolment],
                            today: datetime.date | None = None) -> list[PathwayProgress]:
    """Each enrolment's progress, in a fixed number of queries whatever their number."""
    today = today or timezone.localdate()
    if not enrolments:
        return []
    versions = _versions_loaded({enrolment.version_id for enrolment in enrolments})
    user_ids = {enrolment.user_id for enrolment in enrolments}
    activities = {_step_activity(step) for version in versions.values()
                  for step in version.steps.all()} - {None}
    course_ids = {pk for kind, pk in activities if kind == "course"}
    completions, enrolled = _checklist_facts(
        user_ids, {pk for kind, pk in activities if kind == "checklist"})
    completions.update({(user_id, ("course", course_id)): day for (user_id, course_id), day
                        in completion_dates_for(user_ids=user_ids,
                                                course_ids=course_ids).items()})
    enrolled.update((user_id, ("course", course_id)) for user_id, course_id
                    in Enrolment.objects.filter(user_id__in=user_ids, course_id__in=course_ids,
                                                status=Enrolment.Status.ENROLLED)
                    .values_list("user_id", "course_id"))
    externals = {(record.enrolment_id, record.step_id): record.completed_on
                 for record in ExternalStepRecord.objects.filter(
                     enrolment__in=[enrolment.pk for enrolment in enrolments])}
    return [_progress(enrolment, versions[enrolment.version_id], completions, enrolled,
                      externals, today) for enrolment in enrolments]


def _progress(enrolment, version, completions, enrolled, externals, today) -> PathwayProgress:
    states: dict[int, StepState] = {}
    steps = list(version.steps.all())
    for step in steps:
        activity = _step_activity(step)
        completed_on = (completions.get((enrolment.user_id, activity)) if activity
                        else externals.get((enrolment.pk, step.pk)))
        due_on = (enrolment.started_on + datetime.timedelta(days=step.due_days_after_start)
                  if step.due_days_after_start is not None else None)
        state = StepState(step=step, status=AVAILABLE, due_on=due_on)
        if completed_on is not None:
            counts, state.explanation = _completion_counts(step, completed_on,
                                                           enrolment.started_on)
            if counts:
                state.status, state.completed_on = DONE, completed_on
        if state.status != DONE and (enrolment.user_id, activity) in enrolled:
            state.status = IN_PROGRESS
        states[step.pk] = state
    for state in states.values():  # prerequisites, once every step's own status is known
        prerequisite = state.step.prerequisite_id and states.get(state.step.prerequisite_id)
        if state.status != DONE and prerequisite and prerequisite.status != DONE:
            state.status = LOCKED
            state.explanation = _("Unlocks when you complete “%(title)s”.") % {
                "title": prerequisite.step.display_title}
    progress = PathwayProgress(enrolment=enrolment, today=today)
    for group in version.groups.all():
        group_state = GroupState(group=group, steps=[states[step.pk] for step in steps
                                                     if step.group_id == group.pk])
        if group_state.satisfied:
            for state in group_state.steps:
                if state.status != DONE:
                    state.status = NOT_NEEDED
                    state.explanation = _("Not needed: you have completed %(done)s of this "
                                          "group's %(total)s.") % {
                        "done": group_state.done, "total": len(group_state.steps)}
        for state in group_state.steps:
            state.overdue = bool(state.is_open and state.due_on and today > state.due_on)
        progress.groups.append(group_state)
    return progress


def _enrolments() -> QuerySet[PathwayEnrolment]:
    return PathwayEnrolment.objects.select_related("pathway", "version")


def pathway_progress_list_for(*, user: User) -> list[PathwayProgress]:
    """My learning's pathways: the learner's active and completed ones, active first."""
    enrolments = list(_enrolments().filter(user=user).exclude(
        status=PathwayEnrolment.Status.LEFT).order_by("completed_on", "-started_on", "pk"))
    return progress_for_enrolments(enrolments)


def pathway_progress_get(*, user: User, enrolment: PathwayEnrolment) -> PathwayProgress:
    return progress_for_enrolments([enrolment])[0]


def pathway_enrolment_for(*, user: User, pathway: Pathway) -> PathwayEnrolment | None:
    if not user.is_authenticated:
        return None
    return _enrolments().filter(user=user, pathway=pathway).first()


def pathway_get_published(*, slug: str) -> Pathway:
    """A published pathway, or 404."""
    try:
        return Pathway.objects.select_related("current_version").get(
            slug=slug, status=Pathway.Status.PUBLISHED)
    except Pathway.DoesNotExist:
        raise Http404("No such pathway.") from None


def pathway_preview_steps(*, version: PathwayVersion) -> list[GroupState]:
    """The groups and steps of a version for someone not on it yet (all open, none done)."""
    loaded = _versions_loaded([version.pk])[version.pk]
    steps = list(loaded.steps.all())
    groups = []
    for group in loaded.groups.all():
        states = [StepState(step=step, status=AVAILABLE) for step in steps
                  if step.group_id == group.pk]
        for state in states:
            if state.step.prerequisite_id:
                state.status = LOCKED
                state.explanation = _("Unlocks when you complete “%(title)s”.") % {
                    "title": state.step.prerequisite.display_title}
        groups.append(GroupState(group=group, steps=states))
    return groups


def pathways_open_to_join(*, user: User) -> QuerySet[Pathway]:
    """Published open pathways the learner is not on."""
    found = Pathway.objects.filter(status=Pathway.Status.PUBLISHED, entry=Pathway.Entry.OPEN)
    if user.is_authenticated:
        found = found.exclude(enrolments__user=user)
    return found.order_by("title")


# --- The office ---------------------------------------------------------------------------------

def pathways_for_office() -> QuerySet[Pathway]:
    return Pathway.objects.select_related("current_version").annotate(
        learners=Count("enrolments", distinct=True),
        completed=Count("enrolments", filter=Q(enrolments__status="completed"), distinct=True),
    ).order_by("status", "title")


def draft_version_of(pathway: Pathway) -> PathwayVersion | None:
    return pathway.versions.filter(published_at__isnull=True).order_by("-number").first()


def pathways_managed_by(user: User) -> QuerySet[Pathway]:
    """The CME office manages every pathway; an educator the ones they created."""
    found = pathways_for_office()
    return found if user.is_administrator else found.filter(created_by=user)


def pathway_get_for_manager(*, user: User, pk: int) -> Pathway:
    try:
        return pathways_managed_by(user).get(pk=pk)
    except Pathway.DoesNotExist:
        raise Http404("No such pathway.") from None


# --- Certificates -------------------------------------------------------------------------------

def pathway_certificate_get_for_owner(*, user: User, pk: int) -> PathwayCertificate:
    """The learner's own pathway certificate, or 404 (for anybody else too)."""
    try:
        return PathwayCertificate.objects.select_related("enrolment__pathway").get(
            pk=pk, enrolment__user=user)
    except PathwayCertificate.DoesNotExist:
        raise Http404("No such certificate.") from None


def pathway_certificate_by_code(*, code: str) -> PathwayCertificate | None:
    return PathwayCertificate.objects.select_related("enrolment__pathway").filter(
        verification_code=code).first()


def pathway_certificate_verification_path(code: str) -> str | None:
    """Where the portal's one "Verify a certificate" form sends a pathway certificate's code
    (registered with credits.certificates.verification)."""
    if PathwayCertificate.objects.filter(verification_code=code).exists():
        return reverse("pathways:certificate_verify", kwargs={"code": code})
    return None
