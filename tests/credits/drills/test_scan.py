"""The morning scan: due questions per learner in their time zone, once a day, quiet hours and
weekends respected, through the outbox (a fake clock throughout)."""
import datetime
import zoneinfo

import pytest
from django.core import mail

from accounts.models import NotificationPreference, OutgoingMessage
from credits.drills import required
from credits.drills.models import DrillDelivery
from credits.drills.services import drill_deliveries_scan, drill_join
from tests.outbox import send_outgoing_message

from .helpers import MONDAY, at, make_drill

pytestmark = pytest.mark.django_db


class _DrillMail:
    """The outbox's drill emails (joining also sends the enrolment confirmation)."""

    def __getattr__(self, name):
        return getattr(OutgoingMessage.objects.filter(kind__startswith="drill_"), name)


DRILL_MAIL = _DrillMail()


@pytest.fixture
def drill(clinician):
    course = make_drill(questions=5)
    drill_join(user=clinician, course=course, now=at(MONDAY, 6, 0))
    return course


def test_a_joined_learner_gets_two_due_questions_on_a_weekday_morning_once(clinician, drill):
    result = drill_deliveries_scan(now=at(MONDAY, 7, 5))
    assert (result.learners, result.questions) == (1, 2)
    message = DRILL_MAIL.get(recipient=clinician)
    assert (message.kind, message.object_key, message.occurrence) == (
        "drill_questions", f"drill:{drill.pk}", "2026-12-07")
    assert len(message.context["questions"]) == 2
    assert [q["stem"] for q in message.context["questions"]] == [
        "Sepsis question 1: which is the next step?", "Sepsis question 2: which is the next step?"]
    # Later ticks the same day deliver nothing more.
    for hour in (8, 12, 19):
        assert drill_deliveries_scan(now=at(MONDAY, hour)).questions == 0
    assert DrillDelivery.objects.count() == 2 and DRILL_MAIL.count() == 1


def test_nothing_is_sent_before_the_morning_in_quiet_hours_or_at_weekends(drill):
    saturday, sunday = MONDAY - datetime.timedelta(days=2), MONDAY - datetime.timedelta(days=1)
    for moment in (at(MONDAY, 6, 59), at(MONDAY - datetime.timedelta(days=3), 20, 0),
                   at(saturday, 9), at(sunday, 10), at(MONDAY, 23, 30)):
        assert drill_deliveries_scan(now=moment).questions == 0, moment
    assert not DRILL_MAIL.exists()


def test_each_learner_is_served_in_their_own_time_zone(clinician, other_clinician, drill):
    other_clinician.time_zone = "America/Los_Angeles"
    other_clinician.save()
    drill_join(user=other_clinician, course=drill, now=at(MONDAY, 6, 0))
    assert drill_deliveries_scan(now=at(MONDAY, 7, 0)).learners == 1  # 04:00 in California
    pacific = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert drill_deliveries_scan(now=at(MONDAY, 7, 0, zone=pacific)).learners == 1
    assert set(DRILL_MAIL.values_list("recipient_id", flat=True)) == {
        clinician.pk, other_clinician.pk}


def test_the_next_day_brings_the_next_due_questions_and_a_new_email(clinician, drill):
    drill_deliveries_scan(now=at(MONDAY))
    drill_deliveries_scan(now=at(MONDAY + datetime.timedelta(days=1)))
    assert DRILL_MAIL.filter(recipient=clinician).count() == 2
    # Unanswered questions stay due; new ones are taken in order behind them.
    days = list(DrillDelivery.objects.order_by("delivered_on", "question__position")
                .values_list("delivered_on", "question__position"))
    tuesday = MONDAY + datetime.timedelta(days=1)
    assert days == [(MONDAY, 1), (MONDAY, 2), (tuesday, 1), (tuesday, 2)]


