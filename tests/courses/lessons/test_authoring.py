"""Directors write lessons: saved Markdown is sanitised, reordering, attachments by content."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.lessons.models import Lesson
from courses.models import Course
from tests.credits.online.helpers import PNG_1PX, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(educator):
    return make_module(lessons=3, status=Course.Status.DRAFT, directors=[educator])


def test_director_writes_a_lesson_and_its_html_is_sanitised(client, educator, course):
    client.force_login(educator)
    response = client.post(reverse("lessons:create", args=[course.pk]), {
        "title": "Naloxone", "body": "## Dose\n\n<script>x()</script>[a](javascript:x())",
        "estimated_minutes": "4", "status": "published"})
    lesson = Lesson.objects.get(title="Naloxone")
    assert response.status_code == 302 and lesson.position == 4
    assert "<h2>Dose</h2>" in lesson.body_html and "<script" not in lesson.body_html
    assert 'href="javascript' not in lesson.body_html


def test_moving_a_lesson_up_swaps_it_with_the_one_before(client, educator, course):
    client.force_login(educator)
    first, second, third = course.lessons.all()
    client.post(reverse("lessons:move", args=[course.pk, third.pk]), {"direction": "up"})
    assert list(course.lessons.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]


def test_attachments_are_recognised_by_content_not_name(client, educator, course):
    client.force_login(educator)
    lesson = course.lessons.last()
    url = reverse("lessons:attachment_add", args=[course.pk, lesson.pk])
    fake = SimpleUploadedFile("chart.png", b"#!/bin/sh\necho not an image\n")
    response = client.post(url, {"title": "Chart", "file": fake}, follow=True)
    assert "Attach a PDF or an image" in response.content.decode()
    real = SimpleUploadedFile("anything.bin", PNG_1PX)
    client.post(url, {"title": "Pupil size chart", "file": real})
    assert lesson.attachments.get().kind == "image"


def test_preview_shows_a_draft_lesson_without_recording_a_view(client, educator, course):
    lesson = course.lessons.first()
    lesson.status = Lesson.Status.DRAFT
    lesson.save()
    client.force_login(educator)
    response = client.get(reverse("lessons:preview", args=[course.pk, lesson.pk]))
    assert response.status_code == 200 and "Preview: this is what a learner sees" in (
        response.content.decode())
    assert not lesson.views.exists()
