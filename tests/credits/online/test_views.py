"""Learner pages: lesson and post-test query budgets, Range requests, refusals with messages."""
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from credits.online.models import AttemptAnswer, LessonView, ModuleProgress, PostTestAttempt
from credits.online.services import post_test_attempt_start
from tests.credits.online.helpers import answers_for, enrol, make_module

pytestmark = pytest.mark.django_db


def test_lesson_page_query_count_is_fixed(client, clinician, django_assert_num_queries):
    small, large = make_module(lessons=2), make_module(lessons=8, title="Large module")
    for course in (small, large):
        enrol(clinician, course)
    client.force_login(clinician)
    for course in (small, large):
        lesson = course.lessons.all()[1]
        client.get(reverse("online:lesson", args=[course.slug, lesson.pk]))  # first view
        # Session, user, enrolment, the view's savepoints and writes (view time, resume point),
        # then the page: lessons with read marks and attachments, progress, attempts, post-test,
        # the published SCORM package (none here).
        with django_assert_num_queries(27):
            client.get(reverse("online:lesson", args=[course.slug, lesson.pk]))


def test_post_test_form_query_count_is_fixed(client, clinician, django_assert_num_queries):
    for questions in (3, 12):
        course = make_module(questions=questions, title=f"Module {questions}")
        enrol(clinician, course)
        attempt = post_test_attempt_start(user=clinician, course=course)
        client.force_login(clinician)
        url = reverse("online:attempt", args=[course.slug, attempt.pk])
        with django_assert_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200


def test_lesson_view_is_recorded_once_and_resume_goes_to_the_next_unread(client, clinician):
    course = make_module(lessons=3)
    enrol(clinician, course)
    client.force_login(clinician)
    first, second, _third = course.lessons.all()
    client.get(reverse("online:lesson", args=[course.slug, first.pk]))
    client.get(reverse("online:lesson", args=[course.slug, first.pk]))
    assert LessonView.objects.filter(user=clinician).count() == 1
    response = client.get(reverse("online:resume", args=[course.slug]))
    assert response.url == reverse("online:lesson", args=[course.slug, second.pk])
    assert ModuleProgress.objects.get(user=clinician).last_lesson == first


def test_double_posted_answers_count_once(client, clinician):
    course = make_module(questions=3)
    enrol(clinician, course)
    attempt = post_test_attempt_start(user=clinician, course=course)
    client.force_login(clinician)
    url = reverse("online:attempt", args=[course.slug, attempt.pk])
    data = {f"q{qid}": str(ids[0]) for qid, ids in answers_for(attempt).items()}
    assert client.post(url, data).status_code == 302
    wrong = {f"q{qid}": str(ids[0]) for qid, ids in answers_for(attempt, wrong=3).items()}
    response = client.post(url, wrong, follow=True)
    assert "Attempt 1: 100%" in response.content.decode()
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 3
    assert PostTestAttempt.objects.get(pk=attempt.pk).passed is True


def test_submitting_with_an_unanswered_question_keeps_the_answers(client, clinician):
    course = make_module(questions=2)
    enrol(clinician, course)
    attempt = post_test_attempt_start(user=clinician, course=course)
    client.force_login(clinician)
    first_qid, first_ids = next(iter(answers_for(attempt).items()))
    response = client.post(reverse("online:attempt", args=[course.slug, attempt.pk]),
                           {f"q{first_qid}": str(first_ids[0])})
    html = response.content.decode()
    assert response.status_code == 400 and "Choose an answer." in html
    assert f'value="{first_ids[0]}"' in html and "checked" in html


def test_post_test_after_the_limit_is_refused_with_a_message(client, clinician):
    course = make_module(questions=2, max_attempts=1)
    enrol(clinician, course)
    client.force_login(clinician)
    url = reverse("online:post_test", args=[course.slug])
    client.post(url)
    attempt = PostTestAttempt.objects.get()
    wrong = {f"q{qid}": str(ids[0]) for qid, ids in answers_for(attempt, wrong=2).items()}
    client.post(reverse("online:attempt", args=[course.slug, attempt.pk]), wrong)
    response = client.post(url, follow=True)
    assert "Contact the CME office" in response.content.decode()
    assert PostTestAttempt.objects.count() == 1


def test_video_is_served_with_range_requests(client, clinician):
    course = make_module()
    enrol(clinician, course)
    lesson = course.lessons.first()
    payload = bytes(range(256)) * 4
    lesson.video.save("clip.webm", ContentFile(payload))
    lesson.video_content_type = "video/webm"
    lesson.save()
    client.force_login(clinician)
    url = reverse("online:lesson_video", args=[course.slug, lesson.pk])
    response = client.get(url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(payload)}"
    assert b"".join(response.streaming_content) == payload[100:200]
    assert client.get(url, HTTP_RANGE="bytes=5000-").status_code == 416
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
