"""Scoring, attempt limits, extra attempts, double submission, termination and enrolment."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from credits.online.models import AttemptAnswer, ExtraAttemptGrant, ModuleProgress, PostTestAttempt
from credits.online.services import (
    AttemptAlreadySubmitted,
    extra_attempt_grant,
    post_test_attempt_start,
    post_test_attempt_submit,
)
from tests.credits.online.helpers import answers_for, enrol, make_module, read_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(clinician):
    course = make_module(questions=4, passing_percent=75, max_attempts=2)
    enrol(clinician, course)
    return course


def test_attempt_is_scored_on_the_server_and_passes_at_the_mark(clinician, module):
    attempt = post_test_attempt_start(user=clinician, course=module)
    attempt = post_test_attempt_submit(user=clinician, attempt=attempt,
                                       answers=answers_for(attempt, wrong=1))
    assert (attempt.correct_count, str(attempt.score_percent), attempt.passed) == (3, "75.00",
                                                                                  True)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_failed_attempt_keeps_its_answers_and_counts_toward_the_limit(clinician, module):
    first = post_test_attempt_start(user=clinician, course=module)
    post_test_attempt_submit(user=clinician, attempt=first, answers=answers_for(first, wrong=2))
    second = post_test_attempt_start(user=clinician, course=module)
    post_test_attempt_submit(user=clinician, attempt=second,
                             answers=answers_for(second, wrong=4))
    with pytest.raises(ValidationError, match="Contact the CME office"):
        post_test_attempt_start(user=clinician, course=module)
    assert PostTestAttempt.objects.filter(user=clinician, passed=False).count() == 2


def test_extra_attempt_granted_by_the_cme_office_is_audited_and_usable(clinician, admin_user,
                                                                      educator, module):
    for _ in range(2):
        attempt = post_test_attempt_start(user=clinician, course=module)
        post_test_attempt_submit(user=clinician, attempt=attempt,
                                 answers=answers_for(attempt, wrong=4))
    with pytest.raises(ValidationError, match="Only the CME office"):
        extra_attempt_grant(user=clinician, course=module, granted_by=educator, reason="Asked")
    extra_attempt_grant(user=clinician, course=module, granted_by=admin_user,
                        reason="Phone call: browser crashed during attempt 2")
    third = post_test_attempt_start(user=clinician, course=module)
    assert third.number == 3
    grant = ExtraAttemptGrant.objects.get()
    assert grant.granted_by == admin_user and "browser crashed" in grant.reason


def test_double_submitted_answers_count_once(clinician, module):
    attempt = post_test_attempt_start(user=clinician, course=module)
    answers = answers_for(attempt)
    post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers)
    with pytest.raises(AttemptAlreadySubmitted):
        post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers_for(
            attempt, wrong=4))
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_starting_twice_returns_the_open_attempt(clinician, module):
    first = post_test_attempt_start(user=clinician, course=module)
    assert post_test_attempt_start(user=clinician, course=module).pk == first.pk


def test_unanswered_questions_are_refused_and_nothing_is_recorded(clinician, module):
    attempt = post_test_attempt_start(user=clinician, course=module)
    answers = answers_for(attempt)
    answers.pop(attempt.question_ids[2])
    with pytest.raises(ValidationError, match="question 3"):
        post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not AttemptAnswer.objects.exists()


def test_without_enrolment_the_post_test_is_refused(other_clinician, module):
    with pytest.raises(ValidationError, match="Start this activity"):
        post_test_attempt_start(user=other_clinician, course=module)


def test_after_termination_submitting_is_refused_with_a_message(clinician, module):
    attempt = post_test_attempt_start(user=clinician, course=module)
    module.termination_date = timezone.localdate() - datetime.timedelta(days=1)
    module.save()
    with pytest.raises(ValidationError, match="termination date passed"):
        post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers_for(attempt))


def test_pool_asks_the_chosen_number_of_questions(clinician):
    course = make_module(questions=6)
    course.post_test.pool_size = 3
    course.post_test.save()
    enrol(clinician, course)
    attempt = post_test_attempt_start(user=clinician, course=course)
    assert len(attempt.question_ids) == 3 and len(set(attempt.question_ids)) == 3


def test_passing_after_reading_every_lesson_completes_on_the_learners_day(clinician, module):
    clinician.time_zone = "Pacific/Honolulu"
    clinician.save()
    read_all(clinician, module)
    attempt = post_test_attempt_start(user=clinician, course=module)
    # 03:00 UTC on 2 December is still 1 December in Honolulu.
    moment = datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.UTC)
    post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers_for(attempt),
                             now=moment)
    progress = ModuleProgress.objects.get(user=clinician, course=module)
    assert progress.completed_on == datetime.date(2026, 12, 1)


def test_attempts_cannot_be_deleted_on_postgresql(clinician, module):
    attempt = post_test_attempt_start(user=clinician, course=module)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostTestAttempt.objects.filter(pk=attempt.pk).delete()
