"""Writes for pathways: authoring (a draft version's groups and steps, publishing it, starting
the next version), entry (joining an open pathway, assigning one to a group), recording an
external activity, and recording a pathway's completion."""
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from courses.models import Course
from credits.assignments.models import Assignment
from credits.assignments.selectors import target_users
from credits.checklists.models import Checklist
from credits.pathways.certificates import pathway_certificate_issue
from credits.pathways.models import (
    Cohort,
    ExternalStepRecord,
    Pathway,
    PathwayEnrolment,
    PathwayVersion,
    Step,
    StepGroup,
)
from credits.pathways.selectors import progress_for_enrolments

# --- Authoring ----------------------------------------------------------------------------------


@transaction.atomic
def pathway_create(*, created_by: User, title: str, summary: str, entry: str,
                   time_limit_days: int | None = None) -> Pathway:
    """A draft pathway with its first (draft) version."""
    base = slugify(title)[:70] or "pathway"
    slug, suffix = base, 2
    while Pathway.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    pathway = Pathway.objects.create(slug=slug, title=title, summary=summary, entry=entry,
                                     created_by=created_by)
    PathwayVersion.objects.create(pathway=pathway, number=1, time_limit_days=time_limit_days)
    return pathway


def _draft(version: PathwayVersion) -> PathwayVersion:
    version = PathwayVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(_("Version %(number)s is published and cannot change; start a new "
                                "version to edit the pathway.") % {"number": version.number})
    return version


@transaction.atomic
def step_group_add(*, version: PathwayVersion, title: str,
                   required_count: int | None = None) -> StepGroup:
    version = _draft(version)
    position = version.groups.count() + 1
    return StepGroup.objects.create(version=version, title=title, position=position,
                                    required_count=required_count)


def _step_check(*, kind: str, course: Course | None, assignment: Assignment | None,
                checklist: Checklist | None, title: str) -> None:
    if kind in Step.COURSE_FORMATS:
        if course is None or course.format not in Step.COURSE_FORMATS[kind]:
            raise ValidationError(_("Choose an activity of the kind “%(kind)s”.") % {
                "kind": Step.Kind(kind).label})
        if course.status != Course.Status.PUBLISHED:
            raise ValidationError(_("“%(title)s” is not published yet; publish it first.") % {
                "title": course.title})
    elif kind == Step.Kind.ASSIGNED_TRAINING:
        if assignment is None:
            raise ValidationError(_("Choose the assigned training this step stands for."))
    elif kind == Step.Kind.SKILLS_CHECKLIST:
        if checklist is None or not checklist.is_published:
            raise ValidationError(_("Choose a published skills checklist; a validated "
                                    "checklist completes the step."))
    elif not title.strip():
        raise ValidationError(_("Say what the external activity is, e.g. 'ACLS provider course "
                                "(American Heart Association)'."))


@transaction.atomic
def step_add(*, group: StepGroup, kind: str, course: Course | None = None,
             assignment: Assignment | None = None, checklist: Checklist | None = None,
             title: str = "", instructions: str = "",
             prerequisite: Step | None = None, earlier_completion_days: int | None = None,
             due_days_after_start: int | None = None) -> Step:
    version = _draft(group.version)
    _step_check(kind=kind, course=course, assignment=assignment, checklist=checklist,
                title=title)
    if prerequisite is not None and prerequisite.version_id != version.pk:
        raise ValidationError(_("A prerequisite must be a step of the same version."))
    return Step.objects.create(
        version=version, group=group, position=group.steps.count() + 1, kind=kind,
        course=course if kind in Step.COURSE_FORMATS else None,
        assignment=assignment if kind == Step.Kind.ASSIGNED_TRAINING else None,
        checklist=checklist if kind == Step.Kind.SKILLS_CHECKLIST else None,
        title=title.strip() if kind == Step.Kind.EXTERNAL else "",
        instructions=instructions, prerequisite=prerequisite,
        earlier_completion_days=earlier_completion_days,
        due_days_after_start=due_days_after_start)


@transaction.atomic
def step_remove(*, step: Step) -> None:
    _draft(step.version)
    Step.objects.filter(prerequisite=step).update(prerequisite=None)
    step.delete()


@transaction.atomic
def pathway_version_publish(*, version: PathwayVersion, now: datetime.datetime | None = None
                            ) -> PathwayVersion:
    """Freeze a draft version and make it the one new learners join."""
    version = _draft(version)
    groups = list(version.groups.all())
    if not groups or not version.steps.exists():
        raise ValidationError(_("Add at least one step before publishing."))
    for group in groups:
        count = group.steps.count()
        if count == 0:
            raise ValidationError(_("The group “%(title)s” has no steps; add some or remove "
                                    "it.") % {"title": group.title})
        if group.required_count is not None and group.required_count > count:
            raise ValidationError(_("The group “%(title)s” asks for %(needed)s steps but has "
                                    "%(count)s.") % {"title": group.title,
                                                     "needed": group.required_count,
                                                     "count": count})
    version.published_at = now or timezone.now()
    version.save(update_fields=["published_at"])
    pathway = Pathway.objects.select_for_update().get(pk=version.pathway_id)
    pathway.current_version = version
    pathway.status = Pathway.Status.PUBLISHED
    pathway.save(update_fields=["current_version", "status"])
    return version


