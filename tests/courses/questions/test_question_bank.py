"""The question bank's rules and the enduring publication rules."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Course, CreditDesignation, Disclosure
from courses.questions.models import Question
from courses.questions.services import OptionInput, question_save
from courses.services.review import course_publication_problems
from credits.online.services import post_test_attempt_start
from tests.credits.online.helpers import enrol, make_module
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


def test_single_best_answer_needs_exactly_one_correct_option(educator):
    course = make_module(questions=0, status=Course.Status.DRAFT, directors=[educator])
    with pytest.raises(ValidationError, match="exactly one correct"):
        question_save(course=course, editor=educator, kind="single", stem="Dose?",
                      rationale="Because.", options=[OptionInput("a", True),
                                                     OptionInput("b", True)])
    question = question_save(course=course, editor=educator, kind="multiple", stem="Signs?",
                             rationale="Triad.", options=[OptionInput("a", True),
                                                          OptionInput("b", True),
                                                          OptionInput("", False)])
    assert question.options.count() == 2


def test_answered_questions_keep_their_options(educator, clinician):
    course = make_module(questions=1, directors=[educator])
    enrol(clinician, course)
    attempt = post_test_attempt_start(user=clinician, course=course)
    question = Question.objects.get(pk=attempt.question_ids[0])
    from credits.online.models import AttemptAnswer

    AttemptAnswer.objects.create(attempt=attempt, question=question, is_correct=True,
                                 selected_option_ids=[question.options.first().pk])
    with pytest.raises(ValidationError, match="retire it"):
        question_save(course=course, editor=educator, kind="single", stem=question.stem,
                      rationale="New", question=question,
                      options=[OptionInput("x", True), OptionInput("y", False)])


def test_director_adds_a_question_through_the_form(client, educator):
    course = make_module(questions=0, status=Course.Status.DRAFT, directors=[educator])
    client.force_login(educator)
    client.post(reverse("questions:create", args=[course.pk]), {
        "kind": "single", "stem": "First-line for opioid overdose?", "rationale": "Naloxone.",
        "option_1": "Naloxone", "correct_1": "on", "option_2": "Flumazenil"})
    assert course.questions.get().options.filter(is_correct=True).get().text == "Naloxone"


def test_enduring_publication_rules():
    course = make_module(lessons=0, questions=0, release_date=None, termination_date=None)
    CreditDesignation.objects.create(course=course, credit_type="abim_moc", max_credits=1)
    problems = " ".join(course_publication_problems(course=course))
    assert "Add at least one published lesson" in problems
    assert "ABIM MOC points need a post-test" in problems
    assert "release date and the termination" in problems
    assert "Add at least one session" not in problems
    course = make_module(title="Long module", release_date=datetime.date(2026, 1, 1),
                         termination_date=datetime.date(2029, 1, 2))
    assert any("on or before 1 January 2029" in p
               for p in course_publication_problems(course=course))
    course.termination_date = datetime.date(2029, 1, 1)
    assert course_publication_problems(course=course) == [
        "List the course director and the planners on the Disclosures page: every activity "
        "needs at least its planners' disclosures."]
    DisclosureFactory(course=course, role=Disclosure.Role.PLANNER)
    assert course_publication_problems(course=course) == []
