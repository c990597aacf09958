"""The care team on the dashboard: the share of activities with IPCE over the accreditation term
and participation by profession, hand-counted, in fixed query counts."""
import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from courses.models import CreditDesignation
from credits.models import CreditRecord
from credits.reports.interprofessional import (
    accreditation_term,
    ipce_share,
    participation_by_profession,
)
from tests.factories import CourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

TERM_START = datetime.date(2024, 7, 1)
TODAY = datetime.date(2026, 12, 1)
IN_TERM = datetime.datetime(2025, 3, 4, 14, tzinfo=datetime.UTC)
IN_TERM_DAY = IN_TERM.date()


def _activity(*credit_types: str, starts_at=IN_TERM, **fields):
    course = CourseFactory(**fields)
    SessionFactory(course=course, starts_at=starts_at)
    for credit_type in credit_types:
        CreditDesignation.objects.create(course=course, credit_type=credit_type,
                                         max_credits=Decimal("1.50"))
    return course


def _credit(user, course, credit_type, amount, completed_on=IN_TERM_DAY):
    return CreditRecord.objects.create(
        user=user, course=course, credit_type=credit_type, amount=Decimal(amount),
        completed_on=completed_on, claimed_at=timezone.now(), source=CreditRecord.Source.CLAIM)


@override_settings(ACCREDITATION_TERM_STARTS_ON=TERM_START)
@pytest.mark.parametrize("size", [1, 4])
def test_the_share_of_activities_with_ipce_over_the_term(size, django_assert_num_queries):
    for _ in range(size):
        _activity("ipce", "ama_pra_1", "ancc")
        _activity("ama_pra_1")
    _activity("ipce", starts_at=datetime.datetime(2024, 6, 30, 14, tzinfo=datetime.UTC))  # before
    _activity("ipce", status="draft")  # never offered
    CourseFactory(format="enduring", published_at=IN_TERM)  # online material, no IPCE
    term = accreditation_term(TODAY)

    with django_assert_num_queries(1):
        share = ipce_share(term)

    assert (term.starts_on, term.ends_on) == (TERM_START, TODAY)
    assert (share.with_ipce, share.activities) == (size, 2 * size + 1)


@pytest.mark.parametrize("size", [1, 4])
def test_participation_by_profession_counts_learners_activities_and_credit(
        size, django_assert_num_queries):
    team_rounds = _activity("ipce", "ama_pra_1", "ancc")
    for _ in range(size):
        nurse = UserFactory(profession="nurse")
        _credit(nurse, team_rounds, "ancc", "1.50")
        _credit(nurse, team_rounds, "ipce", "1.50")
    physician = UserFactory(profession="physician")
    _credit(physician, team_rounds, "ama_pra_1", "1.50")
    _credit(physician, _activity("ama_pra_1"), "ama_pra_1", "1.00")
    _credit(physician, _activity("ama_pra_1"), "ama_pra_1", "9.00",
            completed_on=datetime.date(2019, 1, 1))  # before the term
    term = accreditation_term(TODAY)

    with django_assert_num_queries(3):
        rows = participation_by_profession(term)

    by_profession = {row.profession: row for row in rows}
    nurses, physicians = by_profession["Nurse"], by_profession["Physician"]
    assert (nurses.learners, nurses.activities) == (size, 1)
    assert nurses.credits_display == [f"{Decimal('1.50') * size:.2f} ANCC contact hours",
                                      f"{Decimal('1.50') * size:.2f} IPCE credits™"]
    assert (physicians.learners, physicians.activities) == (1, 2)
    assert physicians.credits_display == ["2.50 AMA PRA Category 1 Credits™"]
