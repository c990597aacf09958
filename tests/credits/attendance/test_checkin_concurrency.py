"""Races: the same clinician checking in twice at once, and one report applied twice at once."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from credits.attendance.services import (
    attendance_check_in,
    attendance_import_apply,
    attendance_import_preview,
)
from credits.models import Attendance, AttendanceImport
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

START = datetime.datetime(2026, 11, 24, 12, 30, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db(transaction=True)


def _race(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(work())
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_simultaneous_check_ins_record_one_attendance(clinician):
    session = SessionFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=1))
    EnrolmentFactory(user=clinician, course=session.course)
    outcomes = _race(2, lambda: attendance_check_in(user=clinician, code=session.checkin_code,
                                                    at=START))
    assert sorted(o.already_checked_in for o in outcomes) == [False, True]
    assert Attendance.objects.count() == 1


def test_one_report_applied_twice_at_once_is_applied_once(educator, clinician):
    session = SessionFactory(course=CourseFactory(directors=[educator]), starts_at=START,
                             ends_at=START + datetime.timedelta(hours=1))
    EnrolmentFactory(user=clinician, course=session.course)
    attendance_import = attendance_import_preview(
        session=session, uploaded_by=educator,
        uploaded_file=SimpleUploadedFile("r.csv", f"email,duration\n{clinician.email},30\n"
                                         .encode()))
    outcomes = _race(2, lambda: attendance_import_apply(attendance_import=attendance_import,
                                                        applied_by=educator))
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
    assert AttendanceImport.objects.get().status == AttendanceImport.Status.APPLIED
    assert Attendance.objects.get().minutes_attended == 30
