"""Where a learner stands in an online activity, and who may open its lessons and files."""
import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from courses.lessons.models import Lesson, LessonAttachment
from courses.models import Course, Enrolment
from courses.questions.models import PostTest, Question

from .models import (
    AttemptAnswer,
    ExtraAttemptGrant,
    LessonView,
    ModuleProgress,
    PostTestAttempt,
)
from .scorm.selectors import PackageState, package_state_for


def lessons_read_text(viewed: int, total: int) -> str:
    return ngettext("%(viewed)d of %(total)d lesson", "%(viewed)d of %(total)d lessons",
                    total) % {"viewed": viewed, "total": total}


@dataclass
class ModuleState:
    course: Course
    lessons: list[Lesson]
    progress: ModuleProgress | None
    attempts: list[PostTestAttempt]
    post_test: PostTest
    question_count: int
    extra_attempts: int
    today: datetime.date
    enrolled: bool = False
    # The published SCORM package, a step after the lessons (None when the activity has none).
    package_state: PackageState | None = None
    zone: zoneinfo.ZoneInfo = field(default_factory=timezone.get_current_timezone)

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def lessons_viewed(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.viewed)

    @property
    def all_viewed(self) -> bool:
        """Every lesson viewed and the package, if any, done: what comes before the post-test."""
        return self.lessons_viewed == self.lessons_total and (
            self.package_state is None or self.package_state.satisfied)

    @property
    def has_content(self) -> bool:
        return bool(self.lessons) or self.package_state is not None

    @property
    def package_due(self) -> bool:
        """The lessons are read and the package is the next thing to do."""
        return (self.package_state is not None and not self.package_state.satisfied
                and self.lessons_viewed == self.lessons_total)

    @property
    def has_post_test(self) -> bool:
        return self.question_count > 0

    @property
    def submitted_attempts(self) -> list[PostTestAttempt]:
        return [a for a in self.attempts if a.is_submitted]

    @property
    def open_attempt(self) -> PostTestAttempt | None:
        return next((a for a in self.attempts if not a.is_submitted), None)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def attempts_allowed(self) -> int | None:
        if self.post_test.max_attempts is None:
            return None
        return self.post_test.max_attempts + self.extra_attempts

    @property
    def attempts_left(self) -> int | None:
        if self.attempts_allowed is None:
            return None
        return max(self.attempts_allowed - len(self.submitted_attempts), 0)

    @property
    def exhausted(self) -> bool:
        return not self.passed and self.attempts_left == 0

    @property
    def started(self) -> bool:
        return self.progress is not None

    @property
    def complete(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def terminated(self) -> bool:
        return self.course.is_terminated(self.today)

    @property
    def resume_lesson(self) -> Lesson | None:
        if self.progress is not None and self.progress.last_lesson_id:
            last = next((lesson for lesson in self.lessons
                         if lesson.pk == self.progress.last_lesson_id), None)
            if last is not None:
                return next((lesson for lesson in self.lessons[self.lessons.index(last):]
                             if not lesson.viewed), last)
        return next((lesson for lesson in self.lessons if not lesson.viewed),
                    self.lessons[0] if self.lessons else None)

    @property
    def percent(self) -> int:
        package_steps = self.package_state.steps if self.package_state else []
        steps = self.lessons_total + len(package_steps) + (1 if self.has_post_test else 0)
        done = (self.lessons_viewed + sum(step.satisfied for step in package_steps)
                + (1 if self.has_post_test and self.passed else 0))
        return round(100 * done / steps) if steps else 0

    @property
    def post_test_text(self) -> str:
        if not self.has_post_test:
            return ""
        if self.passed:
            return _("post-test passed")
        if self.submitted_attempts:
            left = self.attempts_left
            if left == 0:
                return _("post-test not passed, no attempts left")
            if left is None:
                return _("post-test not yet passed")
            return ngettext("post-test not yet passed, %(left)d attempt left",
                            "post-test not yet passed, %(left)d attempts left",
                            left) % {"left": left}
        return _("post-test not taken")

    @property
    def progress_text(self) -> str:
        text = lessons_read_text(self.lessons_viewed, self.lessons_total)
        if self.package_state is not None:
            steps = self.package_state.steps
            done = sum(step.satisfied for step in steps)
            package = ngettext("%(done)d of %(total)d package part",
                               "%(done)d of %(total)d package parts",
                               len(steps)) % {"done": done, "total": len(steps)}
            text = package if not self.lessons else f"{text}, {package}"
        return f"{text}, {self.post_test_text}" if self.has_post_test else text


def _lessons_with_views(course: Course, user: User):
    return list(Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED)
                .annotate(viewed=Exists(LessonView.objects.filter(user=user,
                                                                  lesson=OuterRef("pk"))))
                .prefetch_related("attachments").order_by("position", "pk"))


