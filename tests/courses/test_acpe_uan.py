"""ACPE's Universal Activity Number on credit designations: the format, the form, the model
check, the database constraint and the publish rule."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses.credit_types import acpe_uan_audience, acpe_uan_is_home_study, acpe_uan_problem
from courses.forms import DesignationForm
from courses.models import CreditDesignation
from courses.services.review import course_publication_problems
from tests.factories import CreditDesignationFactory, course_ready_for_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("uan", ["0197-0000-26-014-L01-P", "0197-9999-26-014-H08-T",
                                 "0001-0000-25-999-B05-P", " 0197-0000-26-014-l04-p "])
def test_well_formed_uans_pass(uan):
    assert acpe_uan_problem(uan) is None


@pytest.mark.parametrize("uan", [
    "0197-0000-26-014-L01",      # no audience
    "0197-0000-26-014-X01-P",    # not live, home study or blended
    "0197-0000-26-014-L09-P",    # no topic designator 09
    "0197-0000-26-014-L01-R",    # audience is P or T
    "197-0000-26-014-L01-P",     # provider number has four digits
    "0197-0000-2026-014-L01-P",  # two-digit year
    "0197-0000-26-14-L01-P",     # three-digit sequence
    "0197 0000 26 014 L01 P",
])
def test_malformed_uans_are_refused_with_the_format_spelled_out(uan):
    assert "A UAN looks like 0197-0000-26-014-L01-P" in acpe_uan_problem(uan)


def test_the_uan_says_who_it_is_for_and_how_it_is_delivered():
    assert acpe_uan_audience("0197-0000-26-014-H01-T") == "T"
    assert acpe_uan_is_home_study("0197-0000-26-014-H01-T")
    assert not acpe_uan_is_home_study("0197-0000-26-014-L01-P")


def test_the_designation_form_needs_a_uan_for_acpe_and_none_for_other_credit():
    form = DesignationForm({"credit_type": "acpe", "max_credits": "1.00", "acpe_uan": ""})
    assert form.errors["acpe_uan"] == [
        "ACPE credit needs the activity's universal activity number (UAN)."]
    form = DesignationForm({"credit_type": "acpe", "max_credits": "1.00",
                            "acpe_uan": "0197-0000-26-014-L99-P"})
    assert "topic designator 01 to 08" in form.errors["acpe_uan"][0]
    form = DesignationForm({"credit_type": "ancc", "max_credits": "1.00",
                            "acpe_uan": "0197-0000-26-014-L01-P"})
    assert "Only ACPE credit has a universal activity number" in form.errors["acpe_uan"][0]
    form = DesignationForm({"credit_type": "acpe", "max_credits": "1.00",
                            "acpe_uan": "0197-0000-26-014-l01-p"})
    assert form.is_valid() and form.cleaned_data["acpe_uan"] == "0197-0000-26-014-L01-P"


def test_educator_sees_the_uan_error_next_to_the_field_and_nothing_is_saved(client, educator):
    course = course_ready_for_review(directors=[educator])
    client.force_login(educator)
    response = client.post(reverse("educator:designation_create", args=[course.pk]),
                           {"credit_type": "acpe", "max_credits": "1.00",
                            "acpe_uan": "0197-0000-26-014"})
    assert response.status_code == 200
    assert "A UAN looks like 0197-0000-26-014-L01-P" in response.content.decode()
    assert not course.credit_designations.filter(credit_type="acpe").exists()


def test_the_model_check_and_the_database_refuse_a_malformed_uan(educator):
    course = course_ready_for_review(directors=[educator])
    designation = CreditDesignation(course=course, credit_type="acpe",
                                    max_credits=Decimal("1.00"), acpe_uan="0197-L01-P")
    with pytest.raises(ValidationError) as excinfo:
        designation.full_clean()
    assert "A UAN looks like" in excinfo.value.message_dict["acpe_uan"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        designation.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditDesignationFactory(course=course, credit_type="ancc",
                                 acpe_uan="0197-0000-26-014-L01-P")


def test_an_acpe_designation_without_a_uan_blocks_publishing(educator):
    course = course_ready_for_review(directors=[educator])
    CreditDesignationFactory(course=course, credit_type="acpe", acpe_uan="")
    problems = course_publication_problems(course=course)
    assert any("ACPE credit is reported to CPE Monitor by its UAN" in p for p in problems)
    CreditDesignation.objects.filter(course=course, credit_type="acpe").update(
        acpe_uan="0197-0000-26-014-L01-P")
    course.refresh_from_db()
    assert not [p for p in course_publication_problems(course=course) if "UAN" in p]
