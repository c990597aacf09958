"""Reads for the learner's path across activities: My learning's to-do list and upcoming
sessions, and the next step the course page puts first (check in, evaluate, claim credit,
download the certificate)."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Licence, User
from courses import checkin
from courses.credittypes.selectors import CATALOG_MODELS
from courses.dates import long_date
from courses.lessons.models import Lesson
from courses.models import Course, CreditDesignation, Enrolment, Session, Specialty, Topic
from courses.questions.models import DrillSettings, PostTest, Question
from courses.selectors.catalog import PrimaryAction
from courses.session_audience import session_reads_cached_in, sessions_visible_q
from cpd_portal.caching.parts import CachedPart
from credits.assignments.models import Assignment, AssignmentMember
from credits.assignments.selectors import assignments_todo_for
from credits.attendance.models import Attendance
from credits.certificates.models import Certificate
from credits.checklists.models import Checklist, LearnerChecklist
from credits.drills.models import DrillAnswer, DrillCard, DrillDelivery, DrillEnrolment
from credits.evaluations.models import EvaluationResponse
from credits.ledger.models import CreditRecord, ExternalActivity
from credits.ledger.selectors import (
    ClaimStatus,
    claim_status_for_loaded_course,
    claim_status_from_rows,
    courses_with_claim_data,
)
from credits.online.models import ExtraAttemptGrant, LessonView, ModuleProgress, PostTestAttempt
from credits.online.selectors import ModuleState, module_state_for
from credits.pathways.models import (
    ExternalStepRecord,
    Pathway,
    PathwayCertificate,
    PathwayEnrolment,
    PathwayVersion,
    Step,
    StepGroup,
)
from credits.requirements.models import RequirementSet, TopicRequirement
from credits.suggestions.models import SuggestionDismissal

UPCOMING_SESSION_LIMIT = 20

# My learning's sections, cached per viewer.
MY_LEARNING = CachedPart(
    "my-learning",
    Licence, Enrolment, Course, Session, CreditDesignation, Attendance, EvaluationResponse,
    CreditRecord, ExternalActivity, ExternalActivity.topics.through, Course.topics.through,
    Certificate, AssignmentMember, Assignment, ModuleProgress, LessonView, PostTestAttempt,
    ExtraAttemptGrant, Lesson, PostTest, Question, DrillEnrolment, DrillCard, DrillDelivery,
    DrillAnswer, DrillSettings, RequirementSet, TopicRequirement, Topic,
    Pathway, PathwayVersion, StepGroup, Step, PathwayEnrolment, ExternalStepRecord,
    PathwayCertificate, SuggestionDismissal, Specialty, Course.specialties.through,
    Checklist, LearnerChecklist, *CATALOG_MODELS,
)
session_reads_cached_in(MY_LEARNING)


def upcoming_sessions_for(*, user: User, now: datetime.datetime | None = None,
                          limit: int = UPCOMING_SESSION_LIMIT) -> list[Session]:
    """Sessions not yet over of the courses the clinician is enrolled in, soonest first.

    Each carries its check-in state for the Check in button: `checkin_is_open`,
    `checkin_opens_at` and `checked_in`, in the same single query.
    """
    now = now or timezone.now()
    sessions = list(Session.objects.filter(
        sessions_visible_q(user=user),
        course__enrolments__user=user, course__enrolments__status=Enrolment.Status.ENROLLED,
        is_cancelled=False, ends_at__gt=now,
    ).annotate(checked_in=Exists(Attendance.objects.filter(
        user=user, session=OuterRef("pk"), status=Attendance.Status.PRESENT)),
    ).select_related("course").order_by("starts_at", "pk")[:limit])
    for session in sessions:
        session.checkin_is_open = checkin.window_is_open(session, now)
        session.checkin_opens_at = checkin.window_opens_at(session)
    return sessions



@dataclass
class LearningTodo:
    evaluations: list[ClaimStatus]
    claims: list[ClaimStatus]
    # Required training not yet done, soonest due first ("Due 15 Jan", "Overdue").
    assignments: list[AssignmentMember] = field(default_factory=list)
    today: datetime.date | None = None

    def __bool__(self) -> bool:
        return bool(self.evaluations or self.claims or self.assignments)


def learning_todo_for(*, user: User) -> LearningTodo:
    """Required training, evaluations to complete and credit to claim, for My learning (eight
    queries in all)."""
    todo = _claims_todo_for(user=user)
    todo.assignments = assignments_todo_for(user=user)
    todo.today = timezone.localdate()
    return todo


def _claims_todo_for(*, user: User) -> LearningTodo:
    attendances = list(Attendance.objects.filter(
        user=user, status=Attendance.Status.PRESENT, session__is_cancelled=False,
    ).select_related("session"))
    completions = {p.course_id: p for p in ModuleProgress.objects.filter(
        user=user, completed_at__isnull=False)}
    if not attendances and not completions:
        return LearningTodo(evaluations=[], claims=[])
    course_ids = {a.session.course_id for a in attendances} | completions.keys()
    courses = courses_with_claim_data().filter(pk__in=course_ids).order_by("title")
    evaluated = set(EvaluationResponse.objects.filter(user=user, course_id__in=course_ids)
                    .values_list("course_id", flat=True))
    records: dict[int, list[CreditRecord]] = {}
    for record in CreditRecord.objects.filter(user=user, course_id__in=course_ids,
                                              status=CreditRecord.Status.ACTIVE):
        records.setdefault(record.course_id, []).append(record)
    todo = LearningTodo(evaluations=[], claims=[])
    now = timezone.now()
    for course in courses:
        status = claim_status_from_rows(
            user=user, course=course,
            attendances=[a for a in attendances if a.session.course_id == course.pk],
            evaluation_done=course.pk in evaluated, records=records.get(course.pk, []), now=now,
            online_completion=completions.get(course.pk))
        if not status.window_open:
            continue
        if not status.evaluation_done:
            todo.evaluations.append(status)
        if status.open_options and not status.evaluation_pending and status.claim_open:
            todo.claims.append(status)
    return todo


@dataclass(frozen=True)
class LearnerCourseState:
    """Where the signed-in clinician stands with a course beyond enrolment."""

    claim: ClaimStatus
    certificate: Certificate | None
    checkin_session: Session | None  # a session whose check-in window is open, not yet attended
    online: ModuleState | None = None  # enduring material: lessons, attempts, completion


def learner_course_state_get(*, course: Course, user: User,
                             now: datetime.datetime | None = None) -> LearnerCourseState | None:
    """The viewer's attendance, evaluation, claims and certificate for the course page.

    Uses the sessions and designations course_detail_get prefetched: four queries for a
    signed-in viewer, none for anyone else.
    """
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    claim = claim_status_for_loaded_course(user=user, course=course, now=now)
    attended_ids = {session.pk for session in claim.attended_sessions}
    checkin_session = next((session for session in course.sessions.all()
                            if session.pk not in attended_ids
                            and checkin.window_is_open(session, now)), None)
    certificate = (Certificate.objects.filter(user=user, course=course)
                   .exclude(status=Certificate.Status.REVOKED).first())
    online = (module_state_for(user=user, course=course, now=now)
              if course.format == Course.Format.ENDURING else None)
    return LearnerCourseState(claim=claim, certificate=certificate,
                              checkin_session=checkin_session, online=online)


def _online_action(course: Course, online: ModuleState) -> PrimaryAction:
    """Start -> Continue -> Take the post-test, for an enrolled learner not yet complete."""
    progress = online.progress_text
    if online.terminated:
        return PrimaryAction("", "", is_next_step=True, note=(
            _("This activity's termination date passed on %(day)s; it can no longer be "
              "completed or claimed.") % {"day": long_date(course.termination_date)}))
    if not online.started:
        return PrimaryAction(_("Start"), reverse("online:start", args=[course.slug]),
                             is_next_step=True, note=_("You are enrolled."))
    if not online.all_viewed or not online.has_post_test:
        return PrimaryAction(_("Continue"), reverse("online:resume", args=[course.slug]),
                             method="get", is_next_step=True, note=f"{progress.capitalize()}.")
    if online.exhausted:
        return PrimaryAction("", "", is_next_step=True,
                             note=_("You have used all your post-test attempts. Contact the "
                                    "CME office to ask for another attempt."))
    return PrimaryAction(_("Take the post-test"), reverse("online:post_test", args=[course.slug]),
                         method="get", is_next_step=True, note=f"{progress.capitalize()}.")


def _learning_action(*, course: Course, enrolment: Enrolment | None,
                     state: LearnerCourseState) -> PrimaryAction | None:
    """Check in, evaluate, claim, download: the step after enrolment that needs the clinician."""
    claim = state.claim
    enrolled = enrolment is not None and enrolment.status == Enrolment.Status.ENROLLED
    online = state.online
    if enrolled and online is not None and not online.complete:
        return _online_action(course, online)
    if enrolled and course.format == Course.Format.DRILL and not claim.attended:
        return PrimaryAction(_("Open the drill"), reverse("drills:drill", args=[course.slug]),
                             method="get", is_next_step=True,
                             note=_("Answer each weekday's questions until every one is "
                                    "retired."))
    if enrolled and state.checkin_session is not None:
        return PrimaryAction(
            _("Check in"), reverse("attendance:checkin"), method="get", is_next_step=True,
            note=_("Check-in is open for %(session)s. Type the code shown in the room.") % {
                "session": state.checkin_session.display_title})
    if claim.attended and claim.window_open and claim.evaluation_pending:
        note = _("You attended. Complete the evaluation, then claim your credit.")
        if not claim.claim_open:
            note = _("You're checked in. Complete the evaluation when the session ends; you "
                     "can claim credit from %(opens)s.") % {"opens": claim.claim_opens_display}
        return PrimaryAction(
            _("Evaluate"), reverse("evaluations:evaluation", args=[course.slug]), method="get",
            is_next_step=True, note=note)
    if claim.can_claim:
        return PrimaryAction(
            _("Claim credit"), reverse("ledger:claim", args=[course.slug]), method="get",
            is_next_step=True, note=_("You attended. %(days_left)s.") % {
                "days_left": claim.days_left_display.capitalize()})
    if claim.attended and claim.window_open and not claim.claim_open and claim.open_options:
        return PrimaryAction(
            "", "", is_next_step=True,
            note=_("You're checked in. You can claim credit once the session has ended, from "
                   "%(opens)s.") % {"opens": claim.claim_opens_display})
    certificate = state.certificate
    if certificate is not None and certificate.status == Certificate.Status.READY:
        return PrimaryAction(
            _("Download certificate"), reverse("certificates:download", args=[certificate.pk]),
            method="get", is_next_step=True, note=_("Your credit is on your transcript."))
    if certificate is not None:
        return PrimaryAction(
            "", "", is_next_step=True,
            note=_("Your credit is claimed. Your certificate is being made; we will email you "
                   "when it is ready."))
    return None


def course_next_step_for(*, course: Course, enrolment: Enrolment | None, user: User,
                         now: datetime.datetime) -> PrimaryAction | None:
    """The course page's action after enrolment, registered with courses.selectors.catalog."""
    state = learner_course_state_get(course=course, user=user, now=now)
    if state is None:
        return None
    return _learning_action(course=course, enrolment=enrolment, state=state)
