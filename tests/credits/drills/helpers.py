"""A published practice drill and a fake clock, as the drill tests need them."""
import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from courses.models import Course, CreditDesignation, Enrolment
from courses.questions.models import DrillSettings, Question, QuestionOption
from tests.factories import CourseFactory

EASTERN = zoneinfo.ZoneInfo("America/New_York")
# A Monday; the drill tests run their clock from here.
MONDAY = datetime.date(2026, 12, 7)


def at(day: datetime.date, hour: int = 7, minute: int = 30,
       zone: zoneinfo.ZoneInfo = EASTERN) -> datetime.datetime:
    """A fake clock reading: `day` at `hour:minute` in `zone`."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def make_drill(*, questions: int = 4, credit: str = "2.00", directors=(), **settings_fields
               ) -> Course:
    """A published drill of `questions` single-best-answer questions whose option A is right."""
    today = timezone.localdate()
    course = CourseFactory(
        format=Course.Format.DRILL, title="Recognising Sepsis Early", directors=list(directors),
        release_date=today - datetime.timedelta(days=30),
        termination_date=today + datetime.timedelta(days=700), evaluation_required=False)
    CreditDesignation.objects.create(course=course, credit_type="ama_pra_1",
                                     max_credits=Decimal(credit))
    DrillSettings.objects.create(course=course, **settings_fields)
    for position in range(1, questions + 1):
        question = Question.objects.create(
            course=course, position=position,
            stem=f"Sepsis question {position}: which is the next step?",
            rationale=f"Option A of question {position} follows the Surviving Sepsis Campaign.",
            reference="Surviving Sepsis Campaign 2021")
        QuestionOption.objects.bulk_create([
            QuestionOption(question=question, text=f"Option {letter} of {position}",
                           is_correct=letter == "A", position=n)
            for n, letter in enumerate("ABCD", start=1)])
    return course


def enrol(user, course) -> Enrolment:
    return Enrolment.objects.create(user=user, course=course, status=Enrolment.Status.ENROLLED)


def right_option(question_id: int) -> QuestionOption:
    return QuestionOption.objects.get(question_id=question_id, is_correct=True)


def wrong_option(question_id: int) -> QuestionOption:
    return QuestionOption.objects.filter(question_id=question_id, is_correct=False).first()
