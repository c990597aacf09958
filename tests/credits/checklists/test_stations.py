"""Competency days: a session's stations, each validator recording the learners who rotate
through with one tap per skill (method and level preset) and attendance at the same time."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Enrolment, Session
from credits.attendance.models import Attendance
from credits.checklists.models import LearnerChecklist, Skill, SkillValidation
from credits.checklists.stations.services import station_create, station_tap_record
from tests.credits.checklists.helpers import make_checklist
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def skills_day(learner_count: int, *, skills: int = 4, subset: int = 0):
    """A simulation day today with one station run by Grace Okafor, and its enrolled nurses."""
    course = Course.objects.create(title="Nursing skills day: central lines and transfusion",
                                   slug=f"skills-day-{learner_count}-{timezone.now():%f}",
                                   status=Course.Status.PUBLISHED)
    starts = timezone.now() - datetime.timedelta(hours=1)
    session = Session.objects.create(course=course, starts_at=starts,
                                     ends_at=starts + datetime.timedelta(hours=4),
                                     location="Simulation centre, level 2")
    nurses = [UserFactory(full_name=f"Nurse {index:02d}", degree="RN", profession="nurse")
              for index in range(learner_count)]
    Enrolment.objects.bulk_create(Enrolment(user=nurse, course=course, status="enrolled")
                                  for nurse in nurses)
    checklist = make_checklist(skills=skills)
    chosen = list(Skill.objects.filter(section__version__checklist=checklist)
                  .order_by("section__position", "position"))[:subset]
    preceptor = UserFactory(full_name="Grace Okafor", degree="RN", profession="nurse")
    station = station_create(session=session, name="Station 1: Central-line care",
                             checklist=checklist, validator=preceptor,
                             method="return_demonstration", level=3, skills=chosen,
                             created_by=checklist.owner)
    return {"station": station, "nurses": nurses, "preceptor": preceptor, "session": session,
            "skills": chosen or list(Skill.objects.filter(section__version__checklist=checklist)
                                     .order_by("section__position", "position"))}


def tap(client, day, nurse, skill, status="validated"):
    return client.post(reverse("checklists:station_learner",
                               args=[day["station"].pk, nurse.pk]),
                       {"skill": skill.pk, "status": status})


def test_one_tap_records_the_skill_with_the_station_method_and_the_attendance(client):
    day = skills_day(2)
    nurse = day["nurses"][0]
    client.force_login(day["preceptor"])
    assert tap(client, day, nurse, day["skills"][0]).status_code == 302
    assert tap(client, day, nurse, day["skills"][0]).status_code == 302  # a double tap
    entry = SkillValidation.objects.get()
    assert (entry.method, entry.level, entry.status, entry.validator) == (
        "return_demonstration", 3, "validated", day["preceptor"])
    assert entry.validated_on == timezone.localdate()
    attendance = Attendance.objects.get(session=day["session"], user=nurse)
    assert (attendance.status, attendance.source, attendance.recorded_by) == (
        "present", "station", day["preceptor"])
    tap(client, day, nurse, day["skills"][1], status="needs_remediation")
    assert Attendance.objects.filter(user=nurse).count() == 1
    page = client.get(reverse("checklists:station_detail", args=[day["station"].pk])).text
    assert "1 of 4 validated" in page and "1 needs remediation" in page


def test_validating_every_skill_at_the_station_completes_the_checklist(client):
    day = skills_day(1)
    nurse = day["nurses"][0]
    client.force_login(day["preceptor"])
    for skill in day["skills"]:
        tap(client, day, nurse, skill)
    record = LearnerChecklist.objects.get(learner=nurse)
    assert record.status == "completed" and record.completed_on == timezone.localdate()
    refused = tap(client, day, nurse, day["skills"][0], status="needs_remediation")
    assert refused.status_code == 400 and SkillValidation.objects.count() == 4


def test_a_station_of_a_subset_records_only_its_skills(client):
    day = skills_day(1, skills=6, subset=2)
    nurse = day["nurses"][0]
    client.force_login(day["preceptor"])
    page = client.get(reverse("checklists:station_learner",
                              args=[day["station"].pk, nurse.pk])).text
    assert page.count('name="status" value="validated"') == 2
    other = Skill.objects.filter(section__version=day["station"].version).exclude(
        pk__in=[skill.pk for skill in day["skills"]]).first()
    assert tap(client, day, nurse, other).status_code == 400
    assert not SkillValidation.objects.exists()


def test_only_the_station_validator_sees_it_and_only_enrolled_learners(client):
    day = skills_day(1)
    outsider = UserFactory(full_name="Sam Ortiz")
    client.force_login(outsider)
    assert client.get(reverse("checklists:station_detail",
                              args=[day["station"].pk])).status_code == 404
    client.force_login(day["preceptor"])
    assert client.get(reverse("checklists:station_learner",
                              args=[day["station"].pk, outsider.pk])).status_code == 404


@pytest.mark.parametrize("learner_count", [1, 30])
def test_queries_per_validation_and_of_the_learner_list_do_not_grow_with_the_day(
        client, django_assert_num_queries, learner_count):
    day = skills_day(learner_count)
    client.force_login(day["preceptor"])
    for nurse in day["nurses"]:  # everyone rotates through; the last one is measured
        station_tap_record(station=day["station"], learner=nurse, skill=day["skills"][0],
                           status="validated")
    nurse = day["nurses"][-1]
    # session, user, the station, the learner (enrolled), the station's skills, savepoint, the
    # learner's checklist, the previous entry; in the bedside service: savepoint, the row lock,
    # the previous entry, the insert, the two reads of the completion check, release; the
    # attendance insert, release.
    with django_assert_num_queries(17):
        assert tap(client, day, nurse, day["skills"][1]).status_code == 302
    # session, user, the station, its skills, the learners, their checklists, their entries,
    # the user's roles for the menu.
    with django_assert_num_queries(8):
        page = client.get(reverse("checklists:station_detail", args=[day["station"].pk]))
    assert page.text.count("1 of 4 validated") == learner_count - 1


def test_a_director_sets_up_a_station_and_a_method_a_skill_refuses_is_explained(client,
                                                                                  educator):
    day = skills_day(1)
    day["session"].course.directors.add(educator)
    client.force_login(educator)
    url = reverse("checklists:station_setup", args=[day["session"].pk])
    data = {"name": "Station 2: Transfusion", "checklist": day["station"].checklist_id,
            "validator": day["preceptor"].email, "method": "simulation", "level": 3}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "cannot be validated by simulation" in refused.text
    assert client.post(url, {**data, "method": "observation"}).status_code == 302
    assert "Station 2: Transfusion" in client.get(url).text
    day["session"].course.directors.remove(educator)
    assert client.get(url).status_code == 404
