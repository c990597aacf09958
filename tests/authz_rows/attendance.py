"""Check-in (every signed-in person) and a session's check-in display, roster and attendance
import (its course's directors and the CME office; everybody else 404)."""
from django.core.files.base import ContentFile

from credits.models import AttendanceImport
from tests.authz_rows import Row, signed_in
from tests.factories import CourseFactory, SessionFactory

DIRECTORS_AND_OFFICE = {"anonymous": "login", "clinician": 404, "other_clinician": 404,
                        "educator": 200, "administrator": 200}


def objects(world):
    course = CourseFactory(directors=[world["educator"]])
    session = SessionFactory(course=course)
    attendance_import = AttendanceImport(
        session=session, original_filename="report.csv", status=AttendanceImport.Status.FAILED,
        time_zone="America/New_York", uploaded_by=world["educator"])
    attendance_import.file.save("report.csv", ContentFile(b"email,duration\n"), save=False)
    attendance_import.save()
    return {"attendance_session": session, "attendance_import": attendance_import}


def _session(world):
    return {"session_id": world["attendance_session"].pk}


def _import(world):
    return {"session_id": world["attendance_session"].pk,
            "import_id": world["attendance_import"].pk}


ROWS: dict[str, Row] = {
    "checkin/": Row(signed_in(200)),
    # A known code shows the session to confirm; nothing is recorded without the POST.
    "checkin/<str:code>/": Row(signed_in(200), kwargs=lambda w: {
        "code": w["attendance_session"].checkin_code}),
    "educator/sessions/<int:session_id>/checkin/": Row(DIRECTORS_AND_OFFICE, kwargs=_session),
    "educator/sessions/<int:session_id>/roster/": Row(DIRECTORS_AND_OFFICE, kwargs=_session),
    "educator/sessions/<int:session_id>/attendance/import/": Row(DIRECTORS_AND_OFFICE,
                                                                 kwargs=_session),
    "educator/sessions/<int:session_id>/attendance/import/<int:import_id>/": Row(
        DIRECTORS_AND_OFFICE, kwargs=_import),
    # A failed import cannot be applied: the director is sent back to it with the reason.
    "educator/sessions/<int:session_id>/attendance/import/<int:import_id>/apply/": Row(
        {**DIRECTORS_AND_OFFICE, "educator": "redirect", "administrator": "redirect"},
        method="post", kwargs=_import),
}
