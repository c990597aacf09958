"""The office's side of a cohort: a skills checklist step completed by validation, assigning a
pathway to a cohort, the cohort dashboard (on track, behind, done; the step funnel) with its
pinned query count and export, and the nudge to the learners behind (once per step)."""
import csv
import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import OutgoingMessage
from credits.checklists.services import learner_checklist_open
from credits.pathways.applications import cohort_create
from credits.pathways.models import PathwayEnrolment, Step
from credits.pathways.nudges import pathway_behind_nudge
from credits.pathways.office import BEHIND, COMPLETED, ON_TRACK, cohort_dashboard
from credits.pathways.selectors import DONE, IN_PROGRESS, progress_for_enrolments
from credits.pathways.services import pathway_create, step_group_add
from tests.credits.checklists.helpers import make_checklist
from tests.credits.pathways.helpers import (
    claim_credit,
    cohort_of,
    complete_module,
    make_residency,
    residency_ten_days_in,
    validate_every_skill,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _step_status(enrolment, kind):
    progress = progress_for_enrolments([enrolment])[0]
    return next(state.status for group in progress.groups for state in group.steps
                if state.step.kind == kind)


def test_a_validated_checklist_completes_its_step_and_the_pathway(
        educator, django_capture_on_commit_callbacks):
    residency = make_residency(educator)
    (nurse,) = cohort_of(residency, ["Amelia Chen"])
    enrolment = PathwayEnrolment.objects.get(user=nurse)
    assert enrolment.started_on == residency.cohort.starts_on  # the cohort's start, not today
    for module in residency.modules:
        complete_module(nurse, module)
    claim_credit(nurse, residency.drill)
    opened = learner_checklist_open(checklist=residency.checklist, learner=nurse)
    assert _step_status(enrolment, Step.Kind.SKILLS_CHECKLIST) == IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        validate_every_skill(opened, validator=educator)
    assert _step_status(enrolment, Step.Kind.SKILLS_CHECKLIST) == DONE
    enrolment.refresh_from_db()
    assert enrolment.status == PathwayEnrolment.Status.COMPLETED
    assert enrolment.certificate.steps[1]["title"] == "Residency skills day"


def test_the_dashboard_sorts_the_cohort_into_behind_on_track_and_done(educator):
    residency, amelia, luis, hannah = residency_ten_days_in(educator)
    dashboard = cohort_dashboard(pathway=residency.pathway, cohort_value=str(residency.cohort.pk))
    standing = {row.enrolment.user: row.standing for row in dashboard.rows}
    assert standing == {amelia: COMPLETED, luis: ON_TRACK, hannah: BEHIND}
    assert dashboard.rows[0].first_overdue.step.display_title == "Central Line Care"
    (funnel,) = dashboard.funnels
    assert [(step.state_title, step.done) for step in funnel.steps] == [
        ("Central Line Care", 2), ("Residency skills day", 1), ("Safe Blood Transfusion", 1),
        ("Deteriorating Patient Drill", 1)]


def test_the_nudge_emails_the_learner_behind_once_per_step(client, educator):
    residency, _amelia, _luis, hannah = residency_ten_days_in(educator)
    client.force_login(educator)
    url = reverse("pathways:progress_nudge", args=[residency.pathway.pk])
    first = client.post(url, {"cohort": residency.cohort.pk}, follow=True).content.decode()
    assert "Nudged 1 learner about their overdue step." in first
    second = client.post(url, {"cohort": residency.cohort.pk}, follow=True).content.decode()
    assert "Nobody to nudge" in second
    assert pathway_behind_nudge(pathway=residency.pathway) == 0  # a tick over everyone: none
    (message,) = OutgoingMessage.objects.filter(kind="pathway_step_overdue")
    assert message.recipient == hannah
    assert message.context["step_title"] == "Central Line Care"
    assert "Nudged" in client.get(reverse("pathways:progress", args=[residency.pathway.pk])
                                  ).content.decode()


def test_the_export_has_a_row_per_learner_with_their_standing(client, educator):
    residency, *_ = residency_ten_days_in(educator)
    client.force_login(educator)
    response = client.get(reverse("pathways:progress_download",
                                  args=[residency.pathway.pk, "csv"]),
                          {"cohort": residency.cohort.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Learner name", "Email", "Cohort", "Version", "Started on",
                           "Standing"]
    assert sorted((row[0], row[5], row[9]) for row in rows[1:]) == [
        ("Amelia Chen", "Done", ""), ("Hannah Brooks", "Behind", "Central Line Care"),
        ("Luis Navarro", "On track", "")]
    assert client.get(reverse("pathways:progress_download", args=[residency.pathway.pk, "pdf"])
                      ).status_code == 404


# the session, the user, their groups and second factor; the pathway, the cohort named, the
# enrolments with their learners; progress (versions, groups, steps, checklists, completions from
# modules and from credit, course enrolments, external records); the nudges sent; the cohorts
DASHBOARD_QUERIES = 17


@pytest.mark.parametrize("learners", [2, 6])
def test_the_dashboard_takes_a_fixed_number_of_queries(client, educator, learners,
                                                       django_assert_num_queries):
    residency = make_residency(educator)
    nurses = cohort_of(residency, [f"Nurse {index}" for index in range(learners)])
    for nurse in nurses[::2]:
        complete_module(nurse, residency.modules[0])
    client.force_login(educator)
    url = reverse("pathways:progress", args=[residency.pathway.pk])
    with django_assert_num_queries(DASHBOARD_QUERIES):
        body = client.get(url, {"cohort": residency.cohort.pk}).content.decode()
    assert f"<strong>{learners // 2}</strong> behind" in body


def test_the_office_adds_a_checklist_step_and_assigns_the_pathway_to_a_cohort(client, educator):
    checklist = make_checklist(owner=educator, skills=2, title="Residency skills day")
    draft_checklist = make_checklist(owner=educator, skills=2, title="ICU skills (draft)",
                                     published=False)
    pathway = pathway_create(created_by=educator, title="New graduate nurse residency",
                             summary="The first months on a unit.", entry="assigned")
    group = step_group_add(version=pathway.versions.get(), title="Core")
    client.force_login(educator)
    add = reverse("pathways:step_add", args=[pathway.pk])
    refused = client.post(add, {"group": group.pk, "kind": Step.Kind.SKILLS_CHECKLIST},
                          follow=True).content.decode()
    assert "Choose a published skills checklist" in refused
    assert "is not one of the available choices" in client.post(add, {
        "group": group.pk, "kind": Step.Kind.SKILLS_CHECKLIST,
        "checklist": draft_checklist.pk}, follow=True).content.decode()
    client.post(add, {"group": group.pk, "kind": Step.Kind.SKILLS_CHECKLIST,
                      "checklist": checklist.pk, "due_days_after_start": 14})
    client.post(reverse("pathways:publish", args=[pathway.pk]))
    cohort = cohort_create(pathway=pathway, name="March 2027 new graduates",
                           starts_on=datetime.date(2027, 3, 1))
    page = client.get(reverse("pathways:manage", args=[pathway.pk])).content.decode()
    assert "March 2027 new graduates" in page  # the cohort is a choice of the assign form
    nurses = [UserFactory(profession="nurse", specialty="Residency") for _ in range(2)]
    response = client.post(reverse("pathways:assign", args=[pathway.pk]), {
        "target": "specialty", "specialty": "Residency", "cohort": cohort.pk}, follow=True)
    assert "Assigned New graduate nurse residency to 2 learners." in response.content.decode()
    enrolments = PathwayEnrolment.objects.filter(user__in=nurses)
    assert {(e.cohort_id, e.started_on) for e in enrolments} == {(cohort.pk, cohort.starts_on)}
    pathway.refresh_from_db()
    (step,) = pathway.current_version.steps.all()
    assert step.checklist == checklist and step.kind == Step.Kind.SKILLS_CHECKLIST
