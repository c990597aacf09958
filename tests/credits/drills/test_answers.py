"""Answering: the signed email link (forged, replayed, expired, another person's: refused with a
clear page) and the site form, which count an answer once and reschedule the question."""
import datetime
import threading
import time

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse

from credits.drills import links
from credits.drills.models import DrillAnswer, DrillCard, DrillDelivery
from credits.drills.services import drill_answer_record, drill_deliveries_scan, drill_join

from .helpers import MONDAY, at, make_drill, right_option, wrong_option

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(clinician):
    course = make_drill(questions=4)
    drill_join(user=clinician, course=course, now=at(MONDAY, 6))
    drill_deliveries_scan(now=at(MONDAY))
    return course, DrillDelivery.objects.order_by("question__position").first()


def _link(delivery, option, user_id=None):
    token = links.answer_token(delivery_id=delivery.pk,
                               user_id=user_id or delivery.enrolment.user_id,
                               question_id=delivery.question_id, option_id=option.pk)
    return reverse("drills:answer_link", args=[token])


def test_the_email_link_records_the_answer_once_and_shows_the_rationale(client, delivered):
    _, delivery = delivered
    url = _link(delivery, right_option(delivery.question_id))
    # GET (what a mail gateway's link scanner does) records nothing.
    page = client.get(url)
    assert page.status_code == 200 and "Record answer A" in page.text
    assert not DrillAnswer.objects.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert "Correct" in response.text and "Surviving Sepsis Campaign 2021" in response.text
    assert "Option A of question 1 follows" in response.text
    answer = DrillAnswer.objects.get()
    assert (answer.is_correct, answer.channel) == (True, "email")
    card = DrillCard.objects.get(pk=delivery.card_id)
    assert (card.correct_streak, (card.due_on - answer.answered_on).days) == (1, 4)


def test_a_replayed_or_second_link_counts_once_with_a_clear_page(client, delivered):
    _, delivery = delivered
    client.post(_link(delivery, wrong_option(delivery.question_id)))
    for url in (_link(delivery, wrong_option(delivery.question_id)),
                _link(delivery, right_option(delivery.question_id))):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 409
            assert "already answered" in response.text and "first answer counts" in response.text
    assert DrillAnswer.objects.count() == 1 and not DrillAnswer.objects.get().is_correct


def test_a_forged_or_altered_link_is_refused(client, delivered):
    _, delivery = delivered
    url = _link(delivery, right_option(delivery.question_id))
    tampered = url.replace(f"/{delivery.pk}-", f"/{delivery.pk + 1}-")
    for bad in (tampered, url[:-3] + "abc/", reverse("drills:answer_link", args=["x"])):
        response = client.post(bad)
        assert response.status_code == 400, bad
        assert "This answer link is not valid" in response.text
    # A correctly signed link whose ids do not belong together (another question's option).
    other = DrillDelivery.objects.exclude(pk=delivery.pk).first()
    mixed = _link(delivery, right_option(other.question_id))
    assert client.post(mixed).status_code == 400
    assert not DrillAnswer.objects.exists()


def test_an_expired_link_is_refused(client, delivered, monkeypatch, settings):
    _, delivery = delivered
    url = _link(delivery, right_option(delivery.question_id))
    later = time.time() + settings.DRILL_ANSWER_LINK_MAX_AGE_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(url)
    assert response.status_code == 410 and "This answer link has expired" in response.text
    assert not DrillAnswer.objects.exists()


def test_another_persons_link_is_refused(client, delivered, other_clinician):
    _, delivery = delivered
    url = _link(delivery, right_option(delivery.question_id))
    client.force_login(other_clinician)
    response = client.post(url)
    assert response.status_code == 403
    assert "This question was sent to someone else" in response.text
    # Re-signed for another learner: the delivery is not theirs.
    client.logout()
    assert client.post(_link(delivery, right_option(delivery.question_id),
                             user_id=other_clinician.pk)).status_code == 400
    assert not DrillAnswer.objects.exists()


def test_answering_on_the_site_uses_the_same_rules(client, clinician, other_clinician,
                                                   delivered):
    course, delivery = delivered
    url = reverse("drills:delivery", args=[course.slug, delivery.pk])
    client.force_login(other_clinician)
    assert client.get(url).status_code == 404
    assert client.post(url, {"option": right_option(delivery.question_id).pk}).status_code == 404
    client.force_login(clinician)
    assert "Sepsis question 1" in client.get(url).text
    option = wrong_option(delivery.question_id)
    for _ in range(2):  # a double click
        assert client.post(url, {"option": option.pk}).status_code == 302
    answer = DrillAnswer.objects.get()
    assert (answer.channel, answer.is_correct) == ("site", False)
    page = client.get(url)
    assert "Not quite" in page.text and "A wrong answer comes back" in page.text
    assert client.post(url, {"option": ""}).status_code == 302
    assert DrillAnswer.objects.count() == 1


