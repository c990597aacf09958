"""Benchmark: import a 50,000-row participant report (preview + apply, the portal's own path).

    createdb -h 127.0.0.1 -U postgres cpd_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench
    .venv/bin/python -m bench.attendance_import

Use a scratch database: the benchmark migrates it and adds a course with 50,000 enrolled
clinicians (kept for the next run). The baseline is the least any import must do with the same
file: `csv.reader` and one bulk insert of the attendance rows, with no validation at all.
Prints rows=, portal_seconds=, baseline_seconds= and, last, ratio= (baseline / portal).
"""
import csv
import datetime
import io
import os
import sys
import time

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
COURSE_SLUG = "bench-attendance-import"


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (see the module docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from courses.models import Course, Enrolment, Session
    from credits.attendance.services import attendance_import_apply, attendance_import_preview
    from credits.models import Attendance, AttendanceImport

    course, _ = Course.objects.get_or_create(
        slug=COURSE_SLUG, defaults={"title": "Benchmark webinar", "summary": "Benchmark"})
    emails = [f"bench-learner-{i}@hospital.example" for i in range(ROWS)]
    if Enrolment.objects.filter(course=course, status="enrolled").count() < ROWS:
        User.objects.bulk_create([User(email=email, full_name=f"Learner {i}")
                                  for i, email in enumerate(emails)],
                                 ignore_conflicts=True, batch_size=5000)
        users = User.objects.filter(email__in=emails)
        Enrolment.objects.bulk_create([Enrolment(user=user, course=course, status="enrolled")
                                       for user in users], ignore_conflicts=True,
                                      batch_size=5000)
    educator, _ = User.objects.get_or_create(email="bench-educator@hospital.example",
                                             defaults={"full_name": "Bench Educator"})
    starts_at = datetime.datetime(2026, 11, 24, 12, 30, tzinfo=datetime.UTC)
    portal_session = Session.objects.create(course=course, starts_at=starts_at,
                                            ends_at=starts_at + datetime.timedelta(hours=1))
    baseline_session = Session.objects.create(course=course, starts_at=starts_at,
                                              ends_at=starts_at + datetime.timedelta(hours=1))

    report = "\ufeffName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n"
    report += "".join(f"Learner {i},{email},11/24/2026 07:31:05 AM,11/24/2026 08:15:40 AM,45\r\n"
                      for i, email in enumerate(emails))
    data = report.encode()

    started = time.perf_counter()
    attendance_import = attendance_import_preview(
        session=portal_session, uploaded_by=educator,
        uploaded_file=SimpleUploadedFile("participants.csv", data))
    preview_seconds = time.perf_counter() - started
    attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    portal_seconds = time.perf_counter() - started
    assert attendance_import.error_count == 0, attendance_import.errors[:3]
    assert Attendance.objects.filter(session=portal_session).count() == ROWS

    started = time.perf_counter()
    user_ids = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    next(reader)
    Attendance.objects.bulk_create(
        [Attendance(session=baseline_session, user_id=user_ids[row[1]], source="import",
                    minutes_attended=int(row[4])) for row in reader], batch_size=5000)
    baseline_seconds = time.perf_counter() - started

    # Leave the scratch database as it was found, so that runs stay comparable.
    sessions = [portal_session, baseline_session]
    Attendance.objects.filter(session__in=sessions).delete()
    AttendanceImport.objects.filter(session__in=sessions).delete()
    Session.objects.filter(pk__in=[s.pk for s in sessions]).delete()

    print(f"rows={ROWS}")
    print(f"file_bytes={len(data)}")
    print(f"preview_seconds={preview_seconds:.2f}")
    print(f"apply_seconds={portal_seconds - preview_seconds:.2f}")
    print(f"portal_seconds={portal_seconds:.2f}")
    print(f"baseline_seconds={baseline_seconds:.2f}")
    print(f"ratio={baseline_seconds / portal_seconds:.2f}")


if __name__ == "__main__":
    main()
