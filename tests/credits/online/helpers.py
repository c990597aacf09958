"""An enduring activity with lessons and a post-test, as tests across the suite need it."""
import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from courses.lessons.markdown import render_lesson_markdown
from courses.lessons.models import Lesson, LessonAttachment
from courses.models import Course, CreditDesignation, Enrolment
from courses.questions.models import PostTest, Question, QuestionOption
from tests.factories import CourseFactory

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def make_module(*, lessons: int = 3, questions: int = 4, passing_percent: int = 75,
                max_attempts: int | None = 2, credit: str = "1.50", directors=(),
                **fields) -> Course:
    """A published enduring course: `lessons` published lessons (the first with an image),
    `questions` single-best-answer questions whose first option is correct."""
    today = timezone.localdate()
    fields.setdefault("release_date", today - datetime.timedelta(days=30))
    fields.setdefault("termination_date", today + datetime.timedelta(days=700))
    fields.setdefault("title", "Safe Opioid Prescribing")
    course = CourseFactory(format=Course.Format.ENDURING, directors=list(directors), **fields)
    CreditDesignation.objects.create(course=course, credit_type="ama_pra_1",
                                     max_credits=Decimal(credit))
    for position in range(1, lessons + 1):
        body = f"## Part {position}\n\nCheck the PDMP before prescribing."
        Lesson.objects.create(course=course, title=f"Lesson {position}", position=position,
                              body=body, body_html=render_lesson_markdown(body),
                              status=Lesson.Status.PUBLISHED, estimated_minutes=5)
    first = course.lessons.first()
    if first is not None:
        attachment = LessonAttachment(lesson=first, title="MME workflow diagram", kind="image",
                                      content_type="image/png", size=len(PNG_1PX))
        attachment.file.save("diagram.png", ContentFile(PNG_1PX), save=False)
        attachment.save()
    for position in range(1, questions + 1):
        question = Question.objects.create(
            course=course, position=position, stem=f"Question {position}: which is right?",
            rationale=f"Because option A of question {position} follows the guideline.",
            reference="CDC 2022")
        QuestionOption.objects.bulk_create([
            QuestionOption(question=question, text=f"Option {letter}", is_correct=letter == "A",
                           position=n) for n, letter in enumerate("ABCD", start=1)])
    if questions:
        PostTest.objects.create(course=course, passing_percent=passing_percent,
                                max_attempts=max_attempts, shuffle=True)
    return course


def enrol(user, course) -> Enrolment:
    return Enrolment.objects.create(user=user, course=course, status=Enrolment.Status.ENROLLED)


def answers_for(attempt, *, wrong: int = 0) -> dict[int, list[int]]:
    """Answers to the attempt's questions, the first `wrong` of them wrong."""
    result = {}
    for index, question_id in enumerate(attempt.question_ids):
        options = list(QuestionOption.objects.filter(question_id=question_id))
        pick = [o for o in options if o.is_correct == (index >= wrong)][0]
        result[question_id] = [pick.pk]
    return result


def read_all(user, course) -> None:
    from credits.online.services import lesson_view_record

    for lesson in course.lessons.filter(status=Lesson.Status.PUBLISHED):
        lesson_view_record(user=user, lesson=lesson)
