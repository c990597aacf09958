"""Writes of a learner's online activity: starting, lesson views, post-test attempts scored on
the server, completion; and the CME office's extra attempts. Every check runs again inside the
transaction, so a stale page, a second tab or a replayed POST cannot get past it."""
import datetime
import random
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.lessons.models import Lesson
from courses.models import Course
from courses.questions.models import Question
from courses.services.enrolment import enrolment_create

from .models import AttemptAnswer, ExtraAttemptGrant, LessonView, ModuleProgress, PostTestAttempt
from .selectors import learner_enrolled_in, module_state_for

NOT_ENROLLED = "Start this activity from its page first; then you can take the post-test."
EXHAUSTED = ("You have used all your post-test attempts. Contact the CME office to ask for "
             "another attempt.")


class AttemptAlreadySubmitted(ValidationError):
    """A second submission of the same attempt (double click, second tab, replay)."""


def _terminated_message(course: Course) -> str:
    return (f"This activity's termination date passed on {course.termination_date:%-d %B %Y}: "
            "it is closed to new learners, post-tests and claims.")


def _today(user: User, now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now, zoneinfo.ZoneInfo(user.time_zone))


def _lock_learner(user: User) -> None:
    # Serialises one learner's writes (two tabs) without locking anyone else.
    User.objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def module_start(*, user: User, course: Course,
                 now: datetime.datetime | None = None) -> ModuleProgress:
    """Enrol if needed and open the learner's progress; a second start changes nothing."""
    now = now or timezone.now()
    _lock_learner(user)
    progress = ModuleProgress.objects.filter(user=user, course=course).first()
    if progress is not None:
        return progress
    if course.is_terminated(_today(user, now)):
        raise ValidationError(_terminated_message(course))
    if course.release_date and course.release_date > _today(user, now):
        raise ValidationError(f"This activity opens on {course.release_date:%-d %B %Y}.")
    if not learner_enrolled_in(user=user, course=course):
        enrolment_create(user=user, course=course, now=now)
        if not learner_enrolled_in(user=user, course=course):
            raise ValidationError("Your request for a place is recorded; you can start once "
                                  "it is confirmed.")
    return ModuleProgress.objects.create(user=user, course=course, started_at=now)


def _completion_update(*, user: User, course: Course, progress: ModuleProgress,
                       now: datetime.datetime) -> None:
    if progress.completed_at is not None:
        return
    state = module_state_for(user=user, course=course, now=now)
    if state.has_content and state.all_viewed and (state.passed or not state.has_post_test):
        progress.completed_at, progress.completed_on = now, _today(user, now)
        progress.save(update_fields=["completed_at", "completed_on"])


@transaction.atomic
def module_completion_update(*, user: User, course: Course, now: datetime.datetime) -> None:
    """Record the module complete if its last requirement has just been met (a SCORM commit)."""
    progress = ModuleProgress.objects.select_for_update().get(user=user, course=course)
    _completion_update(user=user, course=course, progress=progress, now=now)


@transaction.atomic
def lesson_view_record(*, user: User, lesson: Lesson,
                       now: datetime.datetime | None = None) -> LessonView:
    """Mark a published lesson viewed and remember it as the place to resume."""
    now = now or timezone.now()
    course = lesson.course
    progress = module_start(user=user, course=course, now=now)
    view, created = LessonView.objects.get_or_create(
        user=user, lesson=lesson, defaults={"first_viewed_at": now, "last_viewed_at": now})
    if not created:
        LessonView.objects.filter(pk=view.pk).update(last_viewed_at=now)
    if progress.last_lesson_id != lesson.pk:
        progress.last_lesson = lesson
        progress.save(update_fields=["last_lesson"])
    if created:
        _completion_update(user=user, course=course, progress=progress, now=now)
    return view


def _check_may_attempt(*, user: User, course: Course, now: datetime.datetime):
    if course.is_terminated(_today(user, now)):
        raise ValidationError(_terminated_message(course))
    if not learner_enrolled_in(user=user, course=course):
        raise ValidationError(NOT_ENROLLED)
    state = module_state_for(user=user, course=course, now=now)
    if not state.has_post_test:
        raise ValidationError("This activity has no post-test.")
    return state


