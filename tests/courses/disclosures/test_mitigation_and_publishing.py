"""Mitigation review per activity and relationship, the publish rules it feeds, what learners
see, and the review page's fixed query count."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from courses.disclosures.models import Mitigation
from courses.disclosures.services import mitigation_record
from courses.models import Course, Faculty
from courses.services import review
from tests.factories import (
    DisclosureFactory,
    FacultyFactory,
    FinancialDisclosureFactory,
    UserFactory,
    course_ready_for_review,
    relationship_disclosed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(educator):
    return course_ready_for_review(directors=[educator], title="Heart failure update")


def test_an_unreviewed_relationship_blocks_publishing_until_mitigated(course, educator,
                                                                      admin_user):
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(
        full_name="Sofia Alvarez"), company="Cardiora Therapeutics")
    with pytest.raises(ValidationError, match=r"Sofia Alvarez \(Cardiora Therapeutics\)"):
        review.course_submit(course=course, editor=educator)
    mitigation = mitigation_record(course=course, relationship=relationship, reviewer=educator,
                                   relevant=True, step="peer_review")
    assert (mitigation.reviewer, mitigation.decided_at is not None) == (educator, True)
    review.course_submit(course=course, editor=educator)
    review.course_publish(course=course, reviewer=admin_user)
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED


def test_a_lapsed_disclosure_blocks_publishing(course, educator):
    person = course.sessions.get().faculty.get()
    person.financial_disclosures.update(signed_on=datetime.date(2024, 1, 1),
                                        valid_until=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="missing or lapsed for Ana Costa"):
        review.course_submit(course=course, editor=educator)


def test_a_planner_without_a_disclosure_blocks_publishing(course, educator):
    DisclosureFactory(course=course, faculty=FacultyFactory(full_name="Pat Planner"),
                      role="planner", signed=False)
    with pytest.raises(ValidationError, match="missing or lapsed for Pat Planner"):
        review.course_submit(course=course, editor=educator)


def test_the_discloser_cannot_review_their_own_relationship(course, educator):
    educator_as_faculty = Faculty.objects.get(user=educator)  # listed as the course director
    relationship = relationship_disclosed(course=course, faculty=educator_as_faculty,
                                          company="Medivance")
    with pytest.raises(ValidationError, match="cannot review your own disclosure"):
        mitigation_record(course=course, relationship=relationship, reviewer=educator,
                          relevant=False, step="not_relevant")


def test_someone_who_does_not_manage_the_activity_cannot_review(course):
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(),
                                          company="Medivance")
    with pytest.raises(ValidationError, match="course directors and the CME office"):
        mitigation_record(course=course, relationship=relationship,
                          reviewer=UserFactory(roles=[Role.EDUCATOR]), relevant=False,
                          step="not_relevant")


def test_steps_follow_relevance_and_other_needs_text(course, educator):
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(),
                                          company="Medivance")
    for kwargs, field in [({"relevant": True, "step": "not_relevant"}, "step"),
                          ({"relevant": False, "step": "peer_review"}, "step"),
                          ({"relevant": True, "step": "other"}, "other_text")]:
        with pytest.raises(ValidationError) as excinfo:
            mitigation_record(course=course, relationship=relationship, reviewer=educator,
                              **kwargs)
        assert field in excinfo.value.message_dict
    mitigation_record(course=course, relationship=relationship, reviewer=educator,
                      relevant=True, step="other", other_text="Content limited to guidelines")
    assert Mitigation.objects.get().step_text == "Content limited to guidelines"


def test_an_employee_needs_one_of_the_three_exceptions(course, educator):
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(),
                                          company="Medivance", nature="employee")
    with pytest.raises(ValidationError) as excinfo:
        mitigation_record(course=course, relationship=relationship, reviewer=educator,
                          relevant=False, step="not_relevant")
    assert "three exceptions" in excinfo.value.message_dict["owner_exception"][0]
    mitigation_record(course=course, relationship=relationship, reviewer=educator,
                      relevant=False, step="not_relevant", owner_exception="unrelated")
    review.course_submit(course=course, editor=educator)


def test_a_disclosure_is_reused_by_another_activity_but_mitigated_per_activity(course, educator):
    person = FacultyFactory(full_name="Sofia Alvarez")
    relationship = relationship_disclosed(course=course, faculty=person, company="Cardiora")
    mitigation_record(course=course, relationship=relationship, reviewer=educator,
                      relevant=True, step="peer_review")
    other = course_ready_for_review(directors=[educator], title="Lipids")
    DisclosureFactory(course=other, faculty=person, signed=False)
    with pytest.raises(ValidationError, match=r"Sofia Alvarez \(Cardiora\)"):
        review.course_submit(course=other, editor=educator)
    review.course_submit(course=course, editor=educator)


def test_learners_see_names_companies_natures_and_the_mitigation_statement(client, course,
                                                                           educator, clinician):
    client.force_login(clinician)
    course.status = Course.Status.PUBLISHED
    course.save()
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(
        full_name="Sofia Alvarez", degree="DO"), company="Cardiora Therapeutics")
    body = client.get(course.get_absolute_url()).content.decode()
    assert "still being mitigated" in body
    mitigation_record(course=course, relationship=relationship, reviewer=educator,
                      relevant=True, step="peer_review")
    body = client.get(course.get_absolute_url()).content.decode()
    assert "Sofia Alvarez, DO</strong>" in body
    assert "Consultant, Cardiora Therapeutics." in body
    assert "All relevant financial relationships have been mitigated." in body
    assert body.index("Cardiora Therapeutics") < body.index("Enrol")


def test_learners_read_that_no_one_has_relevant_relationships(client, course, educator):
    course.status = Course.Status.PUBLISHED
    course.save()
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(
        full_name="Sofia Alvarez"), company="Cardiora Therapeutics")
    mitigation_record(course=course, relationship=relationship, reviewer=educator,
                      relevant=False, step="not_relevant")
    body = client.get(course.get_absolute_url()).content.decode()
    assert "Cardiora" not in body
    assert ("None of the faculty, planners or reviewers in control of content of this activity "
            "has relevant financial relationships with ineligible companies.") in body


def test_the_review_page_records_a_decision(client, course, educator):
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(),
                                          company="Cardiora Therapeutics")
    client.force_login(educator)
    response = client.post(
        reverse("disclosures:mitigation_decide", args=[course.pk, relationship.pk]),
        {f"r{relationship.pk}-relevant": "yes", f"r{relationship.pk}-step": "peer_review"})
    assert response.status_code == 302
    assert Mitigation.objects.get().step == "peer_review"


def test_a_relationship_of_another_activity_cannot_be_decided_here(client, course, educator):
    other = course_ready_for_review(directors=[UserFactory(roles=[Role.EDUCATOR])])
    relationship = relationship_disclosed(course=other, faculty=FacultyFactory(),
                                          company="Medivance")
    client.force_login(educator)
    response = client.post(
        reverse("disclosures:mitigation_decide", args=[course.pk, relationship.pk]),
        {f"r{relationship.pk}-relevant": "no", f"r{relationship.pk}-step": "not_relevant"})
    assert response.status_code == 404
    assert not Mitigation.objects.exists()


@pytest.mark.parametrize("people", [1, 12])
def test_review_page_query_count_does_not_grow_with_people(client, course, educator, people,
                                                           django_assert_num_queries):
    for number in range(people):
        relationship_disclosed(course=course, faculty=FacultyFactory(), company=f"Co {number}",
                               mitigated_by=educator)
        DisclosureFactory(course=course, faculty=FinancialDisclosureFactory().person,
                          role="planner")
    client.force_login(educator)
    # Session, user, roles; the managed-course check; the course and its sessions, their
    # faculty, the people listed, signed disclosures and relationships (both ways), the
    # mitigations and their reviewers, commercial support and the directors.
    with django_assert_num_queries(3 + 1 + 12):
        response = client.get(reverse("disclosures:course_review", args=[course.pk]))
    # The course director, the session's faculty member and two people per round.
    assert len(response.context["rows"]) == 2 + 2 * people


def test_a_company_ending_in_a_full_stop_prints_with_one(client, course, educator, clinician):
    course.status = Course.Status.PUBLISHED
    course.save()
    relationship = relationship_disclosed(course=course, faculty=FacultyFactory(
        full_name="Sofia Alvarez"), company="Cardiora Therapeutics, Inc.")
    mitigation_record(course=course, relationship=relationship, reviewer=educator,
                      relevant=True, step="peer_review")
    client.force_login(clinician)
    body = client.get(course.get_absolute_url()).content.decode()
    assert "Consultant, Cardiora Therapeutics, Inc." in body
    assert "Inc.." not in body


def test_a_new_activity_lists_its_director_as_a_planner_who_must_disclose(educator):
    """Standard 3: an enduring module with no faculty is not ready while its director, who
    plans it, has not disclosed."""
    from courses.services.publishing import course_create

    course = course_create(director=educator, title="Opioid stewardship module", summary="x",
                           format=Course.Format.ENDURING)
    listed = course.disclosures.get()
    assert (listed.faculty.user, listed.role) == (educator, "director")
    problems = review.course_publication_problems(course=course)
    assert any(f"missing or lapsed for {educator.full_name}" in p for p in problems)
    FinancialDisclosureFactory(person=listed.faculty)
    course = Course.objects.get(pk=course.pk)
    assert not any("disclosure" in p for p in review.course_publication_problems(course=course))


def test_an_activity_with_no_planner_on_its_roster_cannot_be_submitted(educator):
    course = course_ready_for_review(directors=[educator])
    course.disclosures.filter(role="director").delete()
    with pytest.raises(ValidationError, match="at least its planners' disclosures"):
        review.course_submit(course=course, editor=educator)


def test_the_workspace_does_not_say_ready_without_the_planners_disclosures(client, educator):
    from courses.services.publishing import course_create

    course = course_create(director=educator, title="Opioid stewardship module", summary="x",
                           format=Course.Format.ENDURING)
    client.force_login(educator)
    body = client.get(reverse("educator:course_overview", args=[course.pk])).content.decode()
    assert "Everything the CME office needs is here" not in body
    assert f"missing or lapsed for {educator.full_name}" in body
