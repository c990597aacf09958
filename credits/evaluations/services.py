"""Recording a clinician's evaluation of a course (once per clinician and course)."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from courses.models import Course
from credits.attendance.selectors import attended_or_completed
from credits.evaluations.models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse


def evaluation_submit(*, user: User, course: Course, answers: dict[int, dict]
                      ) -> EvaluationResponse:
    """Store the answers ({question id: {rating|yes_no|text, follow_up_text}})."""
    if not attended_or_completed(user=user, course=course):
        raise ValidationError("You can evaluate this activity once your attendance is recorded.")
    questions = {q.pk: q for q in EvaluationQuestion.objects.filter(pk__in=answers)}
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.create(user=user, course=course)
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
