"""Lesson and question-bank authoring: the course's directors only (404 for other educators)."""
from tests.authz_rows import Row
from tests.authz_rows.educator import DIRECTORS_ONLY, DIRECTORS_POST


def objects(world):
    from courses.models import Course
    from tests.credits.online.helpers import make_module

    course = make_module(title="Authoring matrix module", status=Course.Status.DRAFT,
                         directors=[world["educator"]])
    return {"authored_course": course, "authored_lesson": course.lessons.first(),
            "authored_question": course.questions.first()}


def _course(world):
    return {"pk": world["authored_course"].pk}


def _lesson(world):
    return {**_course(world), "lesson_pk": world["authored_lesson"].pk}


def _question(world):
    return {**_course(world), "question_pk": world["authored_question"].pk}


LESSONS = "educator/courses/<int:pk>/lessons/"
POST_TEST = "educator/courses/<int:pk>/post-test/"

ROWS: dict[str, Row] = {
    LESSONS: Row(DIRECTORS_ONLY, kwargs=_course),
    LESSONS + "new/": Row(DIRECTORS_ONLY, kwargs=_course),
    LESSONS + "<int:lesson_pk>/": Row(DIRECTORS_ONLY, kwargs=_lesson),
    LESSONS + "<int:lesson_pk>/move/": Row(DIRECTORS_POST, method="post", kwargs=_lesson),
    LESSONS + "<int:lesson_pk>/attachments/": Row(DIRECTORS_POST, method="post", kwargs=_lesson),
    LESSONS + "<int:lesson_pk>/preview/": Row(DIRECTORS_ONLY, kwargs=_lesson),
    POST_TEST: Row(DIRECTORS_ONLY, kwargs=_course),
    POST_TEST + "questions/new/": Row(DIRECTORS_ONLY, kwargs=_course),
    POST_TEST + "questions/<int:question_pk>/": Row(DIRECTORS_ONLY, kwargs=_question),
    POST_TEST + "questions/<int:question_pk>/retire/": Row(DIRECTORS_POST, method="post",
                                                           kwargs=_question),
    "educator/courses/<int:course_id>/post-test/results/": Row(
        {**DIRECTORS_ONLY, "clinician": 404, "other_clinician": 404, "administrator": 200},
        kwargs=lambda world: {"course_id": world["authored_course"].pk}),
    "educator/courses/<int:course_id>/post-test/attempts.<str:fmt>": Row(
        {**DIRECTORS_ONLY, "clinician": 404, "other_clinician": 404, "administrator": 404},
        kwargs=lambda world: {"course_id": world["authored_course"].pk, "fmt": "csv"}),
}
