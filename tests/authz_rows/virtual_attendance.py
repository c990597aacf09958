"""Credit by minutes and virtual attendance: the director's override of one learner's attendance
(its course's directors and the CME office; everybody else 404)."""
from tests.authz_rows import Row
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

DIRECTORS_AND_OFFICE = {"anonymous": "login", "clinician": 404, "other_clinician": 404,
                        "educator": 200, "administrator": 200}


def objects(world):
    course = CourseFactory(directors=[world["educator"]])
    session = SessionFactory(course=course)
    # The clinician is on the roster: only managing the course opens the override.
    EnrolmentFactory(course=course, user=world["clinician"])
    return {"virtual_session": session}


def _learner(world):
    return {"session_id": world["virtual_session"].pk, "user_id": world["clinician"].pk}


ROWS: dict[str, Row] = {
    "educator/sessions/<int:session_id>/roster/<int:user_id>/override/": Row(
        DIRECTORS_AND_OFFICE, kwargs=_learner),
}
