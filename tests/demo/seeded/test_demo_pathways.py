"""The demo's pathways: Dr Raman part way through the sepsis champion track with her next step
first, and the nurse residency's cohort on the office dashboard."""
import pytest
from django.urls import reverse

from accounts.models import User
from cpd_portal.demo import pathways
from credits.pathways.models import PathwayEnrolment
from credits.pathways.selectors import DONE, IN_PROGRESS, LOCKED, pathway_progress_list_for
from credits.suggestions.selectors import suggestions_for

pytestmark = pytest.mark.django_db


def test_dr_raman_is_part_way_through_the_sepsis_track_with_the_next_step_first(seeded, client):
    raman = User.objects.get(email="clinician@example.org")
    [progress] = pathway_progress_list_for(user=raman)
    assert progress.pathway.title == pathways.SEPSIS_TRACK
    states = {state.step.display_title: state.status
              for group in progress.groups for state in group.steps}
    assert states[pathways.HUDDLES] == DONE
    assert states[pathways.SEPSIS_LIVE] == IN_PROGRESS
    assert LOCKED in states.values()
    assert progress.next_step.step.display_title == pathways.SEPSIS_LIVE
    assert 0 < progress.steps_done < progress.steps_needed
    client.force_login(raman)
    body = client.get(reverse("learning:my_learning")).content.decode()
    assert pathways.SEPSIS_TRACK in body and "Next:" in body
    # "Next for you" beside it: her licence shortfalls first, then the track's next step.
    suggestions = suggestions_for(user=raman)
    assert suggestions[0].rule == "shortfall" and "pathway" in {s.rule for s in suggestions}
    assert "risk management credits due by" in suggestions[0].reason
    assert "Next for you" in body and suggestions[0].reason in body


def test_the_nurse_residency_cohort_shows_on_the_office_dashboard(seeded):
    from credits.pathways.models import Step
    from credits.pathways.office import BEHIND, ON_TRACK, cohort_dashboard

    enrolled = PathwayEnrolment.objects.filter(pathway__title=pathways.RESIDENCY)
    assert enrolled.count() == User.objects.filter(profession="nurse").count() > 1
    residency = enrolled.first().pathway
    kinds = list(residency.current_version.steps.values_list("kind", flat=True))
    assert sorted(kinds) == sorted([Step.Kind.ONLINE_MODULE, Step.Kind.SKILLS_CHECKLIST,
                                    Step.Kind.ONLINE_MODULE, Step.Kind.DRILL,
                                    Step.Kind.LIVE_COURSE])
    cohort = residency.cohorts.get()
    assert set(enrolled.values_list("cohort", flat=True)) == {cohort.pk}
    dashboard = cohort_dashboard(pathway=residency, cohort_value=str(cohort.pk))
    assert dashboard.count(BEHIND) > 0 and dashboard.count(ON_TRACK) > 0
    (funnel,) = dashboard.funnels
    skills_day = funnel.steps[1]
    assert skills_day.state_title == "Annual nursing competencies"
    assert 0 < skills_day.done < skills_day.reached < funnel.learners  # validated, under way


def test_a_leadership_programme_is_open_for_applications(seeded, client):
    from credits.pathways.models import Pathway

    leadership = Pathway.objects.get(title=pathways.LEADERSHIP)
    cohort = leadership.cohorts.get()
    assert cohort.applications.count() == 4 and cohort.places == 12
    client.force_login(User.objects.get(email="clinician@example.org"))
    body = client.get(reverse("pathways:pathway", args=[leadership.slug])).content.decode()
    assert f"Apply for {cohort.name}" in body


def test_the_residency_cohort_has_its_own_skills_day_seen_by_its_nurses_only(seeded, client):
    from credits.pathways.models import CohortSession

    link = CohortSession.objects.select_related("session__course", "cohort").get(
        cohort__pathway__title=pathways.RESIDENCY)
    assert link.session.title == pathways.RESIDENCY_SKILLS_DAY_TITLE
    course_page = link.session.course.get_absolute_url()
    nurse = PathwayEnrolment.objects.filter(cohort=link.cohort).first().user
    client.force_login(nurse)
    assert pathways.RESIDENCY_SKILLS_DAY_TITLE in client.get(course_page).content.decode()
    pathway_page = client.get(reverse("pathways:pathway", args=[link.cohort.pathway.slug]))
    assert pathways.RESIDENCY_SKILLS_DAY_TITLE in pathway_page.content.decode()
    client.force_login(User.objects.get(email="clinician@example.org"))
    assert pathways.RESIDENCY_SKILLS_DAY_TITLE not in client.get(course_page).content.decode()
    client.logout()
    assert pathways.RESIDENCY_SKILLS_DAY_TITLE not in client.get(course_page).content.decode()