def test_the_email_shows_the_questions_as_answer_links_and_can_be_switched_off(
        clinician, drill):
    drill_deliveries_scan(now=at(MONDAY))
    message = DRILL_MAIL.get()
    assert send_outgoing_message(message.pk) == "sent"
    email = mail.outbox[0]
    html = email.alternatives[0][0]
    assert "Sepsis question 1" in html and "/drills/answer/" in html
    assert html.count("/drills/answer/") == 8  # two questions of four options
    assert "List-Unsubscribe" in email.extra_headers
    assert "Practice drill questions" in email.body
    NotificationPreference.objects.create(user=clinician, category="practice_drills",
                                          enabled=False)
    drill_deliveries_scan(now=at(MONDAY + datetime.timedelta(days=1)))
    second = DRILL_MAIL.exclude(pk=message.pk).get()
    assert send_outgoing_message(second.pk) == "skipped"


@pytest.fixture
def required_for_clinician(clinician):
    def checker(*, course_id, user_ids):
        return {user_id for user_id in user_ids if user_id == clinician.pk}

    required.drill_required_checker_register(checker)
    yield
    required._CHECKERS.remove(checker)


def test_a_required_drill_says_so_and_cannot_be_switched_off(
        clinician, other_clinician, drill, required_for_clinician):
    assert required.drill_required_for(course_id=drill.pk, user_ids=[other_clinician.pk]) == set()
    drill_join(user=other_clinician, course=drill, now=at(MONDAY, 6, 0))
    NotificationPreference.objects.create(user=clinician, category="practice_drills",
                                          enabled=False)
    drill_deliveries_scan(now=at(MONDAY))
    kinds = dict(DRILL_MAIL.values_list("recipient_id", "kind"))
    assert kinds == {clinician.pk: "drill_questions_required",
                     other_clinician.pk: "drill_questions"}
    message = DRILL_MAIL.get(recipient=clinician)
    assert send_outgoing_message(message.pk) == "sent"
    email = mail.outbox[0]
    assert email.subject == ("[CPD Portal] Required: Recognising Sepsis Early, your questions "
                             "for Monday 7 December")
    assert "required training" in email.body and "cannot be switched off" in email.body
    assert "List-Unsubscribe" not in email.extra_headers


def test_a_completed_or_unpublished_drill_gets_no_deliveries(clinician, drill):
    drill.status = "archived"
    drill.save()
    assert drill_deliveries_scan(now=at(MONDAY)).questions == 0


def test_each_chunk_is_handed_on_as_it_commits(monkeypatch):
    from credits.drills import services
    from tests.factories import UserFactory

    monkeypatch.setattr(services, "SCAN_CHUNK", 1)
    course = make_drill(questions=2)
    for _ in range(3):
        drill_join(user=UserFactory(), course=course, now=at(MONDAY, 6, 0))
    seen = []
    result = drill_deliveries_scan(now=at(MONDAY, 7, 5),
                                   after_chunk=lambda: seen.append(DRILL_MAIL.count()))
    assert result.learners == 3
    assert seen == [1, 2, 3]  # each learner's email recorded before the next chunk is read


def test_the_beat_tick_hands_every_email_to_the_workers(monkeypatch):
    from credits.drills import services
    from credits.drills.tasks import drill_deliveries_tick
    from tests.factories import UserFactory

    monkeypatch.setattr(services, "SCAN_CHUNK", 2)
    # Open every hour of every day, so the tick's real clock always delivers.
    course = make_drill(questions=2, delivery_hour=0, quiet_hour=24, weekdays_only=False)
    for _ in range(3):
        drill_join(user=UserFactory(), course=course)
    outcome = drill_deliveries_tick()
    assert (outcome["learners"], outcome["questions"]) == (3, 6)
    assert outcome["dispatched"] >= 3  # plus the enrolment confirmations joining queued
    assert not DRILL_MAIL.filter(queued_at__isnull=True).exists()


def test_a_scan_of_chosen_drills_leaves_every_other_drill_alone(clinician, drill):
    # The demo replays its own drill's past mornings; nobody else's drill moves.
    other = make_drill(questions=4)
    drill_join(user=clinician, course=other, now=at(MONDAY, 6, 0))
    assert drill_deliveries_scan(now=at(MONDAY, 7, 5), course_ids=[drill.pk]).learners == 1
    assert set(DrillDelivery.objects.values_list("enrolment__course_id", flat=True)) == {
        drill.pk}
    assert drill_deliveries_scan(now=at(MONDAY, 7, 10)).learners == 1  # the other, later
