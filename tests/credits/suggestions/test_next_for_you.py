"""Next for you: each rule's reason from a fixture that makes exactly that gap; one suggestion
per activity, at most five; dismissed stays dismissed; the digest once per ISO week; a fixed
number of queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from courses.models import Course, Specialty, Topic
from credits.drills.models import DrillDelivery
from credits.drills.services import drill_answer_record, drill_deliveries_scan, drill_join
from credits.pathways.services import pathway_join
from credits.suggestions.selectors import suggestions_for
from credits.suggestions.services import next_for_you_digest_queue
from tests.credits.drills.helpers import MONDAY, at, make_drill, wrong_option
from tests.credits.pathways.helpers import make_track
from tests.factories import CourseFactory, LicenceFactory, SessionFactory

pytestmark = pytest.mark.django_db
NOW = at(MONDAY + datetime.timedelta(days=1), 12)


def _risk_management_course() -> Course:
    course = CourseFactory(title="Risk Management: Disclosure after Harm")
    course.topics.add(Topic.objects.get(slug="risk-management"))
    SessionFactory(course=course, starts_at=NOW + datetime.timedelta(days=10),
                   ends_at=NOW + datetime.timedelta(days=10, hours=1))
    return course


@pytest.fixture
def shortfall(clinician):
    LicenceFactory(user=clinician, expires_on=datetime.date(2027, 3, 14))
    return _risk_management_course()


def test_a_licence_topic_shortfall_suggests_an_activity_with_the_amount_and_deadline(
        clinician, shortfall):
    [suggestion] = suggestions_for(user=clinician, now=NOW)
    assert suggestion.title == "Risk Management: Disclosure after Harm"
    assert suggestion.reason == "10 risk management credits due by 14 March 2027"
    assert suggestion.rule == "shortfall"


def test_a_pathways_next_step_is_suggested_with_the_pathway_named(clinician, educator):
    track = make_track(educator)
    pathway_join(pathway=track.pathway, user=clinician, today=NOW.date())
    [suggestion, *_] = suggestions_for(user=clinician, now=NOW)
    assert suggestion.title == "Sepsis Grand Rounds: the first hour"
    assert suggestion.reason == ("The next step of your pathway “Sepsis champion track”, due "
                                 f"{NOW.date() + datetime.timedelta(days=30):%-d %B %Y}")


def _missed_twice(user) -> Course:
    drill = make_drill(questions=2)
    drill_join(user=user, course=drill, now=at(MONDAY, 6))
    drill_deliveries_scan(now=at(MONDAY))
    first = DrillDelivery.objects.filter(enrolment__user=user).order_by("question__position")[0]
    drill_answer_record(delivery=first, user=user, option=wrong_option(first.question_id),
                        channel="site", now=at(MONDAY, 8))
    drill_deliveries_scan(now=at(MONDAY + datetime.timedelta(days=1)))
    again = DrillDelivery.objects.filter(enrolment__user=user, question=first.question).latest(
        "pk")
    assert again.pk != first.pk  # the wrong answer came back the next morning
    drill_answer_record(delivery=again, user=user, option=wrong_option(first.question_id),
                        channel="site", now=at(MONDAY + datetime.timedelta(days=1), 8))
    return drill


def test_a_drill_question_answered_wrong_twice_suggests_a_related_activity(clinician):
    drill = _missed_twice(clinician)
    critical_care = Specialty.objects.create(slug="critical-care", name="Critical care")
    drill.specialties.add(critical_care)
    related = CourseFactory(title="Septic Shock in the ICU")
    related.specialties.add(critical_care)
    SessionFactory(course=related, starts_at=NOW + datetime.timedelta(days=3),
                   ends_at=NOW + datetime.timedelta(days=3, hours=1))
    [suggestion] = suggestions_for(user=clinician, now=NOW)
    assert suggestion.title == "Septic Shock in the ICU"
    assert suggestion.reason == ("You answered “Sepsis question 1: which is the next step?” "
                                 "wrong twice in Recognising Sepsis Early")


def test_without_a_related_activity_the_drills_rationales_are_suggested(clinician):
    _missed_twice(clinician)
    [suggestion] = suggestions_for(user=clinician, now=NOW)
    assert suggestion.title == "Review the rationales of Recognising Sepsis Early"


def test_a_new_activity_in_the_learners_specialty_is_suggested(clinician):
    clinician.specialty = "Hospital medicine"
    clinician.save()
    hospital_medicine = Specialty.objects.create(slug="hospital-medicine",
                                                 name="Hospital medicine")
    new = CourseFactory(title="Delirium Prevention on the Wards",
                        published_at=NOW - datetime.timedelta(days=3))
    new.specialties.add(hospital_medicine)
    SessionFactory(course=new, starts_at=NOW + datetime.timedelta(days=5),
                   ends_at=NOW + datetime.timedelta(days=5, hours=1))
    old = CourseFactory(title="Last Year's Update", published_at=NOW - datetime.timedelta(
        days=90))
    old.specialties.add(hospital_medicine)
    SessionFactory(course=old, starts_at=NOW + datetime.timedelta(days=5),
                   ends_at=NOW + datetime.timedelta(days=5, hours=1))
    [suggestion] = suggestions_for(user=clinician, now=NOW)
    assert suggestion.title == "Delirium Prevention on the Wards"
    assert suggestion.reason.startswith("New in Hospital medicine, published ")


def test_a_dismissed_suggestion_stays_dismissed(client, clinician, shortfall):
    [suggestion] = suggestions_for(user=clinician, now=NOW)
    client.force_login(clinician)
    url = reverse("suggestions:dismiss", args=[suggestion.key])
    assert client.post(url).status_code == 302
    client.post(url)  # a double click
    assert suggestions_for(user=clinician, now=NOW) == []
    assert suggestions_for(user=clinician, now=NOW + datetime.timedelta(days=8)) == []


def test_my_learning_shows_next_for_you_with_the_reason_and_a_dismiss_button(client, clinician,
                                                                            shortfall):
    client.force_login(clinician)
    body = client.get(reverse("learning:my_learning")).content.decode()
    assert "Next for you" in body and "risk management credits due by 14 March 2027" in body
    assert "Dismiss" in body


def test_the_digest_goes_once_per_week(clinician, shortfall):
    assert next_for_you_digest_queue(user=clinician, now=NOW)
    assert not next_for_you_digest_queue(user=clinician, now=NOW + datetime.timedelta(days=2))
    assert next_for_you_digest_queue(user=clinician, now=NOW + datetime.timedelta(days=7))
    messages = OutgoingMessage.objects.filter(recipient=clinician, kind="next_for_you")
    assert messages.count() == 2
    assert messages.first().context["suggestions"][0]["reason"] == (
        "10 risk management credits due by 14 March 2027")


def test_nothing_to_suggest_sends_no_digest(clinician):
    assert not next_for_you_digest_queue(user=clinician, now=NOW)


def _every_rule_has_something(clinician, educator, size: int) -> None:
    for index in range(size):
        course = _risk_management_course()
        course.title = f"Risk Management {index}"
        course.save()
        track = make_track(educator)
        pathway_join(pathway=track.pathway, user=clinician, today=NOW.date())


# courses available (3: courses, topics, specialties), enrolled, completions (2 sources),
# dismissals, requirement progress (4), pathway progress (8), drill misses
NEXT_FOR_YOU_QUERIES = 3 + 1 + 2 + 1 + 4 + 8 + 1


@pytest.mark.parametrize("size", [1, 3])
def test_suggestions_take_a_fixed_number_of_queries(clinician, educator, size):
    LicenceFactory(user=clinician, expires_on=datetime.date(2027, 3, 14))
    clinician.specialty = "Hospital medicine"
    _every_rule_has_something(clinician, educator, size)
    with CaptureQueriesContext(connection) as queries:
        suggestions = suggestions_for(user=clinician, now=NOW, limit=50)
    assert len(queries) == NEXT_FOR_YOU_QUERIES
    assert {s.rule for s in suggestions} == {"shortfall", "pathway"}
    assert len(suggestions_for(user=clinician, now=NOW)) == min(5, 1 + size)


def test_at_most_five_one_per_activity(clinician, educator):
    LicenceFactory(user=clinician, expires_on=datetime.date(2027, 3, 14))
    _every_rule_has_something(clinician, educator, 6)
    suggestions = suggestions_for(user=clinician, now=timezone.now())
    assert len(suggestions) == 5 and len({s.url for s in suggestions}) == 5