@transaction.atomic
def post_test_attempt_start(*, user: User, course: Course,
                            now: datetime.datetime | None = None,
                            rng: random.Random | None = None) -> PostTestAttempt:
    """Open an attempt with its questions (pool drawn, shuffled); an open one is returned."""
    now = now or timezone.now()
    _lock_learner(user)
    state = _check_may_attempt(user=user, course=course, now=now)
    if state.open_attempt is not None:
        return state.open_attempt
    if state.passed:
        raise ValidationError("You have passed the post-test; there is no need to take it again.")
    if state.exhausted:
        raise ValidationError(EXHAUSTED)
    rng = rng or random.SystemRandom()
    questions = list(Question.objects.filter(course=course, is_active=True)
                     .prefetch_related("options").order_by("position", "pk"))
    settings = state.post_test
    if settings.pool_size and settings.pool_size < len(questions):
        questions = sorted(rng.sample(questions, settings.pool_size),
                           key=lambda q: (q.position, q.pk))
    if settings.shuffle:
        rng.shuffle(questions)
    option_order = {}
    for question in questions:
        ids = [option.pk for option in question.options.all()]
        if settings.shuffle:
            rng.shuffle(ids)
        option_order[str(question.pk)] = ids
    return PostTestAttempt.objects.create(
        user=user, course=course, number=len(state.attempts) + 1,
        question_ids=[q.pk for q in questions], option_order=option_order,
        passing_percent=settings.passing_percent, started_at=now)


def _score(correct: int, total: int) -> Decimal:
    return (Decimal(correct * 100) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def post_test_attempt_submit(*, user: User, attempt: PostTestAttempt,
                             answers: dict[int, list[int]],
                             now: datetime.datetime | None = None) -> PostTestAttempt:
    """Score the attempt on the server and keep every answer; a second submit is refused."""
    now = now or timezone.now()
    _lock_learner(user)
    attempt = PostTestAttempt.objects.select_for_update().select_related("course").get(
        pk=attempt.pk)
    if attempt.user_id != user.pk:
        raise ValidationError("That attempt is not yours.")
    if attempt.is_submitted:
        raise AttemptAlreadySubmitted("This attempt was already submitted; here is its result.")
    course = attempt.course
    _check_may_attempt(user=user, course=course, now=now)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)
                 .prefetch_related("options")}
    missing = [n for n, qid in enumerate(attempt.question_ids, start=1) if not answers.get(qid)]
    if missing:
        raise ValidationError("Answer every question before you submit; unanswered: "
                              + ", ".join(f"question {n}" for n in missing) + ".")
    rows, correct = [], 0
    for question_id in attempt.question_ids:
        question = questions[question_id]
        chosen = set(answers[question_id])
        valid = {option.pk for option in question.options.all()}
        if not chosen <= valid:
            raise ValidationError("An answer did not belong to its question; reload the page "
                                  "and answer again.")
        if question.kind == Question.Kind.SINGLE and len(chosen) != 1:
            raise ValidationError("Choose one answer for each single-best-answer question.")
        right = {option.pk for option in question.options.all() if option.is_correct}
        is_correct = chosen == right
        correct += is_correct
        rows.append(AttemptAnswer(attempt=attempt, question=question,
                                  selected_option_ids=sorted(chosen), is_correct=is_correct))
    AttemptAnswer.objects.bulk_create(rows)
    attempt.correct_count = correct
    attempt.score_percent = _score(correct, len(attempt.question_ids))
    attempt.passed = attempt.score_percent >= attempt.passing_percent
    attempt.submitted_at = now
    attempt.save(update_fields=["correct_count", "score_percent", "passed", "submitted_at"])
    if attempt.passed:
        progress, _ = ModuleProgress.objects.select_for_update().get_or_create(
            user=user, course=course, defaults={"started_at": attempt.started_at})
        _completion_update(user=user, course=course, progress=progress, now=now)
    return attempt


@transaction.atomic
def extra_attempt_grant(*, user: User, course: Course, granted_by: User,
                        reason: str) -> ExtraAttemptGrant:
    """The CME office allows one more attempt; the grant row is the audit trail."""
    if not granted_by.is_administrator:
        raise ValidationError("Only the CME office can grant another attempt.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why another attempt is granted."})
    return ExtraAttemptGrant.objects.create(user=user, course=course, granted_by=granted_by,
                                            reason=reason.strip())
