"""The drill page, joining from the course page, My learning's drill progress and streak, and
the publishing rule, with pinned query counts."""
import datetime

import pytest
from django.urls import reverse

from courses.models import Course
from courses.questions.models import Question
from courses.services.review import course_publication_problems
from credits.drills.models import DrillDelivery, DrillEnrolment
from credits.drills.selectors import drill_progress_for
from credits.drills.services import drill_answer_record, drill_deliveries_scan, drill_join
from tests.courses.test_catalog_query_budget import MY_LEARNING_QUERIES

from .helpers import MONDAY, at, make_drill, right_option

pytestmark = pytest.mark.django_db


def test_a_clinician_joins_from_the_course_page_and_sees_the_drill(client, clinician):
    course = make_drill(questions=4)
    client.force_login(clinician)
    page = client.get(course.get_absolute_url())
    assert "Join the drill" in page.text
    response = client.post(reverse("drills:join", args=[course.slug]))
    assert response.status_code == 302
    client.post(reverse("drills:join", args=[course.slug]))  # a second tab joins once
    enrolment = DrillEnrolment.objects.get(user=clinician)
    assert enrolment.cards.count() == 4
    drill_page = client.get(reverse("drills:drill", args=[course.slug]))
    assert "0 of 4 questions retired" in drill_page.text
    assert "Open the drill" in client.get(course.get_absolute_url()).text


def test_a_draft_drill_is_not_found_by_learners(client, clinician):
    course = make_drill(questions=4)
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)
    client.force_login(clinician)
    assert client.get(reverse("drills:drill", args=[course.slug])).status_code == 404


def _answered_drills(user, count):
    courses = []
    for _ in range(count):
        course = make_drill(questions=4)
        drill_join(user=user, course=course, now=at(MONDAY, 6))
        courses.append(course)
    for offset in range(3):
        day = MONDAY + datetime.timedelta(days=offset)
        drill_deliveries_scan(now=at(day))
        for delivery in DrillDelivery.objects.filter(delivered_on=day):
            drill_answer_record(delivery=delivery, user=user,
                                option=right_option(delivery.question_id), channel="site",
                                now=at(day, 9))
    return courses


@pytest.mark.parametrize("drills", [1, 3])
def test_drill_progress_takes_two_queries_whatever_the_number_of_drills(
        clinician, django_assert_num_queries, drills):
    _answered_drills(clinician, drills)
    wednesday = MONDAY + datetime.timedelta(days=2)
    with django_assert_num_queries(2):
        progress = drill_progress_for(user=clinician, now=at(wednesday, 18))
    assert len(progress) == drills
    first = progress[0]
    # Monday and Tuesday brought two questions each, both answered; on Wednesday nothing was
    # due. Retiring a question takes weeks, so none yet.
    assert (first.streak, first.retired, first.total, first.open_questions) == (2, 0, 4, 0)
    # Questions 1-2 answered right on Monday come back after four days: Friday.
    assert first.next_delivery_on == MONDAY + datetime.timedelta(days=4)


def test_the_streak_breaks_on_a_morning_left_unanswered(clinician):
    course = make_drill(questions=6)
    drill_join(user=clinician, course=course, now=at(MONDAY, 6))
    for offset in range(3):
        drill_deliveries_scan(now=at(MONDAY + datetime.timedelta(days=offset)))
    tuesday = MONDAY + datetime.timedelta(days=1)
    wednesday = MONDAY + datetime.timedelta(days=2)
    for delivery in DrillDelivery.objects.exclude(delivered_on=tuesday):
        drill_answer_record(delivery=delivery, user=clinician,
                            option=right_option(delivery.question_id), channel="site",
                            now=at(wednesday, 9))
    [progress] = drill_progress_for(user=clinician, now=at(wednesday, 10))
    assert progress.streak == 1


@pytest.mark.parametrize("drills", [1, 3])
def test_my_learning_shows_drill_progress_in_a_fixed_number_of_queries(
        client, clinician, django_assert_num_queries, drills):
    courses = _answered_drills(clinician, drills)
    client.force_login(clinician)
    # My learning without drills (tests/courses/test_catalog_query_budget.py) plus the drills'
    # progress read.
    with django_assert_num_queries(MY_LEARNING_QUERIES + 1):
        page = client.get(reverse("learning:my_learning"))
    for course in courses:
        assert reverse("drills:drill", args=[course.slug]) in page.text
    assert "0 of 4 questions retired" in page.text


def test_a_drill_needs_four_questions_to_publish(clinician):
    course = make_drill(questions=3)
    problems = course_publication_problems(course=course)
    assert any("at least 4 active questions" in problem for problem in problems)
    assert not any("lesson" in problem for problem in problems)
    Question.objects.create(course=course, stem="Which lactate level defines septic shock?",
                            rationale="Above 2 mmol/L despite fluids.", position=4)
    assert not any("questions" in p for p in course_publication_problems(course=course))
    Question.objects.filter(course=course, position=4).update(kind=Question.Kind.MULTIPLE)
    assert any("single-best-answer" in p for p in course_publication_problems(course=course))


def test_the_question_bank_of_a_drill_explains_how_it_runs(client, educator):
    course = make_drill(questions=4, directors=[educator])
    client.force_login(educator)
    page = client.get(reverse("questions:bank", args=[course.pk]))
    assert "Drill question bank" in page.text and "after 4, then 10, then 21 days" in page.text
    overview = client.get(reverse("educator:course_overview", args=[course.pk]))
    assert "Drill questions" in overview.text
