"""Skills checklists. In this world the clinician is the learner (4 West), the other clinician
is a validator of another unit who also manages that unit (the Emergency Department), the
educator built the checklist and is authorised to validate 4 West, and the administrator is the
education office, which builds and authorises but does not validate without an authorisation.
So on the validation pages: the learner themselves 404, a validator of another unit 404, a
manager of another unit 404.

On a competency day (stations), the educator directs the skills day and runs its one station;
the learner is enrolled. The station's pages are its validator's alone: the learner themselves,
a validator of another unit and the education office get 404."""
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.authz_rows import Row, owner_only, signed_in

STAFF = {"anonymous": "login", "clinician": 403, "other_clinician": 403, "educator": 200,
         "administrator": 200}
STAFF_REDIRECT = {**STAFF, "educator": "redirect", "administrator": "redirect"}
# A unit's readiness: its managers and the office; a manager of another unit (the other
# clinician) and the learner get 404.
OFFICE_ONLY = {"anonymous": "login", "clinician": 404, "other_clinician": 404, "educator": 404,
               "administrator": 200}
VALIDATOR_OF_THE_UNIT_ONLY = {"anonymous": "login", "clinician": 404, "other_clinician": 404,
                              "educator": 200, "administrator": 404}
STATION_VALIDATOR_ONLY = VALIDATOR_OF_THE_UNIT_ONLY
DIRECTORS_AND_OFFICE = {"anonymous": "login", "clinician": 404, "other_clinician": 404,
                        "educator": 200, "administrator": 200}


def objects(world):
    from courses.models import Enrolment
    from credits.checklists.models import LearnerChecklist
    from credits.checklists.services import learner_checklist_open
    from credits.checklists.stations.services import station_create
    from credits.checklists.views import validation_code_for
    from tests.credits.checklists.helpers import authorise, make_checklist, make_unit
    from tests.factories import CourseFactory, SessionFactory

    learner, other = world["clinician"], world["other_clinician"]
    checklist = make_checklist(owner=world["educator"], skills=3)
    west = make_unit("4 West Medical-Surgical", learner)
    emergency = make_unit("Emergency Department", managers=[other])
    # The learner's unit is managed by the office alone in this world.
    authorise(checklist, world["educator"], west)
    validator_elsewhere = authorise(checklist, other, emergency)
    opened = learner_checklist_open(checklist=checklist, learner=learner)
    done = LearnerChecklist.objects.create(
        checklist=checklist, version=opened.version, learner=learner, cycle=0,
        status=LearnerChecklist.Status.COMPLETED, completed_on=timezone.localdate())
    done.pdf.save("done.pdf", ContentFile(b"%PDF-1.4 competencies"))
    skills_day = SessionFactory(course=CourseFactory(directors=[world["educator"]]))
    Enrolment.objects.create(user=learner, course=skills_day.course, status="enrolled")
    station = station_create(session=skills_day, name="Station 1", checklist=checklist,
                             validator=world["educator"], method="observation", level=3,
                             created_by=world["educator"])
    return {"checklist_station": station, "checklist_skills_day": skills_day,
            "checklist": checklist, "checklist_unit": west, "checklist_unit_learner": learner,
            "learner_checklist": opened,
            "learner_checklist_done": done,
            "learner_checklist_code": validation_code_for(opened),
            "checklist_validator": validator_elsewhere}


def _unit(world):
    return {"pk": world["checklist_unit"].pk}


def _checklist(world):
    return {"pk": world["checklist"].pk}


ROWS: dict[str, Row] = {
    "checklists/": Row(signed_in(200)),
    "checklists/<int:checklist_id>/start/": Row(
        signed_in("redirect"), method="post",
        kwargs=lambda w: {"checklist_id": w["checklist"].pk}),
    "checklists/mine/<int:pk>/": Row(owner_only(200),
                                     kwargs=lambda w: {"pk": w["learner_checklist"].pk}),
    "checklists/mine/<int:pk>/competencies.pdf": Row(
        owner_only(200), kwargs=lambda w: {"pk": w["learner_checklist_done"].pk}),
    "checklists/validate/": Row(signed_in(200)),
    "checklists/validate/code/<str:code>/": Row(
        {**VALIDATOR_OF_THE_UNIT_ONLY, "educator": "redirect"},
        kwargs=lambda w: {"code": w["learner_checklist_code"]}),
    "checklists/validate/<int:pk>/": Row(VALIDATOR_OF_THE_UNIT_ONLY,
                                         kwargs=lambda w: {"pk": w["learner_checklist"].pk}),
    "educator/checklists/": Row(STAFF),
    "educator/checklists/new/": Row(STAFF),
    "educator/checklists/<int:pk>/": Row(STAFF, kwargs=_checklist),
    "educator/checklists/<int:pk>/publish/": Row(STAFF_REDIRECT, method="post",
                                                 kwargs=_checklist),
    "educator/checklists/<int:pk>/validators/": Row(STAFF_REDIRECT, method="post",
                                                    kwargs=_checklist),
    "educator/checklists/<int:pk>/validators/<int:validator_id>/revoke/": Row(
        STAFF_REDIRECT, method="post",
        kwargs=lambda w: {"pk": w["checklist"].pk,
                          "validator_id": w["checklist_validator"].pk}),
    "checklists/stations/": Row(signed_in(200)),
    "checklists/stations/<int:pk>/": Row(
        STATION_VALIDATOR_ONLY, kwargs=lambda w: {"pk": w["checklist_station"].pk}),
    "checklists/stations/<int:pk>/learners/<int:user_id>/": Row(
        STATION_VALIDATOR_ONLY, kwargs=lambda w: {"pk": w["checklist_station"].pk,
                                                  "user_id": w["checklist_unit_learner"].pk}),
    "educator/sessions/<int:session_id>/stations/": Row(
        DIRECTORS_AND_OFFICE, kwargs=lambda w: {"session_id": w["checklist_skills_day"].pk}),
    "reports/assignments/new/checklist/": Row(
        {"anonymous": "login", "clinician": 403, "other_clinician": 403, "educator": 403,
         "administrator": 200}),
    "units/": Row(signed_in(200)),
    "units/<int:pk>/readiness/": Row(OFFICE_ONLY, kwargs=_unit),
    "units/<int:pk>/readiness.<str:fmt>": Row(
        OFFICE_ONLY, kwargs=lambda w: {**_unit(w), "fmt": "csv"}),
    "units/<int:pk>/people/<int:user_id>/readiness.pdf": Row(
        OFFICE_ONLY, kwargs=lambda w: {**_unit(w), "user_id": w["checklist_unit_learner"].pk}),
}
