"""Catalog, course pages, enrolment, calendars, and the directors' enrolment list."""
from courses.models import CalendarFeed, Enrolment
from tests.authz_rows import Row, everyone, signed_in
from tests.factories import CourseFactory, SessionFactory

DIRECTOR_OR_OFFICE = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                      "educator": 200, "administrator": 200}


def objects(world):
    course = CourseFactory(title="Matrix course", directors=[world["educator"]])
    SessionFactory(course=course)
    pending = Enrolment.objects.create(user=world["clinician"], course=course,
                                       status=Enrolment.Status.PENDING)
    return {"catalog_course": course, "pending_enrolment": pending,
            "calendar_feed": CalendarFeed.objects.create(user=world["clinician"])}


def _course_slug(world):
    return {"slug": world["catalog_course"].slug}


def _course_id(world):
    return {"course_id": world["catalog_course"].pk}


ROWS: dict[str, Row] = {
    "courses/": Row(everyone(200)),
    "courses/<slug:slug>/": Row(everyone(200), kwargs=_course_slug),
    "courses/<slug:slug>/enrol/": Row(signed_in("redirect"), method="post", kwargs=_course_slug),
    "courses/<slug:slug>/cancel/": Row(signed_in("redirect"), method="post",
                                       kwargs=_course_slug),
    "courses/<slug:slug>/calendar.ics": Row(everyone(200), kwargs=_course_slug),
    "learning/calendar/": Row(signed_in(200)),
    "learning/calendar/regenerate/": Row(signed_in("redirect"), method="post"),
    "learning/calendar/revoke/": Row(signed_in("redirect"), method="post"),
    # The secret token is the credential (calendar apps cannot sign in).
    "calendar/<str:token>.ics": Row(everyone(200),
                                    kwargs=lambda w: {"token": w["calendar_feed"].token}),
    "educator/courses/<int:course_id>/enrolments/": Row(DIRECTOR_OR_OFFICE, kwargs=_course_id),
    "educator/courses/<int:course_id>/enrolments/<int:enrolment_id>/decide/": Row(
        {**DIRECTOR_OR_OFFICE, "educator": "redirect", "administrator": "redirect"},
        method="post",
        kwargs=lambda w: {"course_id": w["catalog_course"].pk,
                          "enrolment_id": w["pending_enrolment"].pk}),
}
