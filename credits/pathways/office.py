"""The office's view of a pathway's learners, per cohort: who is on track, behind or done, the
step funnel (how many reached each step: where people stop), and the nudges already sent.

A learner is *behind* when a step they still need is past its due date (the cohort's pacing:
`due_days_after_start` counted from their start), or the pathway is past its time limit. *Done*
is a completed pathway; everyone else active is *on track*. Learners who left are not counted.

The dashboard of any number of learners takes a fixed number of queries: the cohort, the
enrolments with their learners, progress (credits.pathways.selectors, fixed), the nudges sent.
"""
import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from accounts.models import OutgoingMessage
from credits.pathways.models import Cohort, Pathway, PathwayEnrolment, PathwayVersion
from credits.pathways.selectors import (
    AVAILABLE,
    DONE,
    IN_PROGRESS,
    LOCKED,
    PathwayProgress,
    StepState,
    progress_for_enrolments,
)

ON_TRACK, BEHIND, COMPLETED = "on_track", "behind", "done"
STANDING_LABELS = {ON_TRACK: "On track", BEHIND: "Behind", COMPLETED: "Done"}
NUDGE_KIND = "pathway_step_overdue"
# A cohort filter value for the learners who joined an open pathway on their own.
NO_COHORT = "none"


def nudge_key(enrolment: PathwayEnrolment) -> str:
    return f"pathway-enrolment:{enrolment.pk}"


def nudge_occurrence(state: StepState) -> str:
    """One nudge per learner and step: the outbox refuses a second one with the same key."""
    return f"step-overdue:{state.step.pk}"


@dataclass
class LearnerRow:
    progress: PathwayProgress
    standing: str
    overdue_steps: list[StepState]
    nudged_on: datetime.date | None = None

    @property
    def enrolment(self) -> PathwayEnrolment:
        return self.progress.enrolment

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]

    @property
    def first_overdue(self) -> StepState | None:
        return self.overdue_steps[0] if self.overdue_steps else None


@dataclass
class FunnelStep:
    state_title: str
    kind: str
    due_days_after_start: int | None
    reached: int = 0  # started or done
    done: int = 0

    def percent_of(self, total: int) -> int:
        return round(100 * self.done / total) if total else 0


@dataclass
class Funnel:
    version: PathwayVersion
    learners: int
    steps: list[FunnelStep] = field(default_factory=list)


@dataclass
class CohortDashboard:
    pathway: Pathway
    cohort: Cohort | None
    cohorts: list[Cohort]
    rows: list[LearnerRow]
    funnels: list[Funnel]
    today: datetime.date

    def count(self, standing: str) -> int:
        return sum(row.standing == standing for row in self.rows)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(standing, label, self.count(standing))
                for standing, label in STANDING_LABELS.items()]

    @property
    def behind(self) -> list[LearnerRow]:
        return [row for row in self.rows if row.standing == BEHIND]

    @property
    def to_nudge(self) -> list[LearnerRow]:
        """The learners behind on a step not yet nudged about (behind only on the time limit,
        there is no step to name)."""
        return [row for row in self.behind
                if row.first_overdue is not None and row.nudged_on is None]


def _overdue_steps(progress: PathwayProgress, today: datetime.date) -> list[StepState]:
    """The steps still needed whose due date has passed, earliest due first."""
    overdue = [state for group in progress.groups for state in group.steps
               if state.status in (AVAILABLE, IN_PROGRESS, LOCKED)
               and state.due_on is not None and today > state.due_on]
    return sorted(overdue, key=lambda state: (state.due_on, state.step.pk))


def _standing(progress: PathwayProgress, overdue: list[StepState]) -> str:
    if progress.enrolment.status == PathwayEnrolment.Status.COMPLETED:
        return COMPLETED
    return BEHIND if overdue or progress.overdue else ON_TRACK


def _funnels(progresses: list[PathwayProgress]) -> list[Funnel]:
    """Per version (a cohort's learners are usually on one): each step's learners who reached
    it (started or done) and who finished it, in the version's order."""
    funnels: dict[int, Funnel] = {}
    for progress in progresses:
        version = progress.enrolment.version
        funnel = funnels.get(version.pk)
        if funnel is None:
            funnel = funnels[version.pk] = Funnel(version=version, learners=0, steps=[
                FunnelStep(state_title=state.step.display_title,
                           kind=state.step.get_kind_display(),
                           due_days_after_start=state.step.due_days_after_start)
                for group in progress.groups for state in group.steps])
        funnel.learners += 1
        states = [state for group in progress.groups for state in group.steps]
        for funnel_step, state in zip(funnel.steps, states, strict=True):
            funnel_step.reached += state.status in (DONE, IN_PROGRESS)
            funnel_step.done += state.status == DONE
    return sorted(funnels.values(), key=lambda funnel: funnel.version.number)


def _nudged_on(enrolments: list[PathwayEnrolment], overdue: dict[int, StepState]
               ) -> dict[int, datetime.date]:
    """When each learner was nudged about their first overdue step (one query)."""
    keys = {nudge_key(enrolment): enrolment.pk for enrolment in enrolments
            if enrolment.pk in overdue}
    if not keys:
        return {}
    found = {}
    for object_key, occurrence, queued_at in OutgoingMessage.objects.filter(
            kind=NUDGE_KIND, object_key__in=keys).values_list("object_key", "occurrence",
                                                              "queued_at"):
        enrolment_id = keys[object_key]
        if occurrence == nudge_occurrence(overdue[enrolment_id]):
            found[enrolment_id] = timezone.localdate(queued_at)
    return found


def cohort_choice(*, pathway: Pathway, value: str | None) -> Cohort | None:
    """The cohort a `?cohort=` value names (None for every learner, or for NO_COHORT), or 404."""
    if value in (None, "", NO_COHORT):
        return None
    cohort = pathway.cohorts.filter(pk=value).first() if value.isdigit() else None
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


def cohort_dashboard(*, pathway: Pathway, cohort_value: str | None = None,
                     today: datetime.date | None = None) -> CohortDashboard:
    """The learners of one cohort of the pathway (or all of them, or those without a cohort),
    each with their standing, the step funnel and the nudges sent."""
    today = today or timezone.localdate()
    cohort = cohort_choice(pathway=pathway, value=cohort_value)
    enrolments = (PathwayEnrolment.objects.filter(pathway=pathway)
                  .exclude(status=PathwayEnrolment.Status.LEFT)
                  .select_related("pathway", "version", "user", "cohort")
                  .order_by("user__full_name", "pk"))
    if cohort is not None:
        enrolments = enrolments.filter(cohort=cohort)
    elif cohort_value == NO_COHORT:
        enrolments = enrolments.filter(cohort__isnull=True)
    enrolments = list(enrolments)
    progresses = progress_for_enrolments(enrolments, today=today)
    overdue = {progress.enrolment.pk: _overdue_steps(progress, today) for progress in progresses}
    nudged = _nudged_on(enrolments, {pk: steps[0] for pk, steps in overdue.items() if steps})
    rows = [LearnerRow(progress=progress, overdue_steps=overdue[progress.enrolment.pk],
                       standing=_standing(progress, overdue[progress.enrolment.pk]),
                       nudged_on=nudged.get(progress.enrolment.pk))
            for progress in progresses]
    rows.sort(key=lambda row: ([BEHIND, ON_TRACK, COMPLETED].index(row.standing),
                               row.enrolment.user.full_name.lower()))
    return CohortDashboard(pathway=pathway, cohort=cohort,
                           cohorts=list(pathway.cohorts.order_by("starts_on", "pk")),
                           rows=rows, funnels=_funnels(progresses), today=today)