def test_the_service_refuses_another_persons_delivery_and_foreign_options(
        clinician, other_clinician, delivered):
    from django.core.exceptions import ValidationError

    _, delivery = delivered
    with pytest.raises(ValidationError, match="sent to someone else"):
        drill_answer_record(delivery=delivery, user=other_clinician,
                            option=right_option(delivery.question_id), channel="site")
    other = DrillDelivery.objects.exclude(pk=delivery.pk).first()
    with pytest.raises(ValidationError, match="another question"):
        drill_answer_record(delivery=delivery, user=clinician,
                            option=right_option(other.question_id), channel="site")


def test_answers_are_never_deleted(delivered, clinician):
    from django.db import IntegrityError, transaction

    _, delivery = delivered
    drill_answer_record(delivery=delivery, user=clinician,
                        option=right_option(delivery.question_id), channel="site")
    with pytest.raises(IntegrityError), transaction.atomic():
        DrillAnswer.objects.all()._raw_delete(DrillAnswer.objects.db)
    with pytest.raises(IntegrityError), transaction.atomic():
        DrillDelivery.objects.all()._raw_delete(DrillDelivery.objects.db)


def test_an_answer_takes_two_queries(delivered, clinician, django_assert_num_queries):
    _, delivery = delivered
    option = right_option(delivery.question_id)
    # The delivery, its card and the drill's rules in one read; then one statement that locks
    # the card, stores the answer once and reschedules the card (bench/drills.py).
    with django_assert_num_queries(2):
        outcome = drill_answer_record(delivery=delivery, user=clinician, option=option,
                                      channel="site")
    assert outcome.created and outcome.answer.pk == DrillAnswer.objects.get().pk


def _at_once(*calls) -> list:
    """Each call in its own thread and database connection, started together."""
    results, errors = [], []

    def run(call):
        try:
            results.append(call())
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_one_delivery_answered_from_four_tabs_at_once_counts_once(delivered, clinician):
    _, delivery = delivered
    option = right_option(delivery.question_id)
    outcomes = _at_once(*[lambda: drill_answer_record(delivery=delivery, user=clinician,
                                                      option=option, channel="site")] * 4)
    assert sorted(outcome.created for outcome in outcomes) == [False, False, False, True]
    assert len({outcome.answer.pk for outcome in outcomes}) == 1
    card = DrillCard.objects.get(pk=delivery.card_id)
    assert (card.times_answered, card.correct_streak) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_one_question_delivered_on_two_days_and_answered_at_once_counts_both(clinician):
    course = make_drill(questions=1, questions_per_delivery=1, weekdays_only=False)
    drill_join(user=clinician, course=course, now=at(MONDAY, 6))
    drill_deliveries_scan(now=at(MONDAY))
    drill_deliveries_scan(now=at(MONDAY + datetime.timedelta(days=1)))  # still due: again
    monday, tuesday = DrillDelivery.objects.order_by("delivered_on")
    assert monday.card_id == tuesday.card_id
    option = right_option(monday.question_id)
    _at_once(*[lambda item=item: drill_answer_record(delivery=item, user=clinician,
                                                     option=option, channel="site")
               for item in (monday, tuesday)])
    card = DrillCard.objects.get()
    # Each answer rescheduled the card as the other had left it.
    assert (card.times_answered, card.correct_streak) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_the_last_two_questions_retired_at_once_complete_the_drill(clinician):
    from credits.drills.models import DrillEnrolment

    course = make_drill(questions=2, questions_per_delivery=2, retire_after_correct=1)
    drill_join(user=clinician, course=course, now=at(MONDAY, 6))
    drill_deliveries_scan(now=at(MONDAY))
    first, second = DrillDelivery.objects.order_by("question__position")
    _at_once(*[lambda item=item: drill_answer_record(
        delivery=item, user=clinician, option=right_option(item.question_id), channel="site")
        for item in (first, second)])
    assert not DrillCard.objects.filter(retired_on__isnull=True).exists()
    assert DrillEnrolment.objects.get().completed_at is not None
