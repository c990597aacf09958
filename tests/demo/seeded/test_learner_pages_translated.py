"""The clinician's journey in Spanish and in Portuguese: every learner-facing page of the demo's
clinician, rendered in each language, shows no English wording but the accreditors' (marked
lang="en") and the data itself (titles, names, question text)."""
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from courses.lessons.models import Lesson
from courses.models import Course
from credits.attendance.models import Attendance
from credits.drills.models import DrillDelivery
from credits.evaluations.models import EvaluationResponse
from credits.online.models import ModuleProgress
from tests.i18n.untranslated import StoredText, untranslated, visible_texts

pytestmark = pytest.mark.django_db

LANGUAGES = ["es", "pt-br"]


def _learner_pages(clinician: User) -> list[str]:
    courses = Course.objects.filter(enrolments__user=clinician).distinct()
    module = ModuleProgress.objects.filter(user=clinician, completed_at__isnull=True).first()
    lesson = Lesson.objects.filter(course=module.course, status="published").first()
    # This morning's questions wait for an answer only after their delivery time; before it,
    # an answered one shows its rationale.
    deliveries = (DrillDelivery.objects.filter(enrolment__user=clinician)
                  .select_related("enrolment__course").order_by("-delivered_on", "pk"))
    delivery = deliveries.filter(answer__isnull=True).first() or deliveries.first()
    drill_slug = delivery.enrolment.course.slug
    pages = [reverse("learning:my_learning"), reverse("courses:catalog"),
             reverse("ledger:transcript"), reverse("attendance:checkin"),
             reverse("online:lesson", args=[module.course.slug, lesson.pk]),
             reverse("online:post_test", args=[module.course.slug]),
             reverse("drills:drill", args=[drill_slug]),
             reverse("drills:delivery", args=[drill_slug, delivery.pk])]
    pages += [course.get_absolute_url() for course in courses]
    # A claim page exists once the learner has something to claim (attended, completed).
    attended = set(Attendance.objects.filter(user=clinician)
                   .values_list("session__course_id", flat=True))
    pages += [reverse("ledger:claim", args=[course.slug]) for course in courses
              if course.pk in attended]
    # The evaluation form opens only until it is answered (the demo leaves one waiting).
    pages += [reverse("evaluations:evaluation", args=[course.slug]) for course in courses
              if course.pk in attended and not EvaluationResponse.objects.filter(
                  user=clinician, course=course).exists()]
    return pages


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clinicians_pages_have_no_english_wording_in_another_language(seeded, language):
    clinician = User.objects.get(email="clinician@example.org")
    client = Client()
    client.force_login(clinician)
    data = StoredText()
    found = {}
    for url in _learner_pages(clinician):
        User.objects.filter(pk=clinician.pk).update(language="en")
        english = _page(client, url)
        User.objects.filter(pk=clinician.pk).update(language=language)
        translated = _page(client, url)
        assert f'<html lang="{language}">' in translated
        left = untranslated(english_html=english, translated_html=translated, data=data,
                            language=language)
        if left:
            found[url] = left
    assert not found, found


def test_the_browsers_language_is_used_when_the_profile_names_none(seeded):
    page = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").get(reverse("courses:catalog"))
    assert '<html lang="es">' in page.content.decode()
    assert "Catálogo de cursos" in page.content.decode()
    assert "Accept-Language" in page["Vary"]


def test_the_profiles_language_wins_over_the_browsers(seeded):
    clinician = User.objects.get(email="clinician@example.org")
    User.objects.filter(pk=clinician.pk).update(language="pt-br")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(clinician)
    assert "Meu aprendizado" in _page(client, reverse("learning:my_learning"))


def test_a_check_finds_english_left_in_a_translated_page():
    english = '<main><h1>My learning</h1><p lang="en">Physicians should claim only</p></main>'
    translated = '<main><h1>My learning</h1><p lang="en">Physicians should claim only</p></main>'
    assert untranslated(english_html=english, translated_html=translated, data=set()) == [
        "My learning"]
    assert visible_texts('<button aria-label="Show menu">x</button>') == {"Show menu"}
