"""Pathways: rules (required, 1 of 2 electives, prerequisites, time limit), completions before
joining, versions that learners keep, open and assigned entry, completion recorded as it happens."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from credits.pathways.models import ExternalStepRecord, Pathway, PathwayEnrolment, Step
from credits.pathways.selectors import (
    AVAILABLE,
    DONE,
    IN_PROGRESS,
    LOCKED,
    NOT_NEEDED,
    pathway_progress_get,
)
from credits.pathways.services import (
    external_step_record,
    pathway_assign,
    pathway_join,
    pathway_version_publish,
    pathway_version_start,
    step_add,
    step_group_add,
    step_remove,
)
from tests.credits.online.helpers import enrol
from tests.credits.pathways.helpers import claim_credit, complete_module, make_track
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def _states(progress) -> dict[str, tuple[str, str]]:
    return {state.step.display_title: (state.status, state.explanation)
            for group in progress.groups for state in group.steps}


def _progress(user, track):
    enrolment = PathwayEnrolment.objects.get(user=user, pathway=track.pathway)
    return pathway_progress_get(user=user, enrolment=enrolment)


def test_a_new_learner_sees_the_first_step_next_and_the_drill_locked_behind_the_module(
        educator, clinician):
    track = make_track(educator)
    pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    progress = _progress(clinician, track)
    states = _states(progress)
    assert states["Sepsis Grand Rounds: the first hour"][0] == AVAILABLE
    assert states["Sepsis Bundle Drill"] == (
        LOCKED, "Unlocks when you complete “Recognising Sepsis Early”.")
    assert progress.next_step.step.course == track.live
    assert (progress.steps_done, progress.steps_needed) == (0, 4)  # 3 core + 1 of 2 electives
    assert progress.next_step.due_on == TODAY + datetime.timedelta(days=30)


def test_completing_every_needed_step_completes_the_pathway_once_and_leaves_the_other_elective(
        educator, clinician, django_capture_on_commit_callbacks):
    track = make_track(educator)
    enrolment = pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(clinician, track.module, on=TODAY)
    assert _states(_progress(clinician, track))["Sepsis Bundle Drill"][0] == AVAILABLE
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, track.live, on=TODAY + datetime.timedelta(days=3))
        claim_credit(clinician, track.drill, on=TODAY + datetime.timedelta(days=9))
    enrolment.refresh_from_db()
    assert enrolment.status == PathwayEnrolment.Status.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        external_step_record(enrolment=enrolment, step=track.external_step,
                             completed_on=TODAY + datetime.timedelta(days=10),
                             note="Regional simulation centre, 12 Dec",
                             today=TODAY + datetime.timedelta(days=12))
    enrolment.refresh_from_db()
    assert enrolment.status == PathwayEnrolment.Status.COMPLETED
    assert enrolment.completed_on == TODAY + datetime.timedelta(days=10)  # the last needed step
    progress = _progress(clinician, track)
    assert _states(progress)["Lactate and Fluid Resuscitation"][0] == NOT_NEEDED
    assert progress.complete and progress.next_step is None and progress.percent == 100


def test_a_completion_before_joining_counts_and_says_so(educator, clinician):
    track = make_track(educator)
    claim_credit(clinician, track.live, on=TODAY - datetime.timedelta(days=40))
    pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    status, explanation = _states(_progress(clinician, track))[track.live.title]
    assert status == DONE
    assert explanation == "Counted: you completed it on 22 Oct 2026, before joining."


def test_a_step_that_only_counts_recent_completions_asks_for_an_old_one_again(educator,
                                                                              clinician):
    track = make_track(educator)
    draft = pathway_version_start(pathway=track.pathway)
    step = draft.steps.get(course=track.module)
    Step.objects.filter(pk=step.pk).update(earlier_completion_days=365)
    pathway_version_publish(version=draft)
    complete_module(clinician, track.module, on=TODAY - datetime.timedelta(days=400))
    pathway_join(pathway=Pathway.objects.get(pk=track.pathway.pk), user=clinician, today=TODAY)
    status, explanation = _states(_progress(clinician, track))[track.module.title]
    assert status == AVAILABLE
    assert "more than 365 days before joining; it needs doing again" in explanation


def test_an_enrolled_activity_not_yet_completed_is_in_progress_and_comes_next(educator,
                                                                              clinician):
    track = make_track(educator)
    pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    enrol(clinician, track.module)
    progress = _progress(clinician, track)
    assert _states(progress)[track.module.title][0] == IN_PROGRESS
    assert progress.next_step.step.course == track.module


def test_a_later_version_leaves_learners_on_theirs_and_new_learners_join_it(
        educator, clinician, other_clinician):
    track = make_track(educator)
    pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    draft = pathway_version_start(pathway=track.pathway)
    step_remove(step=draft.steps.get(kind=Step.Kind.DRILL))
    pathway_version_publish(version=draft)
    track.pathway.refresh_from_db()
    later = pathway_join(pathway=track.pathway, user=other_clinician, today=TODAY)
    assert later.version.number == 2
    assert _progress(other_clinician, track).steps_needed == 3
    mine = _progress(clinician, track)
    assert mine.enrolment.version.number == 1 and mine.steps_needed == 4
    assert "Sepsis Bundle Drill" in _states(mine)


def test_a_published_version_cannot_change(educator):
    track = make_track(educator)
    version = track.pathway.current_version
    with pytest.raises(ValidationError, match="is published and cannot change"):
        step_group_add(version=version, title="More")
    with pytest.raises(ValidationError, match="is published and cannot change"):
        step_remove(step=version.steps.first())


def test_publishing_checks_each_group_can_be_satisfied(educator):
    track = make_track(educator)
    draft = pathway_version_start(pathway=track.pathway)
    step_group_add(version=draft, title="Choose two", required_count=2)
    with pytest.raises(ValidationError, match="has no steps"):
        pathway_version_publish(version=draft)


def test_a_step_must_name_an_activity_of_its_kind(educator):
    track = make_track(educator)
    draft = pathway_version_start(pathway=track.pathway)
    group = draft.groups.first()
    with pytest.raises(ValidationError, match="Choose an activity of the kind"):
        step_add(group=group, kind=Step.Kind.DRILL, course=track.module)
    with pytest.raises(ValidationError, match="Say what the external activity is"):
        step_add(group=group, kind=Step.Kind.EXTERNAL, title=" ")


def test_joining_twice_is_joining_once_and_assigned_pathways_cannot_be_joined(educator,
                                                                              clinician):
    track = make_track(educator)
    first = pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    assert pathway_join(pathway=track.pathway, user=clinician, today=TODAY) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        PathwayEnrolment.objects.create(pathway=track.pathway, version=first.version,
                                        user=clinician, started_on=TODAY)
    assigned = make_track(educator, entry=Pathway.Entry.ASSIGNED)
    with pytest.raises(ValidationError, match="not open to join"):
        pathway_join(pathway=assigned.pathway, user=clinician)


def test_assigning_to_a_profession_enrols_each_nurse_once_with_the_time_limit(educator):
    nurses = [educator, *(UserFactory(profession="nurse") for _ in range(3))]
    UserFactory(profession="physician")
    track = make_track(educator, time_limit_days=90, entry=Pathway.Entry.ASSIGNED)
    assert pathway_assign(pathway=track.pathway, target="profession", target_value="nurse",
                          today=TODAY) == 4
    assert pathway_assign(pathway=track.pathway, target="profession", target_value="nurse",
                          today=TODAY) == 0
    enrolments = PathwayEnrolment.objects.filter(pathway=track.pathway)
    assert {e.user_id for e in enrolments} == {n.pk for n in nurses}
    assert {e.finish_by for e in enrolments} == {TODAY + datetime.timedelta(days=90)}
    assert {e.source for e in enrolments} == {PathwayEnrolment.Source.ASSIGNED}


def test_past_the_time_limit_the_pathway_is_overdue(educator, clinician):
    track = make_track(educator, time_limit_days=30)
    enrolment = pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    progress = pathway_progress_get(user=clinician, enrolment=enrolment)
    assert not progress.overdue
    progress.today = TODAY + datetime.timedelta(days=31)
    assert progress.overdue


def test_an_external_record_is_kept_once_and_never_deleted(educator, clinician):
    track = make_track(educator)
    enrolment = pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    first = external_step_record(enrolment=enrolment, step=track.external_step,
                                 completed_on=TODAY, today=TODAY)
    again = external_step_record(enrolment=enrolment, step=track.external_step,
                                 completed_on=TODAY - datetime.timedelta(days=1), today=TODAY)
    assert again == first and again.completed_on == TODAY
    with pytest.raises(ValidationError, match="cannot be in the future"):
        external_step_record(enrolment=enrolment, step=track.external_step,
                             completed_on=TODAY + datetime.timedelta(days=1), today=TODAY)
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        ExternalStepRecord.objects.filter(pk=first.pk).delete()
