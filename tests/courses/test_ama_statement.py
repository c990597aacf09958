"""One wording of the AMA designation statement on the course page, the claim page, the
certificate and the transcript, singular for exactly one credit."""
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from courses.credit_types import ama_designation_statement
from credits.certificates.services import certificate_sync
from credits.ledger.claims import credit_claim
from tests.credits.claim_world import attended_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("maximum", "course_format", "expected"), [
    ("1.00", "live", "designates this live activity for a maximum of 1.00 AMA PRA Category 1 "
                     "Credit™. Physicians"),
    ("1.50", "live", "for a maximum of 1.50 AMA PRA Category 1 Credits™."),
    ("0.25", "rss", "designates this live activity for a maximum of 0.25 AMA PRA Category 1 "
                    "Credits™."),
    ("2.00", "enduring", "designates this enduring material for a maximum of 2.00"),
])
def test_the_statement_follows_the_amas_wording(maximum, course_format, expected):
    statement = ama_designation_statement(provider="Teaching Hospital Center for CPD",
                                          course_format=course_format, maximum=Decimal(maximum))
    assert statement.startswith("Teaching Hospital Center for CPD designates this")
    assert expected in statement


def test_course_page_claim_page_certificate_and_transcript_word_it_the_same(client, clinician):
    course = attended_course(clinician, designations=[("ama_pra_1", "1.00")],
                             duration_minutes=60, evaluation_required=False)
    statement = ama_designation_statement(provider=settings.HOSPITAL_NAME,
                                          course_format=course.format, maximum=Decimal("1.00"))
    assert "1.00 AMA PRA Category 1 Credit™." in statement
    client.force_login(clinician)
    assert statement in client.get(course.get_absolute_url()).text
    assert statement in client.get(reverse("ledger:claim", args=[course.slug])).text
    credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.00")})
    certificate = certificate_sync(user_id=clinician.pk, course_id=course.pk)
    assert certificate.credit_statement == statement
    assert statement in client.get(reverse("ledger:transcript")).text
