"""Claiming credit: who may claim which type, how much, when, and only once."""
import datetime
import threading
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from credits.learning.selectors import learning_todo_for
from credits.ledger.claims import credit_claim, credit_claim_change
from credits.ledger.selectors import claim_status_for
from credits.ledger.signals import course_credits_changed
from credits.models import CreditRecord, CreditRecordChange, EvaluationResponse
from tests.credits.claim_world import attended_course
from tests.factories import AttendanceFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _evaluated(user, course):
    EvaluationResponse.objects.create(user=user, course=course)
    return course


def test_physician_is_offered_ama_and_moc_but_not_nursing_hours(clinician):
    course = attended_course(clinician, designations=[("ama_pra_1", "1.50"), ("abim_moc", "1.50"),
                                                      ("ancc", "1.50")])
    options = [o.credit_type for o in claim_status_for(user=clinician, course=course).options]
    assert options == ["abim_moc", "ama_pra_1"]


def test_nurse_is_offered_ancc_contact_hours():
    nurse = UserFactory(profession="nurse", degree="RN")
    course = attended_course(nurse, designations=[("ama_pra_1", "1.50"), ("ancc", "1.25")])
    options = claim_status_for(user=nurse, course=course).options
    assert [(o.credit_type, o.maximum) for o in options] == [("ancc", Decimal("1.25"))]


def test_clinician_no_designation_is_open_to_gets_participation_hours():
    social_worker = UserFactory(profession="social_worker", degree="LCSW")
    course = attended_course(social_worker, designations=[("ama_pra_1", "1.50")])
    options = claim_status_for(user=social_worker, course=course).options
    assert [(o.credit_type, o.maximum) for o in options] == [("participation", Decimal("1.50"))]


def test_live_claim_is_capped_at_hours_attended_rounded_to_the_quarter(clinician):
    # 65 minutes = 1.083 h -> 1.00; the designation would allow 1.50.
    course = attended_course(clinician, minutes=65, evaluation_required=False)
    option = claim_status_for(user=clinician, course=course).options[0]
    assert option.maximum == Decimal("1.00")
    assert option.allowed_amounts == [Decimal("1.00"), Decimal("0.75"), Decimal("0.50"),
                                      Decimal("0.25")]
    with pytest.raises(ValidationError, match="up to 1.00 AMA PRA Category 1 Credit™"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})


