"""What learners did, replayed through the services they use, each at its moment in the past:
enrol, check in with the session's code (or be marked on the roster by the educator), evaluate,
claim credit, read an online activity's lessons and pass its post-test.

Each helper skips what an earlier run already did, so seeding twice changes nothing.
"""
import datetime
import random

from accounts.models import User
from courses import checkin
from courses.lessons.models import Lesson
from courses.models import Course, Enrolment, Session
from courses.services.enrolment import enrolment_create
from credits.attendance.models import Attendance
from credits.attendance.services import RosterMark, attendance_check_in, attendance_roster_save
from credits.evaluations.models import EvaluationQuestion, EvaluationResponse
from credits.evaluations.selectors import evaluation_questions_for
from credits.evaluations.services import evaluation_submit
from credits.ledger.claims import credit_claim
from credits.ledger.models import CreditRecord
from credits.ledger.selectors import claim_status_for
from credits.online.models import ModuleProgress
from credits.online.services import (
    lesson_view_record,
    post_test_attempt_start,
    post_test_attempt_submit,
)


def enrolled(user: User, course: Course, *, at: datetime.datetime) -> None:
    if not course.enrolments.filter(user=user, status__in=Enrolment.ACTIVE_STATUSES).exists():
        enrolment_create(user=user, course=course, now=at)


def checked_in(user: User, session: Session, *, minutes_before: int = 5) -> None:
    """Checked in with the code on the room's screen, shortly before the session started."""
    if Attendance.objects.filter(session=session, user=user).exists():
        return
    at = session.starts_at - datetime.timedelta(minutes=minutes_before)
    attendance_check_in(user=user, code=checkin.current_code(session, at), at=at)


def roster_marked(session: Session, learners: list[User], *, educator: User) -> None:
    """The educator marks these learners present on the session's roster (unchanged rows are
    left alone by the service)."""
    attendance_roster_save(session=session, recorded_by=educator,
                           marks={learner.pk: RosterMark(present=True) for learner in learners})


def evaluated(user: User, course: Course, *, at: datetime.datetime, rating: int = 5,
              change: str = "") -> None:
    """The default evaluation, answered as a satisfied learner would, with what they will
    change in their practice."""
    if EvaluationResponse.objects.filter(user=user, course=course).exists():
        return
    answers = {}
    for question in evaluation_questions_for(course=course):
        if question.kind == EvaluationQuestion.Kind.LIKERT:
            answers[question.pk] = {"rating": rating, "follow_up_text": change}
        elif question.kind == EvaluationQuestion.Kind.YES_NO:
            answers[question.pk] = {"yes_no": True}
    evaluation_submit(user=user, course=course, answers=answers, now=at)


def claimed(user: User, course: Course, *, at: datetime.datetime) -> list[CreditRecord]:
    """Every credit open to the learner, at the most the claim page offers."""
    status = claim_status_for(user=user, course=course, now=at)
    if not status.can_claim:
        return []
    return credit_claim(user=user, course=course, now=at,
                        amounts={option.credit_type: option.maximum
                                 for option in status.open_options})


def lessons_read(user: User, course: Course, *, count: int | None = None,
                 started: datetime.datetime, minutes_each: int = 7) -> datetime.datetime:
    """The first `count` published lessons (all of them by default) opened in turn from
    `started`; returns when the last was opened."""
    lessons = list(Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED)
                   .order_by("position"))[:count]
    at = started
    for index, lesson in enumerate(lessons):
        at = started + datetime.timedelta(minutes=minutes_each * index)
        lesson_view_record(user=user, lesson=lesson, now=at)
    return at


def module_completed(user: User, course: Course, *, started: datetime.datetime,
                     rng: random.Random) -> None:
    """Every lesson read, then the post-test passed at the first attempt."""
    if ModuleProgress.objects.filter(user=user, course=course,
                                     completed_at__isnull=False).exists():
        return
    last_read = lessons_read(user, course, started=started)
    begun = last_read + datetime.timedelta(minutes=6)
    attempt = post_test_attempt_start(user=user, course=course, now=begun, rng=rng)
    right = {question.pk: [option.pk for option in question.options.all() if option.is_correct]
             for question in course.questions.filter(pk__in=attempt.question_ids)
             .prefetch_related("options")}
    post_test_attempt_submit(user=user, attempt=attempt, answers=right,
                             now=begun + datetime.timedelta(minutes=9))
