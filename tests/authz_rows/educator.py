"""Educator pages (a course's directors only) and the CME office's review pages."""
from tests.authz_rows import Row
from tests.factories import (
    CreditDesignationFactory,
    DisclosureFactory,
    DraftCourseFactory,
    FacultyFactory,
    SessionFactory,
)

EDUCATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                  "educator": 200, "administrator": 403}
# The educator directs the course in objects(); others with the role would get 404.
DIRECTORS_ONLY = EDUCATORS_ONLY
DIRECTORS_POST = {**EDUCATORS_ONLY, "educator": "redirect"}
ADMINISTRATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 403, "administrator": 200}
ADMINISTRATORS_POST = {**ADMINISTRATORS_ONLY, "administrator": "redirect"}


def objects(world):
    faculty = FacultyFactory(full_name="Ana Costa")
    course = DraftCourseFactory(title="Sepsis update", directors=[world["educator"]])
    session = SessionFactory(course=course, faculty=[faculty])
    return {
        "directed_course": course,
        "directed_session": session,
        "directed_designation": CreditDesignationFactory(course=course),
        "directed_disclosure": DisclosureFactory(course=course, faculty=faculty),
    }


def _course(world):
    return {"pk": world["directed_course"].pk}


def _session(world):
    return {**_course(world), "session_pk": world["directed_session"].pk}


def _designation(world):
    return {**_course(world), "designation_pk": world["directed_designation"].pk}


def _disclosure(world):
    return {**_course(world), "disclosure_pk": world["directed_disclosure"].pk}


COURSE = "educator/courses/<int:pk>/"

ROWS: dict[str, Row] = {
    "educator/": Row(EDUCATORS_ONLY),
    "educator/courses/new/": Row(EDUCATORS_ONLY),
    COURSE: Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "edit/": Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "submit/": Row(DIRECTORS_POST, method="post", kwargs=_course),
    COURSE + "sessions/new/": Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "sessions/series/": Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "sessions/<int:session_pk>/": Row(DIRECTORS_ONLY, kwargs=_session),
    COURSE + "sessions/<int:session_pk>/cancel/": Row(DIRECTORS_ONLY, kwargs=_session),
    COURSE + "faculty/new/": Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "designations/new/": Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "designations/<int:designation_pk>/": Row(DIRECTORS_ONLY, kwargs=_designation),
    COURSE + "designations/<int:designation_pk>/delete/": Row(DIRECTORS_POST, method="post",
                                                              kwargs=_designation),
    COURSE + "disclosures/new/": Row(DIRECTORS_ONLY, kwargs=_course),
    COURSE + "disclosures/<int:disclosure_pk>/": Row(DIRECTORS_ONLY, kwargs=_disclosure),
    COURSE + "disclosures/<int:disclosure_pk>/delete/": Row(DIRECTORS_POST, method="post",
                                                            kwargs=_disclosure),
    "review/": Row(ADMINISTRATORS_ONLY),
    "review/<int:pk>/": Row(ADMINISTRATORS_ONLY, kwargs=_course),
    "review/<int:pk>/publish/": Row(ADMINISTRATORS_POST, method="post", kwargs=_course),
    "review/<int:pk>/return/": Row({**ADMINISTRATORS_ONLY, "administrator": 400}, method="post",
                                   kwargs=_course),
    "review/<int:pk>/archive/": Row(ADMINISTRATORS_POST, method="post", kwargs=_course),
}