def test_amount_off_the_quarter_steps_is_refused(clinician):
    course = attended_course(clinician, evaluation_required=False)
    with pytest.raises(ValidationError, match="steps of 0.25"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.10")})


def test_enduring_material_is_capped_only_by_the_designation(clinician):
    course = attended_course(clinician, minutes=30, format="enduring", evaluation_required=False)
    assert claim_status_for(user=clinician, course=course).options[0].maximum == Decimal("1.50")


def test_required_evaluation_comes_before_the_claim(clinician):
    course = attended_course(clinician)
    with pytest.raises(ValidationError, match="Complete the evaluation first"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    _evaluated(clinician, course)
    assert len(credit_claim(user=clinician, course=course,
                            amounts={"ama_pra_1": Decimal("1.50")})) == 1


def test_claim_after_the_window_closes_is_refused(clinician):
    course = attended_course(clinician, days_ago=40, claim_window_days=30,
                             evaluation_required=False)
    status = claim_status_for(user=clinician, course=course)
    assert not status.window_open and not status.can_claim
    with pytest.raises(ValidationError, match="claim window closed"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})


def test_days_left_in_the_window_count_from_the_last_session(clinician):
    course = attended_course(clinician, days_ago=10, claim_window_days=30)
    assert claim_status_for(user=clinician, course=course).days_left == 20


def test_claim_records_credit_on_the_day_of_the_last_session_and_audits_it(
        clinician, django_capture_on_commit_callbacks):
    course = _evaluated(clinician, attended_course(clinician))
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    course_credits_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            [record] = credit_claim(user=clinician, course=course,
                                    amounts={"ama_pra_1": Decimal("1.50")})
    finally:
        course_credits_changed.disconnect(listener)
    assert record.source == "claim" and record.amount == Decimal("1.50")
    session = course.sessions.get()
    assert record.completed_on == session.starts_at.astimezone(
        zoneinfo.ZoneInfo(clinician.time_zone)).date()
    assert record.changes.get().action == "created"
    assert received == [{"signal": course_credits_changed, "user_id": clinician.pk,
                         "course_id": course.pk}]


def test_second_claim_of_the_same_type_is_refused_with_a_friendly_message(clinician):
    course = _evaluated(clinician, attended_course(clinician))
    credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    with pytest.raises(ValidationError, match="already claimed"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.00")})
    assert CreditRecord.objects.filter(user=clinician).count() == 1


def test_changing_the_amount_voids_and_re_records_with_audit(clinician):
    course = _evaluated(clinician, attended_course(clinician))
    [record] = credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    replacement = credit_claim_change(record=record, amount=Decimal("1.00"), actor=clinician)
    record.refresh_from_db()
    assert record.status == "voided" and "from 1.50" in record.void_reason
    assert replacement.amount == Decimal("1.00") and replacement.status == "active"
    actions = sorted(CreditRecordChange.objects.values_list("action", flat=True))
    assert actions == ["created", "created", "voided"]


def test_claim_page_defaults_to_the_maximum_and_shows_the_ama_statement(client, clinician):
    course = _evaluated(clinician, attended_course(clinician))
    client.force_login(clinician)
    response = client.get(reverse("ledger:claim", args=[course.slug]))
    content = response.content.decode()
    assert "designates this live activity for a maximum of 1.50" in content
    assert 'value="1.50" selected' in content
    assert "day" in content and "left to claim" in content
    response = client.post(reverse("ledger:claim", args=[course.slug]), {"ama_pra_1": "1.50"})
    assert response.status_code == 302
    assert CreditRecord.objects.get(user=clinician).amount == Decimal("1.50")
    response = client.post(reverse("ledger:claim", args=[course.slug]), {"ama_pra_1": "1.50"},
                           follow=True)
    assert CreditRecord.objects.filter(user=clinician).count() == 1


def test_claim_page_changes_an_amount(client, clinician):
    course = _evaluated(clinician, attended_course(clinician))
    [record] = credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    client.force_login(clinician)
    response = client.post(reverse("ledger:claim", args=[course.slug]),
                           {"change-ama_pra_1-record": record.pk,
                            "change-ama_pra_1-amount": "1.25"})
    assert response.status_code == 302
    assert CreditRecord.objects.get(user=clinician, status="active").amount == Decimal("1.25")


def test_claim_page_is_not_found_for_someone_who_did_not_attend(client, clinician,
                                                               other_clinician):
    course = attended_course(clinician)
    client.force_login(other_clinician)
    assert client.get(reverse("ledger:claim", args=[course.slug])).status_code == 404


def test_learning_todo_lists_evaluations_and_claims_with_days_left(clinician):
    evaluate_first = attended_course(clinician, title="Sepsis update", days_ago=5)
    claim_now = attended_course(clinician, title="Opioid stewardship",
                                evaluation_required=False, days_ago=10, claim_window_days=30)
    attended_course(clinician, title="Long closed", days_ago=200)
    todo = learning_todo_for(user=clinician)
    assert [s.course for s in todo.evaluations] == [claim_now, evaluate_first]
    assert [(s.course, s.days_left) for s in todo.claims] == [(claim_now, 20)]


def test_my_learning_shows_the_to_do_list(client, clinician):
    attended_course(clinician, title="Sepsis update")
    client.force_login(clinician)
    content = client.get(reverse("learning:my_learning")).content.decode()
    assert "Evaluate <strong>Sepsis update</strong>" in content


def test_hours_add_up_over_sessions_using_full_length_or_minutes_attended(clinician):
    course = attended_course(clinician, designations=[("ama_pra_1", "6.00")],
                             duration_minutes=120, evaluation_required=False)
    second = SessionFactory(course=course, starts_at=course.sessions.get().starts_at
                            + datetime.timedelta(days=1),
                            ends_at=course.sessions.get().ends_at + datetime.timedelta(days=1))
    AttendanceFactory(session=second, user=clinician, minutes_attended=50)
    status = claim_status_for(user=clinician, course=course)
    # 2 h + 50 min = 2.83 h -> 2.75; the completion date is the later session's day.
    assert status.hours_attended == Decimal("2.75")
    assert status.options[0].maximum == Decimal("2.75")
    assert status.completed_on == second.starts_at.astimezone(
        zoneinfo.ZoneInfo(clinician.time_zone)).date()


def test_absent_attendance_gives_no_claim(client, clinician):
    course = attended_course(clinician)
    course.sessions.get().attendances.update(status="absent")
    client.force_login(clinician)
    assert client.get(reverse("ledger:claim", args=[course.slug])).status_code == 404


def test_attendance_too_short_for_a_quarter_hour_is_explained(client, clinician):
    course = attended_course(clinician, minutes=5, evaluation_required=False)
    client.force_login(clinician)
    content = client.get(reverse("ledger:claim", args=[course.slug])).content.decode()
    assert "less than the smallest amount of credit" in content


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_claims_record_credit_once(clinician):
    course = _evaluated(clinician, attended_course(clinician))
    outcomes = []
    barrier = threading.Barrier(2)

    def claim():
        barrier.wait()
        try:
            credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
            outcomes.append("claimed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "refused"]
    assert CreditRecord.objects.filter(user=clinician, status="active").count() == 1


@pytest.mark.parametrize("courses", [1, 10])
def test_learning_todo_query_count_does_not_grow_with_courses(clinician, courses,
                                                             django_assert_num_queries):
    for _ in range(courses):
        attended_course(clinician)
    with django_assert_num_queries(8):  # with the online completions and required training
        todo = learning_todo_for(user=clinician)
    assert len(todo.evaluations) == courses