def module_state_for(*, user: User, course: Course,
                     now: datetime.datetime | None = None) -> ModuleState:
    """The learner's lessons (each with `viewed`), progress, attempts and post-test rules.

    Seven queries whatever the number of lessons and attempts (eight with a SCORM package).
    """
    zone = zoneinfo.ZoneInfo(user.time_zone) if user.is_authenticated else None
    now = now or timezone.now()
    is_user = user.is_authenticated
    grants = (ExtraAttemptGrant.objects.filter(user=user, course=course).count()
              if is_user else 0)
    return ModuleState(
        course=course,
        lessons=_lessons_with_views(course, user) if is_user else [],
        progress=(ModuleProgress.objects.filter(user=user, course=course).first()
                  if is_user else None),
        attempts=(list(PostTestAttempt.objects.filter(user=user, course=course)
                       .order_by("number")) if is_user else []),
        post_test=PostTest.objects.filter(course=course).first() or PostTest(course=course),
        question_count=Question.objects.filter(course=course, is_active=True).count(),
        extra_attempts=grants,
        today=timezone.localdate(now, zone or timezone.get_current_timezone()),
        enrolled=is_user and Enrolment.objects.filter(
            user=user, course=course, status=Enrolment.Status.ENROLLED).exists(),
        zone=zone or timezone.get_current_timezone(),
        package_state=package_state_for(user=user, course=course),
    )


def learner_enrolled_in(*, user: User, course: Course) -> bool:
    return Enrolment.objects.filter(user=user, course=course,
                                    status=Enrolment.Status.ENROLLED).exists()


def can_open_module(*, user: User, course: Course) -> bool:
    """Enrolled learners, the course's directors and the CME office."""
    if not user.is_authenticated:
        return False
    if user.is_administrator or course.directors.filter(pk=user.pk).exists():
        return True
    return learner_enrolled_in(user=user, course=course)


def enduring_course_get(*, slug: str) -> Course | None:
    return Course.objects.filter(slug=slug, format=Course.Format.ENDURING).first()


def attachment_get(*, course: Course, attachment_id: int) -> LessonAttachment | None:
    return (LessonAttachment.objects.filter(pk=attachment_id, lesson__course=course,
                                            lesson__status=Lesson.Status.PUBLISHED)
            .select_related("lesson").first())


