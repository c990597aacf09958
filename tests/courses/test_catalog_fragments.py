"""Catalog cards and filters cached under a digest of what they print (caching.memo): a
change anywhere leaves unchanged cards cached, a change to a course re-renders its card alone,
and what a card prints comes only from its facts."""
import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from courses.models import Course
from courses.views import _course_card_facts
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
CARD = "courses/_course_card.html"
FORM = "courses/_catalog_form.html"


def _rendered(response, template: str) -> int:
    return [t.name for t in response.templates].count(template)


def _results(response) -> str:
    """The catalog below its heading (the page around it carries a per-request CSP nonce)."""
    text = response.text
    return text[text.index('<div class="page-head">'):text.index("</form>")]


def _three_courses():
    soon = timezone.now() + datetime.timedelta(days=3)
    return [SessionFactory(course__title=title, course__capacity=20, starts_at=soon,
                           ends_at=soon + datetime.timedelta(hours=1)).course
            for title in ("Sepsis: the first hour", "Delirium in older inpatients",
                          "Opioid stewardship for surgical teams")]


def test_after_a_change_elsewhere_the_page_reuses_every_card_and_the_filters(
        client, clinician, django_capture_on_commit_callbacks, same_minute):
    _three_courses()
    draft = CourseFactory(title="Heart failure clinic", status=Course.Status.DRAFT)
    client.force_login(clinician)
    first = client.get(reverse("courses:catalog"))
    assert _rendered(first, CARD) == 3 and _rendered(first, FORM) == 1
    with django_capture_on_commit_callbacks(execute=True):
        draft.summary = "Diuretics and the weekly weigh-in."  # not listed: no card changes
        draft.save()
    again = client.get(reverse("courses:catalog"))
    assert _rendered(again, CARD) == 0 and _rendered(again, FORM) == 0
    assert _results(again) == _results(first)


def test_an_enrolment_re_renders_only_that_course_card_with_its_new_seats(
        client, clinician, django_capture_on_commit_callbacks, same_minute):
    sepsis, *_ = _three_courses()
    client.force_login(clinician)
    assert "20 seats left" in client.get(reverse("courses:catalog")).text
    with django_capture_on_commit_callbacks(execute=True):
        EnrolmentFactory(course=sepsis)
    after = client.get(reverse("courses:catalog"))
    assert _rendered(after, CARD) == 1
    assert after.text.count("19 seats left") == 1 and after.text.count("20 seats left") == 2


def test_a_new_filter_value_is_a_new_form_and_the_same_cards(client, clinician, same_minute):
    _three_courses()
    client.force_login(clinician)
    client.get(reverse("courses:catalog"))
    sorted_by_title = client.get(reverse("courses:catalog"), {"sort": "title"})
    assert _rendered(sorted_by_title, FORM) == 1 and _rendered(sorted_by_title, CARD) == 0
    assert 'value="title" selected' in sorted_by_title.text


def test_a_card_prints_only_its_facts(client, clinician):
    """The card template sees the facts dict and nothing else: changing any fact changes the
    card (so its key), and the page shows exactly the card rendered from those facts."""
    course = CourseFactory(title="Anticoagulation: bridging before surgery", capacity=None,
                           format="enduring", summary="Twenty-minute module.")
    client.force_login(clinician)
    response = client.get(reverse("courses:catalog"))
    (listed,) = response.context["catalog"]["page"]
    facts = _course_card_facts(listed)
    card = render_to_string(CARD, {"facts": facts})
    assert listed.pk == course.pk and card in response.text
    for name, changed in (("title", "Bridging anticoagulation"), ("summary", "Ten minutes."),
                          ("seats_left", 3), ("credit_lines", ["1.00 AMA PRA Category 1 Credit™"]),
                          ("approval_required", True), ("url", "/courses/other/"),
                          ("termination_date", datetime.date(2026, 1, 1))):
        assert render_to_string(CARD, {"facts": {**facts, name: changed}}) != card, name


def test_a_drill_card_says_when_it_can_be_joined_not_that_it_has_no_sessions(client, clinician):
    CourseFactory(title="Recognising sepsis early", format="drill",
                  termination_date=datetime.date(2028, 11, 30))
    client.force_login(clinician)
    page = client.get(reverse("courses:catalog")).text
    assert "Available online any time until 30 Nov 2028" in page
    assert "No upcoming sessions" not in page
