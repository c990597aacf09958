"""The learner's pathway page and My learning card, and the authoring pages."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from credits.pathways.models import Pathway, PathwayEnrolment, Step
from credits.pathways.selectors import pathway_progress_list_for
from credits.pathways.services import pathway_join
from tests.credits.pathways.helpers import claim_credit, complete_module, make_track

pytestmark = pytest.mark.django_db


def test_the_pathway_page_puts_the_next_step_first_and_explains_the_lock(client, educator,
                                                                         clinician):
    track = make_track(educator)
    claim_credit(clinician, track.live, on=timezone.localdate() - datetime.timedelta(days=5))
    client.force_login(clinician)
    response = client.post(reverse("pathways:pathway_join", args=[track.pathway.slug]))
    assert response.status_code == 302
    body = client.get(reverse("pathways:pathway", args=[track.pathway.slug])).content.decode()
    assert body.index("Your next step") < body.index("Recognising Sepsis Early") < body.index(
        "Choose one elective")
    assert "Unlocks when you complete “Recognising Sepsis Early”." in body
    assert "before joining." in body  # the grand rounds attended last week count
    assert "1 of 4 steps done" in body


def test_the_learner_records_an_external_activity_from_the_page(client, educator, clinician):
    track = make_track(educator)
    pathway_join(pathway=track.pathway, user=clinician)
    client.force_login(clinician)
    url = reverse("pathways:external_record", args=[track.pathway.slug, track.external_step.pk])
    client.post(url, {"completed_on": timezone.localdate().isoformat(), "note": "Sim centre"})
    body = client.get(reverse("pathways:pathway", args=[track.pathway.slug])).content.decode()
    assert "Not needed: you have completed 1 of this group" in body


def test_someone_not_on_the_pathway_sees_its_steps_and_the_join_button(client, educator):
    track = make_track(educator)
    body = client.get(reverse("pathways:pathway", args=[track.pathway.slug])).content.decode()
    assert "Sign in to join" in body and "Sepsis Bundle Drill" in body


def _on_pathways(educator, clinician, count: int) -> None:
    for _ in range(count):
        track = make_track(educator)
        pathway_join(pathway=track.pathway, user=clinician)
        complete_module(clinician, track.module)


# enrolments, versions, groups, steps, completions (two sources: modules, credit), the learner's
# course enrolments, external records
PATHWAY_PROGRESS_QUERIES = 8


@pytest.mark.parametrize("pathways", [1, 4])
def test_pathway_progress_takes_a_fixed_number_of_queries(educator, clinician,
                                                          django_assert_num_queries, pathways):
    _on_pathways(educator, clinician, pathways)
    with django_assert_num_queries(PATHWAY_PROGRESS_QUERIES):
        progress = pathway_progress_list_for(user=clinician)
    assert [p.steps_done for p in progress] == [1] * pathways


def test_my_learning_shows_each_pathway_with_its_next_step_and_no_more_queries_for_more(
        client, educator, clinician):
    client.force_login(clinician)
    counts = []
    for pathways in (1, 3):
        _on_pathways(educator, clinician, pathways)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("learning:my_learning")).content.decode()
        counts.append(len(queries))
    assert body.count("Next:") == 4
    assert "Your pathways" in body and "1 of 4 steps done" in body
    assert counts[0] == counts[1]


def test_an_educator_builds_publishes_and_a_learner_joins(client, educator, clinician):
    from tests.credits.online.helpers import make_module

    module = make_module(title="Central Line Care")
    client.force_login(educator)
    client.post(reverse("pathways:manage_new"), {
        "title": "New graduate nurse residency", "summary": "The first year on the unit.",
        "entry": "open", "time_limit_days": "365"})
    pathway = Pathway.objects.get(title="New graduate nurse residency")
    client.post(reverse("pathways:group_add", args=[pathway.pk]), {"title": "Core"})
    group = pathway.versions.get().groups.get()
    client.post(reverse("pathways:step_add", args=[pathway.pk]), {
        "group": group.pk, "kind": Step.Kind.ONLINE_MODULE, "course": module.pk})
    client.post(reverse("pathways:step_add", args=[pathway.pk]), {
        "group": group.pk, "kind": Step.Kind.EXTERNAL, "title": "Skills day: IV pumps"})
    response = client.post(reverse("pathways:publish", args=[pathway.pk]), follow=True)
    assert "Published version 1" in response.content.decode()
    client.force_login(clinician)
    client.post(reverse("pathways:pathway_join", args=[pathway.slug]))
    enrolment = PathwayEnrolment.objects.get(user=clinician)
    assert enrolment.finish_by == enrolment.started_on + datetime.timedelta(days=365)


def test_an_educator_cannot_manage_another_educators_pathway(client, educator):
    from tests.factories import UserFactory

    track = make_track(UserFactory())
    client.force_login(educator)
    assert client.get(reverse("pathways:manage", args=[track.pathway.pk])).status_code == 404
    assert client.get(reverse("pathways:manage_list")).status_code == 200