def attempt_with_questions(*, attempt: PostTestAttempt) -> list[dict]:
    """The attempt's questions in the order asked, each with its options in the order shown and,
    once submitted, the learner's answer. Three queries."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)
                 .prefetch_related("options")}
    answers = {a.question_id: a for a in attempt.answers.all()}
    items = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = questions[question_id]
        by_id = {option.pk: option for option in question.options.all()}
        order = attempt.option_order.get(str(question_id)) or list(by_id)
        answer = answers.get(question_id)
        selected = set(answer.selected_option_ids) if answer else set()
        items.append({"number": number, "question": question,
                      "options": [by_id[pk] for pk in order if pk in by_id],
                      "answer": answer, "selected": selected})
    return items


def online_progress_for(*, user: User) -> list["ModuleSummary"]:
    """Online activities the clinician is enrolled in and has not completed, for My learning.

    Two queries: the courses with their counts, and the learner's progress rows.
    """
    passed = PostTestAttempt.objects.filter(user=user, course=OuterRef("pk"), passed=True)
    courses = list(
        Course.objects.filter(format=Course.Format.ENDURING, enrolments__user=user,
                              enrolments__status=Enrolment.Status.ENROLLED)
        .annotate(
            lesson_total=Count("lessons", filter=Q(lessons__status=Lesson.Status.PUBLISHED),
                               distinct=True),
            lesson_viewed=Count("lessons__views", filter=Q(
                lessons__status=Lesson.Status.PUBLISHED, lessons__views__user=user),
                distinct=True),
            question_total=Count("questions", filter=Q(questions__is_active=True),
                                 distinct=True),
            attempt_total=Count("post_test_attempts", filter=Q(
                post_test_attempts__user=user, post_test_attempts__submitted_at__isnull=False),
                distinct=True),
            has_passed=Exists(passed),
        ).order_by("title"))
    progress = {p.course_id: p for p in ModuleProgress.objects.filter(
        user=user, course__in=[c.pk for c in courses])}
    states = []
    today = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(user.time_zone))
    for course in courses:
        row = progress.get(course.pk)
        if row is not None and row.completed_at is not None:
            continue
        state = _summary_state(course, row, today)
        states.append(state)
    return states


@dataclass
class ModuleSummary:
    """The My learning line of one online activity (counts only, no lesson rows)."""

    course: Course
    progress: ModuleProgress | None
    lessons_total: int
    lessons_viewed: int
    has_post_test: bool
    attempts_taken: int
    passed: bool
    terminated: bool

    @property
    def progress_text(self) -> str:
        text = lessons_read_text(self.lessons_viewed, self.lessons_total)
        if not self.has_post_test:
            return text
        if self.passed:
            return f"{text}, {_('post-test passed')}"
        if self.attempts_taken:
            return f"{text}, {_('post-test not yet passed')}"
        return f"{text}, {_('post-test not taken')}"

    @property
    def percent(self) -> int:
        steps = self.lessons_total + (1 if self.has_post_test else 0)
        done = self.lessons_viewed + (1 if self.has_post_test and self.passed else 0)
        return round(100 * done / steps) if steps else 0

    @property
    def post_test_is_next(self) -> bool:
        return self.lessons_viewed >= self.lessons_total and self.has_post_test

    @property
    def action_label(self) -> str:
        if self.progress is None:
            return _("Start")
        if self.post_test_is_next:
            return _("Take the post-test")
        return _("Continue")


def _summary_state(course: Course, progress: ModuleProgress | None,
                   today: datetime.date) -> ModuleSummary:
    return ModuleSummary(course=course, progress=progress, lessons_total=course.lesson_total,
                         lessons_viewed=course.lesson_viewed,
                         has_post_test=course.question_total > 0,
                         attempts_taken=course.attempt_total, passed=course.has_passed,
                         terminated=course.is_terminated(today))



# Item analysis needs enough attempts to mean anything; below this the page says how many.
STATISTICS_MIN_ATTEMPTS = 10
# Kelley's 27%: the top and bottom scorers compared for the discrimination index.
DISCRIMINATION_FRACTION = 0.27
CHART_BAR_MAX = 300


@dataclass
class QuestionStatistics:
    question: Question
    answered: int
    correct: int
    discrimination: float | None
    option_counts: list[tuple]  # (option, times chosen)

    @property
    def difficulty(self) -> float:
        """Share answering correctly (the item's difficulty index, p)."""
        return self.correct / self.answered if self.answered else 0.0

    @property
    def bar_width(self) -> int:
        return round(self.difficulty * CHART_BAR_MAX)


def post_test_statistics(*, course: Course) -> tuple[int, list[QuestionStatistics]]:
    """Submitted attempts and, from 10 of them, each question's difficulty, discrimination
    (top 27% minus bottom 27% of scorers) and how often each option was chosen. Four queries."""
    attempts = list(PostTestAttempt.objects.filter(course=course, submitted_at__isnull=False)
                    .order_by("-score_percent", "pk").values_list("pk", flat=True))
    if len(attempts) < STATISTICS_MIN_ATTEMPTS:
        return len(attempts), []
    group = max(1, round(len(attempts) * DISCRIMINATION_FRACTION))
    top, bottom = set(attempts[:group]), set(attempts[-group:])
    answers = list(AttemptAnswer.objects.filter(attempt__course=course,
                                                attempt__submitted_at__isnull=False)
                   .values_list("attempt_id", "question_id", "is_correct",
                                "selected_option_ids"))
    questions = list(Question.objects.filter(course=course).prefetch_related("options")
                     .order_by("position", "pk"))
    results = []
    for question in questions:
        rows = [row for row in answers if row[1] == question.pk]
        if not rows:
            continue
        chosen: dict[int, int] = {}
        for row in rows:
            for option_id in row[3]:
                chosen[option_id] = chosen.get(option_id, 0) + 1
        top_rows = [row for row in rows if row[0] in top]
        bottom_rows = [row for row in rows if row[0] in bottom]
        discrimination = None
        if top_rows and bottom_rows:
            discrimination = (sum(r[2] for r in top_rows) / len(top_rows)
                              - sum(r[2] for r in bottom_rows) / len(bottom_rows))
        results.append(QuestionStatistics(
            question=question, answered=len(rows), correct=sum(r[2] for r in rows),
            discrimination=discrimination,
            option_counts=[(option, chosen.get(option.pk, 0))
                           for option in question.options.all()]))
    return len(attempts), results
