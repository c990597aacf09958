"""Recording a clinician's evaluation of a course (once per clinician and course), and the
default question set."""
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from credits.attendance.selectors import attended_or_completed
from credits.evaluations.models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse

# ACCME-style defaults: did the activity meet its objectives, will it change practice, and was
# it free of commercial bias (Standards for Integrity and Independence).
DEFAULT_QUESTIONS = [
    {"default_key": "objectives-met", "position": 10, "kind": EvaluationQuestion.Kind.LIKERT,
     "text": "The content met the stated learning objectives."},
    {"default_key": "change-practice", "position": 20, "kind": EvaluationQuestion.Kind.LIKERT,
     "text": "I will change my practice as a result of this activity.",
     "follow_up_prompt": "What will you change?",
     "follow_up_when": EvaluationQuestion.FollowUpWhen.ALWAYS},
    {"default_key": "free-of-bias", "position": 30, "kind": EvaluationQuestion.Kind.YES_NO,
     "text": "The content was free of commercial bias.",
     "follow_up_prompt": "If no, please explain.",
     "follow_up_when": EvaluationQuestion.FollowUpWhen.NO},
    {"default_key": "overall", "position": 40, "kind": EvaluationQuestion.Kind.LIKERT,
     "scale": EvaluationQuestion.Scale.QUALITY,
     "text": "Overall, how would you rate this activity?"},
    {"default_key": "comments", "position": 50, "kind": EvaluationQuestion.Kind.TEXT,
     "text": "Comments", "required": False},
]



def evaluation_default_questions_ensure() -> None:
    """Create the default question set where it is missing. The set is data (administrators may
    reword it); it is created after migrate (also after a test database flush) and when a
    course is first saved, so reading the questions never writes."""
    if EvaluationQuestion.objects.filter(course__isnull=True).count() >= len(DEFAULT_QUESTIONS):
        return
    EvaluationQuestion.objects.bulk_create(
        [EvaluationQuestion(**question) for question in DEFAULT_QUESTIONS], ignore_conflicts=True)


def evaluation_submit(*, user: User, course: Course, answers: dict[int, dict],
                      now: datetime.datetime | None = None) -> EvaluationResponse:
    """Store the answers ({question id: {rating|yes_no|text, follow_up_text}}), submitted at
    `now` (the present, or a past moment the demo's history replays)."""
    if not attended_or_completed(user=user, course=course):
        raise ValidationError("You can evaluate this activity once your attendance is recorded.")
    questions = {q.pk: q for q in EvaluationQuestion.objects.filter(pk__in=answers)}
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.create(user=user, course=course,
                                                         submitted_at=now or timezone.now())
            EvaluationAnswer.objects.bulk_create([
                _answer(response, questions[question_id], answer)
                for question_id, answer in answers.items() if question_id in questions
            ])
    except IntegrityError as error:
        raise ValidationError("You have already evaluated this activity; thank you.") from error
    return response


def _answer(response: EvaluationResponse, question: EvaluationQuestion,
            answer: dict) -> EvaluationAnswer:
    """Keep only the part of the answer the question's kind asks for."""
    kind = EvaluationQuestion.Kind
    return EvaluationAnswer(
        response=response, question=question,
        rating=answer.get("rating") if question.kind == kind.LIKERT else None,
        yes_no=answer.get("yes_no") if question.kind == kind.YES_NO else None,
        text=(answer.get("text") or "").strip() if question.kind == kind.TEXT else "",
        follow_up_text=((answer.get("follow_up_text") or "").strip()
                        if question.follow_up_prompt else ""))
