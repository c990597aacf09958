"""Application entry: five apply for three places, the office accepts three and waitlists two,
one accepted withdraws and the first waitlisted gets the place — each decision emailed once."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OutgoingMessage
from credits.pathways.applications import (
    cohort_create,
    pathway_application_decide,
    pathway_application_withdraw,
    pathway_apply,
)
from credits.pathways.models import Pathway, PathwayApplication, PathwayEnrolment, Step
from credits.pathways.services import (
    pathway_create,
    pathway_version_publish,
    step_add,
    step_group_add,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = PathwayApplication.Status


def _leadership(author):
    pathway = pathway_create(created_by=author, title="Emerging leaders programme",
                             summary="Charge nurses and new consultants who lead a team.",
                             entry=Pathway.Entry.APPLICATION, time_limit_days=180)
    version = pathway.versions.get()
    core = step_group_add(version=version, title="Core")
    step_add(group=core, kind=Step.Kind.EXTERNAL, title="360-degree feedback with your coach",
             due_days_after_start=30)
    pathway_version_publish(version=version)
    pathway.refresh_from_db()
    return cohort_create(pathway=pathway, name="Spring 2027", places=3,
                         starts_on=datetime.date(2027, 3, 1),
                         applications_close_on=datetime.date(2027, 1, 31),
                         application_prompt="Why now, and your manager's support.")


def _emails(application) -> list[str]:
    return list(OutgoingMessage.objects.filter(
        kind="pathway_application", object_key=f"pathway-application:{application.pk}")
        .order_by("pk").values_list("occurrence", flat=True))


def test_five_apply_for_three_places_and_a_withdrawn_place_goes_to_the_first_waitlisted(
        educator):
    cohort = _leadership(educator)
    applicants = [UserFactory() for _ in range(5)]
    applications = [pathway_apply(cohort=cohort, user=user, statement="I lead the night shift.")
                    for user in applicants]
    for application in applications[:3]:
        pathway_application_decide(application=application, decision=Status.ACCEPTED)
    with pytest.raises(ValidationError, match="All 3 places of Spring 2027 are taken"):
        pathway_application_decide(application=applications[3], decision=Status.ACCEPTED)
    for application in applications[3:]:  # the fourth waitlisted first
        pathway_application_decide(application=application, decision=Status.WAITLISTED)
    pathway_application_decide(application=applications[0], decision=Status.ACCEPTED)  # again
    enrolments = PathwayEnrolment.objects.filter(pathway=cohort.pathway,
                                                 status=PathwayEnrolment.Status.ACTIVE)
    assert {e.user_id for e in enrolments} == {u.pk for u in applicants[:3]}
    assert {e.started_on for e in enrolments} == {datetime.date(2027, 3, 1)}

    offered = pathway_application_withdraw(application=applications[1])
    assert offered.pk == applications[3].pk and offered.status == Status.ACCEPTED
    assert pathway_application_withdraw(application=applications[1]) is None  # twice is once
    active = set(enrolments.values_list("user_id", flat=True))
    assert active == {applicants[0].pk, applicants[2].pk, applicants[3].pk}
    assert PathwayEnrolment.objects.get(user=applicants[1]).status == "left"
    assert PathwayApplication.objects.get(pk=applications[4].pk).status == Status.WAITLISTED
    assert _emails(applications[0]) == ["accepted"]
    assert _emails(applications[1]) == ["accepted"]
    assert _emails(applications[3]) == ["waitlisted", "offered"]
    assert _emails(applications[4]) == ["waitlisted"]


def test_applying_twice_keeps_one_application_and_the_deadline_is_kept(educator, clinician):
    cohort = _leadership(educator)
    first = pathway_apply(cohort=cohort, user=clinician, statement="First",
                          now=datetime.datetime(2027, 1, 10, 12, tzinfo=datetime.UTC))
    again = pathway_apply(cohort=cohort, user=clinician, statement="Second",
                          now=datetime.datetime(2027, 1, 11, 12, tzinfo=datetime.UTC))
    assert again.pk == first.pk and again.statement == "First"
    with pytest.raises(ValidationError, match="closed on 31 January 2027"):
        pathway_apply(cohort=cohort, user=UserFactory(), statement="Late",
                      now=datetime.datetime(2027, 2, 2, 12, tzinfo=datetime.UTC))


def test_a_declined_applicant_is_emailed_once_and_not_enrolled(educator, clinician):
    cohort = _leadership(educator)
    application = pathway_apply(cohort=cohort, user=clinician, statement="Please")
    pathway_application_decide(application=application, decision=Status.DECLINED)
    pathway_application_decide(application=application, decision=Status.DECLINED)
    assert _emails(application) == ["declined"]
    assert not PathwayEnrolment.objects.filter(user=clinician).exists()


def test_apply_on_the_page_the_office_accepts_and_the_applicant_sees_her_place(
        client, educator, clinician, other_clinician):
    from django.urls import reverse

    cohort = _leadership(educator)
    page = reverse("pathways:pathway", args=[cohort.pathway.slug])
    client.force_login(clinician)
    assert "Apply for Spring 2027" in client.get(page).content.decode()
    client.post(reverse("pathways:cohort_apply", args=[cohort.pathway.slug, cohort.pk]),
                {"statement": "I chair the nursing practice council."})
    application = PathwayApplication.objects.get(user=clinician)
    client.force_login(other_clinician)  # another learner sees the form, not her application
    body = client.get(page).content.decode()
    assert "nursing practice council" not in body and "Apply for Spring 2027" in body
    client.force_login(educator)
    office = client.get(reverse("pathways:applications", args=[cohort.pathway.pk]))
    assert "I chair the nursing practice council." in office.content.decode()
    client.post(reverse("pathways:application_decide", args=[cohort.pathway.pk, application.pk]),
                {"decision": "accepted"})
    client.force_login(clinician)
    body = client.get(page).content.decode()
    assert "Accepted" in body and "the cohort starts on 1 March 2027" in body