@transaction.atomic
def pathway_version_start(*, pathway: Pathway) -> PathwayVersion:
    """A new draft version, a copy of the current one, for the office to edit. Learners on
    earlier versions stay on theirs."""
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    draft = pathway.versions.filter(published_at__isnull=True).first()
    if draft is not None:
        return draft
    source = pathway.current_version
    number = pathway.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PathwayVersion.objects.create(
        pathway=pathway, number=number + 1,
        time_limit_days=source.time_limit_days if source else None)
    if source is None:
        return version
    copies: dict[int, Step] = {}
    for group in source.groups.all():
        new_group = StepGroup.objects.create(version=version, position=group.position,
                                             title=group.title,
                                             required_count=group.required_count)
        for step in group.steps.order_by("position", "pk"):
            copies[step.pk] = Step.objects.create(
                version=version, group=new_group, position=step.position, kind=step.kind,
                course_id=step.course_id, assignment_id=step.assignment_id,
                checklist_id=step.checklist_id, title=step.title,
                instructions=step.instructions,
                earlier_completion_days=step.earlier_completion_days,
                due_days_after_start=step.due_days_after_start)
    for step in source.steps.filter(prerequisite__isnull=False):
        copy = copies[step.pk]
        copy.prerequisite = copies[step.prerequisite_id]
        copy.save(update_fields=["prerequisite"])
    return version


# --- Entry --------------------------------------------------------------------------------------

def _enrolment_new(*, pathway: Pathway, user: User, source: str, started_on: datetime.date,
                   cohort: Cohort | None = None) -> PathwayEnrolment | None:
    version = pathway.current_version
    finish_by = (started_on + datetime.timedelta(days=version.time_limit_days)
                 if version.time_limit_days else None)
    try:
        with transaction.atomic():
            return PathwayEnrolment.objects.create(pathway=pathway, version=version, user=user,
                                                   source=source, cohort=cohort,
                                                   started_on=started_on, finish_by=finish_by)
    except IntegrityError:  # already on it (a double click, two tabs)
        return None


def pathway_join(*, pathway: Pathway, user: User,
                 today: datetime.date | None = None) -> PathwayEnrolment:
    """Join an open pathway on its current version; joining twice is joining once."""
    today = today or timezone.localdate()
    if pathway.status != Pathway.Status.PUBLISHED or pathway.entry != Pathway.Entry.OPEN:
        raise ValidationError(_("This pathway is not open to join."))
    enrolment = _enrolment_new(pathway=pathway, user=user, source=PathwayEnrolment.Source.JOINED,
                               started_on=today)
    if enrolment is None:
        return PathwayEnrolment.objects.get(pathway=pathway, user=user)
    pathway_completions_record(enrolments=[enrolment], today=today)
    return enrolment


def pathway_assign(*, pathway: Pathway, target: str, target_value: str,
                   cohort: Cohort | None = None, today: datetime.date | None = None) -> int:
    """Put everyone of a group (a profession, specialty, role or licence state, as assigned
    training targets them) on the pathway's current version, in a cohort if one is given (they
    start on its start date, and its pacing counts from it); returns how many were added."""
    today = today or timezone.localdate()
    if pathway.status != Pathway.Status.PUBLISHED:
        raise ValidationError(_("Publish the pathway before assigning it."))
    if cohort is not None and cohort.pathway_id != pathway.pk:
        raise ValidationError(_("That cohort belongs to another pathway."))
    added = []
    for user in target_users(target=target, value=target_value).exclude(
            pathway_enrolments__pathway=pathway):
        enrolment = _enrolment_new(pathway=pathway, user=user,
                                   source=PathwayEnrolment.Source.ASSIGNED, cohort=cohort,
                                   started_on=cohort.starts_on if cohort else today)
        if enrolment is not None:
            added.append(enrolment)
    pathway_completions_record(enrolments=added, today=today)
    return len(added)


@transaction.atomic
def external_step_record(*, enrolment: PathwayEnrolment, step: Step, completed_on: datetime.date,
                         note: str = "", today: datetime.date | None = None
                         ) -> ExternalStepRecord:
    """The learner records an external activity of their pathway (once; a second time keeps the
    first record)."""
    today = today or timezone.localdate()
    if step.version_id != enrolment.version_id or step.kind != Step.Kind.EXTERNAL:
        raise ValidationError(_("This step is not an external activity of your pathway."))
    if completed_on > today:
        raise ValidationError(_("The completion date cannot be in the future."))
    record, _created = ExternalStepRecord.objects.get_or_create(
        enrolment=enrolment, step=step, defaults={"completed_on": completed_on, "note": note})
    transaction.on_commit(lambda: pathway_completions_record(enrolments=[enrolment]))
    return record


# --- Completion ---------------------------------------------------------------------------------

def pathway_completions_record(*, enrolments: list[PathwayEnrolment] | None = None,
                               user_ids=None, today: datetime.date | None = None
                               ) -> list[PathwayEnrolment]:
    """Mark the active enrolments whose rules are now met as completed (on the day the last
    needed step was done). Returns the enrolments completed now."""
    if enrolments is None:
        enrolments = list(PathwayEnrolment.objects.select_related("pathway", "version").filter(
            user_id__in=user_ids, status=PathwayEnrolment.Status.ACTIVE))
    active = [e for e in enrolments if e.status == PathwayEnrolment.Status.ACTIVE]
    completed = []
    for progress in progress_for_enrolments(active, today=today):
        if not progress.complete:
            continue
        days = [state.completed_on for group in progress.groups for state in group.steps
                if state.completed_on]
        completed_on = max([*days, progress.enrolment.started_on])
        updated = PathwayEnrolment.objects.filter(
            pk=progress.enrolment.pk, status=PathwayEnrolment.Status.ACTIVE,
        ).update(status=PathwayEnrolment.Status.COMPLETED, completed_on=completed_on)
        if updated:
            progress.enrolment.status = PathwayEnrolment.Status.COMPLETED
            progress.enrolment.completed_on = completed_on
            pathway_certificate_issue(progress=progress)
            completed.append(progress.enrolment)
    return completed
