"""Writes to an activity's question bank and its post-test settings (course directors)."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from courses.models import Course
from courses.services.publishing import course_editor_require

from .models import PostTest, Question, QuestionOption


@dataclass(frozen=True)
class OptionInput:
    text: str
    is_correct: bool


def _checked_options(kind: str, options: list[OptionInput]) -> list[OptionInput]:
    options = [OptionInput(o.text.strip(), o.is_correct) for o in options if o.text.strip()]
    if len(options) < 2:
        raise ValidationError("Give at least two options.")
    correct = sum(o.is_correct for o in options)
    if kind == Question.Kind.SINGLE and correct != 1:
        raise ValidationError("A single-best-answer question has exactly one correct option.")
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise ValidationError("Mark at least one option correct.")
    return options


@transaction.atomic
def question_save(*, course: Course, editor: User, kind: str, stem: str, rationale: str,
                  options: list[OptionInput], reference: str = "",
                  question: Question | None = None) -> Question:
    course_editor_require(course=course, editor=editor)
    if not stem.strip():
        raise ValidationError({"stem": "Write the question."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Explain the answer: learners read the rationale "
                                            "after their attempt."})
    options = _checked_options(kind, options)
    if question is None:
        top = course.questions.aggregate(top=Max("position"))["top"]
        question = Question(course=course, position=(top or 0) + 1)
    elif question.course_id != course.pk:
        raise ValidationError("That question belongs to another course.")
    elif question.answers.exists():
        current = [OptionInput(o.text, o.is_correct) for o in question.options.all()]
        if current != options or kind != question.kind:
            raise ValidationError("Learners have answered this question, so its options and "
                                  "answers cannot change; retire it and add a new one.")
    question.kind, question.stem = kind, stem.strip()
    question.rationale, question.reference = rationale.strip(), reference.strip()
    question.save()
    if not question.answers.exists():
        question.options.all().delete()
        QuestionOption.objects.bulk_create([
            QuestionOption(question=question, text=o.text, is_correct=o.is_correct,
                           position=position) for position, o in enumerate(options, start=1)])
    return question


@transaction.atomic
def question_retire(*, question: Question, editor: User, active: bool = False) -> Question:
    """Take a question out of the bank (or put it back); answers to it stay on record."""
    course_editor_require(course=question.course, editor=editor)
    question.is_active = active
    question.save(update_fields=["is_active"])
    return question


def post_test_settings_get(course: Course) -> PostTest:
    post_test = PostTest.objects.filter(course=course).first()
    return post_test or PostTest(course=course)


@transaction.atomic
def post_test_settings_save(*, course: Course, editor: User, passing_percent: int,
                            max_attempts: int | None, shuffle: bool,
                            pool_size: int | None) -> PostTest:
    course_editor_require(course=course, editor=editor)
    if not 1 <= passing_percent <= 100:
        raise ValidationError({"passing_percent": "Choose a passing score from 1 to 100%."})
    if max_attempts is not None and max_attempts < 1:
        raise ValidationError({"max_attempts": "Allow at least one attempt, or leave it empty "
                                               "for unlimited."})
    active = course.questions.filter(is_active=True).count()
    if pool_size is not None and not 1 <= pool_size <= max(active, 1):
        raise ValidationError({"pool_size": f"The bank has {active} active questions; ask at "
                                            "most that many, or leave it empty for all."})
    post_test, _ = PostTest.objects.update_or_create(course=course, defaults={
        "passing_percent": passing_percent, "max_attempts": max_attempts, "shuffle": shuffle,
        "pool_size": pool_size})
    return post_test
