"""The SCORM player, its commit endpoint and the package's files: the learner's own."""
from tests.authz_rows import Row


def objects(world):
    from courses.models import Enrolment
    from credits.online.scorm.launch import content_token
    from credits.online.scorm.services import sco_attempt_launch
    from tests.credits.online.scorm.helpers import make_package_module

    course, _ = make_package_module(director=world["educator"], title="SCORM matrix module")
    Enrolment.objects.create(user=world["clinician"], course=course,
                             status=Enrolment.Status.ENROLLED)
    attempt = sco_attempt_launch(user=world["clinician"], course=course, sco_number=1)
    return {"scorm_course": course, "scorm_attempt": attempt,
            "scorm_token": content_token(attempt)}


ROWS: dict[str, Row] = {
    # Directors and the CME office may open the module (as its lessons); others get 404.
    "courses/<slug:slug>/package/<int:sco_number>/": Row(
        {"anonymous": "login", "clinician": 200, "other_clinician": 404, "educator": 200,
         "administrator": 200},
        kwargs=lambda world: {"slug": world["scorm_course"].slug, "sco_number": 1}),
    "courses/<slug:slug>/package/attempts/<int:attempt_id>/commit/": Row(
        {"anonymous": "login", "clinician": 403, "other_clinician": 404, "educator": 404,
         "administrator": 404}, method="post",
        kwargs=lambda world: {"slug": world["scorm_course"].slug,
                              "attempt_id": world["scorm_attempt"].pk}),
    # The launch page carries the learner's data: the token and the owner's session.
    "package-content/<str:token>/<path:path>": Row(
        {"anonymous": 404, "clinician": 200, "other_clinician": 404, "educator": 404,
         "administrator": 404},
        kwargs=lambda world: {"token": world["scorm_token"], "path": "index.html"}),
}

# The course's directors and the CME office (course_get_for_manager): 403 for clinicians.
MANAGERS = {"anonymous": "login", "clinician": 403, "other_clinician": 403, "educator": 200,
            "administrator": 200}
ROWS.update({
    "educator/courses/<int:course_id>/package-results/": Row(
        MANAGERS, kwargs=lambda world: {"course_id": world["scorm_course"].pk}),
    "educator/courses/<int:course_id>/package-results/attempts/<int:attempt_id>/": Row(
        MANAGERS, kwargs=lambda world: {"course_id": world["scorm_course"].pk,
                                        "attempt_id": world["scorm_attempt"].pk}),
    "educator/courses/<int:course_id>/package-results/interactions.<str:fmt>": Row(
        MANAGERS, kwargs=lambda world: {"course_id": world["scorm_course"].pk, "fmt": "csv"}),
})
