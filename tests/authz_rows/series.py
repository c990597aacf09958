"""A series' coordinator pages (its directors, its named coordinator and the CME office;
everybody else 404) and the learner's late-claim request (learners enrolled in the series)."""
import datetime

from django.utils import timezone

from courses.models import Course
from credits.series.models import LateClaimRequest
from tests.authz_rows import Row, owner_only
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

DIRECTORS_AND_OFFICE = {"anonymous": "login", "clinician": 404, "other_clinician": 404,
                        "educator": 200, "administrator": 200}
DECIDED_BY_DIRECTORS = {**DIRECTORS_AND_OFFICE, "educator": "redirect",
                        "administrator": "redirect"}


def objects(world):
    course = CourseFactory(directors=[world["educator"]], format=Course.Format.RSS,
                           title="Surgical morbidity and mortality conference")
    starts_at = timezone.now() - datetime.timedelta(days=2)
    session = SessionFactory(course=course, starts_at=starts_at,
                             ends_at=starts_at + datetime.timedelta(hours=1))
    EnrolmentFactory(course=course, user=world["clinician"])
    claim = LateClaimRequest.objects.create(session=session, user=world["clinician"],
                                            reason="My phone battery was flat.")
    return {"series_course": course, "series_session": session, "series_claim": claim}


def _course(world):
    return {"course_id": world["series_course"].pk}


def _claim(world):
    return {"request_id": world["series_claim"].pk}


ROWS: dict[str, Row] = {
    "educator/series/<int:course_id>/": Row(DIRECTORS_AND_OFFICE, kwargs=_course),
    "educator/series/<int:course_id>/settings/": Row(DIRECTORS_AND_OFFICE, kwargs=_course),
    "educator/series/<int:course_id>/sessions/<int:session_id>/plan/": Row(
        DIRECTORS_AND_OFFICE, kwargs=lambda w: {"course_id": w["series_course"].pk,
                                                "session_id": w["series_session"].pk}),
    # Copies once; a second copy to the same year is refused with a message: both redirect.
    "educator/series/<int:course_id>/copy-forward/": Row(DECIDED_BY_DIRECTORS, method="post",
                                                         kwargs=_course),
    # Decided once; a later decision is refused with a message: both redirect.
    "educator/series/late-claims/<int:request_id>/approve/": Row(
        DECIDED_BY_DIRECTORS, method="post", kwargs=_claim),
    "educator/series/late-claims/<int:request_id>/refuse/": Row(
        DECIDED_BY_DIRECTORS, method="post", kwargs=_claim),
    "sessions/<int:session_id>/late-claim/": Row(
        owner_only(200), kwargs=lambda w: {"session_id": w["series_session"].pk}),
}
