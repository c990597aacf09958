"""Online activities read as online activities (issue 26, item 6): no sessions or "after the
last session" on the educator's pages, the author's role named, the rationales before "Try
again", and the verification page's "Format" instead of "Dates"."""
from decimal import Decimal

import pytest
from django.urls import reverse

from credits.certificates.models import Certificate
from credits.certificates.services import certificate_sync
from credits.evaluations.services import evaluation_submit
from credits.ledger.claims import credit_claim
from credits.online.services import post_test_attempt_start, post_test_attempt_submit
from tests.credits.online.helpers import answers_for, enrol, make_module, read_all
from tests.credits.online.test_completion_and_claim import _complete
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


def test_the_workspace_of_an_online_activity_offers_no_sessions(client, educator):
    course = make_module(directors=[educator])
    DisclosureFactory(course=course, faculty__full_name="Dr Ana Ruiz", role="faculty")
    client.force_login(educator)
    html = client.get(reverse("educator:course_overview", args=[course.pk])).content.decode()
    assert "Add a session" not in html and "Sessions" not in html
    assert "days after the learner completes it, until the termination date" in html
    assert "Planner or reviewer" not in html and "Faculty</span>" in html


def test_after_a_failed_attempt_the_rationales_come_before_try_again(client, clinician):
    course = make_module(max_attempts=3)
    enrol(clinician, course)
    read_all(clinician, course)
    attempt = post_test_attempt_start(user=clinician, course=course)
    post_test_attempt_submit(user=clinician, attempt=attempt,
                             answers=answers_for(attempt, wrong=4))
    client.force_login(clinician)
    html = client.get(reverse("online:attempt", args=[course.slug, attempt.pk])).content.decode()
    assert html.index("Rationale.") < html.index("Try again")


def test_the_verification_page_of_an_online_activity_says_format(client, clinician):
    course = make_module()
    enrol(clinician, course)
    _complete(clinician, course)
    evaluation_submit(user=clinician, course=course, answers={})
    credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    certificate_sync(user_id=clinician.pk, course_id=course.pk)
    certificate = Certificate.objects.get(user=clinician, course=course)
    # As the rendering worker leaves it (the PDF itself is not what this test reads).
    Certificate.objects.filter(pk=certificate.pk).update(rendered_version=1)
    code = certificate.verification_code
    html = client.get(reverse("certificates:verify", args=[code])).content.decode()
    assert "<dt>Format</dt><dd>Enduring material, completed online</dd>" in html


def test_the_course_page_of_an_online_activity_says_its_steps_length_and_pass_mark(client):
    course = make_module(lessons=3, questions=4, passing_percent=80)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "3 lessons" in html and "A post-test with a pass mark of 80%" in html
    assert "About 15 minutes in all." in html  # three lessons of five minutes


def test_the_course_page_of_a_package_activity_counts_its_parts_and_pass_marks(client,
                                                                              educator):
    from tests.credits.online.cmi5.helpers import make_cmi5_module

    course, _ = make_cmi5_module(director=educator, title="Transfusion")
    html = client.get(course.get_absolute_url()).content.decode()
    assert "3 interactive parts" in html
    assert "Pass mark in the interactive parts: 80%" in html
