"""Anonymous catalog and course pages come from the cache until a table they read is written."""
import pytest
from django.urls import reverse

from courses.models import Course
from tests.factories import EnrolmentFactory, SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("same_minute")]


def test_a_visitor_gets_the_cached_catalog_until_a_course_changes(
        client, django_assert_num_queries, django_capture_on_commit_callbacks):
    course = SessionFactory(course__title="Sepsis: the first hour").course
    first = client.get(reverse("courses:catalog"))
    assert "Sepsis: the first hour" in first.text
    with django_assert_num_queries(0):
        again = client.get(reverse("courses:catalog"))
    assert again.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        Course.objects.filter(pk=course.pk).update(title="Sepsis: the golden hour")
    assert "Sepsis: the golden hour" in client.get(reverse("courses:catalog")).text


def test_seats_left_on_the_cached_course_page_follow_enrolments(
        client, django_capture_on_commit_callbacks):
    course = SessionFactory(course__capacity=10).course
    url = reverse("courses:detail", args=[course.slug])
    assert "<strong>10</strong> of 10 seats left" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        EnrolmentFactory(course=course)
    assert "<strong>9</strong> of 10 seats left" in client.get(url).text


def test_signed_in_clinicians_never_get_a_cached_page(client, clinician):
    course = SessionFactory().course
    url = reverse("courses:detail", args=[course.slug])
    assert "Sign in to enrol" in client.get(url).text  # cached for visitors
    client.force_login(clinician)
    page = client.get(url).text
    assert "Sign in to enrol" not in page and "Enrol" in page
