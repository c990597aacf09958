"""Completion of an online activity, then the unchanged evaluation -> claim -> certificate path
with the enduring rules: window from completion, designated maximum in 0.25 steps, attested
time, nothing after termination; and the course page's one button through every step."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.services.enrolment import enrolment_create
from credits.certificates.models import Certificate
from credits.certificates.services import certificate_sync
from credits.evaluations.services import evaluation_submit
from credits.ledger.claims import credit_claim
from credits.ledger.selectors import claim_status_for
from credits.online.models import ModuleProgress
from credits.online.services import (
    lesson_view_record,
    module_start,
    post_test_attempt_start,
    post_test_attempt_submit,
)
from tests.credits.online.helpers import answers_for, enrol, make_module, read_all

pytestmark = pytest.mark.django_db


def _complete(user, course, *, now=None):
    read_all(user, course)
    attempt = post_test_attempt_start(user=user, course=course, now=now)
    post_test_attempt_submit(user=user, attempt=attempt, answers=answers_for(attempt), now=now)


def test_completion_needs_every_lesson_and_a_passed_post_test(clinician):
    course = make_module(lessons=2, questions=2)
    enrol(clinician, course)
    attempt = post_test_attempt_start(user=clinician, course=course)
    post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers_for(attempt))
    progress = ModuleProgress.objects.get(user=clinician, course=course)
    assert progress.completed_at is None  # lessons not read yet
    lesson_view_record(user=clinician, lesson=course.lessons.all()[0])
    progress.refresh_from_db()
    assert progress.completed_at is None
    lesson_view_record(user=clinician, lesson=course.lessons.all()[1])
    progress.refresh_from_db()
    assert progress.completed_at is not None and progress.completed_on is not None


def test_enduring_claim_rules_window_from_completion_and_designated_maximum(clinician):
    course = make_module(credit="1.50", claim_window_days=30)
    enrol(clinician, course)
    status = claim_status_for(user=clinician, course=course)
    assert "viewed every lesson" in status.blocked_reason
    _complete(clinician, course)
    evaluation_submit(user=clinician, course=course, answers={})
    status = claim_status_for(user=clinician, course=course)
    progress = ModuleProgress.objects.get(user=clinician, course=course)
    assert status.window_closes_at == progress.completed_at + datetime.timedelta(days=30)
    assert status.completed_on == progress.completed_on
    assert [str(a) for a in status.options[0].allowed_amounts] == [
        "1.50", "1.25", "1.00", "0.75", "0.50", "0.25"]
    with pytest.raises(ValidationError, match="up to 1.50"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.75")})
    later = progress.completed_at + datetime.timedelta(days=31)
    assert not claim_status_for(user=clinician, course=course, now=later).window_open
    [record] = credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.25")})
    assert record.completed_on == progress.completed_on


def test_certificate_names_the_activity_enduring_material(clinician):
    course = make_module()
    enrol(clinician, course)
    _complete(clinician, course)
    evaluation_submit(user=clinician, course=course, answers={})
    credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    certificate_sync(user_id=clinician.pk, course_id=course.pk)
    certificate = Certificate.objects.get(user=clinician, course=course)
    assert certificate.activity_dates == "Enduring material, completed online"
    assert "designates this enduring material" in certificate.credit_statement
    assert certificate.completion_date == ModuleProgress.objects.get(
        user=clinician, course=course).completed_on


def test_after_termination_no_new_start_and_no_claim(clinician, other_clinician):
    course = make_module()
    enrol(clinician, course)
    _complete(clinician, course)
    evaluation_submit(user=clinician, course=course, answers={})
    course.termination_date = timezone.localdate() - datetime.timedelta(days=1)
    course.save()
    with pytest.raises(ValidationError, match="termination date passed"):
        module_start(user=other_clinician, course=course)
    with pytest.raises(ValidationError):
        enrolment_create(user=other_clinician, course=course)
    with pytest.raises(ValidationError, match="termination date passed"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.00")})


def test_claim_form_asks_enduring_learners_to_attest_their_time(client, clinician):
    course = make_module()
    enrol(clinician, course)
    _complete(clinician, course)
    evaluation_submit(user=clinician, course=course, answers={})
    client.force_login(clinician)
    url = reverse("ledger:claim", args=[course.slug])
    response = client.post(url, {"ama_pra_1": "1.50"})
    assert "Confirm the time you spent" in response.content.decode()
    response = client.post(url, {"ama_pra_1": "1.50", "attest_time": "on"})
    assert response.status_code == 302


def test_course_page_button_follows_the_learner(client, clinician):
    course = make_module(lessons=2, questions=2)
    client.force_login(clinician)
    page = course.get_absolute_url()

    def label():
        return client.get(page).context["action"].label

    assert label() == "Start"
    client.post(reverse("online:start", args=[course.slug]))
    lessons = list(course.lessons.all())
    client.get(reverse("online:lesson", args=[course.slug, lessons[0].pk]))
    assert label() == "Continue"
    client.get(reverse("online:lesson", args=[course.slug, lessons[1].pk]))
    assert label() == "Take the post-test"
    attempt = post_test_attempt_start(user=clinician, course=course)
    post_test_attempt_submit(user=clinician, attempt=attempt, answers=answers_for(attempt))
    assert label() == "Evaluate"
    evaluation_submit(user=clinician, course=course, answers={})
    assert label() == "Claim credit"


def test_my_learning_shows_progress_in_words(client, clinician):
    course = make_module(lessons=5, questions=2)
    enrol(clinician, course)
    for lesson in list(course.lessons.all())[:3]:
        lesson_view_record(user=clinician, lesson=lesson)
    client.force_login(clinician)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "3 of 5 lessons, post-test not taken" in html
    assert "Continue" in html
