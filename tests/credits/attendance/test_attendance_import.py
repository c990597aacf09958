"""Importing a video-meeting participant report: preview, all-or-nothing apply, row errors."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credits.attendance.imports import parse_duration_minutes, read_participant_report
from credits.attendance.services import attendance_import_apply, attendance_import_preview
from credits.models import Attendance, AttendanceImport
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory, UserFactory

START = datetime.datetime(2026, 11, 24, 12, 30, tzinfo=datetime.UTC)  # 07:30 in Boston

ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"


@pytest.fixture
def session(educator):
    course = CourseFactory(directors=[educator])
    return SessionFactory(course=course, starts_at=START,
                          ends_at=START + datetime.timedelta(minutes=60))


@pytest.fixture
def people(session):
    return [EnrolmentFactory(course=session.course,
                             user=UserFactory(email=f"doc{i}@hospital.example")).user
            for i in range(3)]


def _preview(session, educator, text: str | bytes, name="participants.csv"):
    data = text.encode() if isinstance(text, str) else text
    return attendance_import_preview(session=session, uploaded_by=educator,
                                     uploaded_file=SimpleUploadedFile(name, data))


def test_zoom_report_is_previewed_then_applied(session, educator, people):
    report = ZOOM_HEADER + (
        "Doc Zero,doc0@hospital.example,11/24/2026 07:28:10 AM,11/24/2026 08:31:00 AM,63,No\n"
        "Doc One,DOC1@hospital.example,11/24/2026 07:45:00 AM,11/24/2026 08:15:00 AM,30,No\n")
    attendance_import = _preview(session, educator, report)
    assert attendance_import.status == AttendanceImport.Status.PREVIEWED
    assert (attendance_import.line_count, attendance_import.attendee_count) == (2, 2)
    assert not Attendance.objects.exists()

    applied = attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    assert applied.status == AttendanceImport.Status.APPLIED
    records = {a.user.email: a for a in Attendance.objects.select_related("user")}
    # 63 minutes of a 60-minute session counts as the whole session.
    assert records["doc0@hospital.example"].minutes_attended == 60
    assert records["doc1@hospital.example"].minutes_attended == 30
    assert records["doc1@hospital.example"].checked_in_at == START + datetime.timedelta(
        minutes=15)
    assert {a.source for a in records.values()} == {"import"}
    assert {a.recorded_by_id for a in records.values()} == {educator.pk}


def test_one_bad_row_means_nothing_is_written_and_errors_name_their_lines(
        session, educator, people):
    report = ("email,join time,leave time\n"
              "doc0@hospital.example,2026-11-24 07:30,2026-11-24 08:30\n"
              "stranger@elsewhere.example,2026-11-24 07:30,2026-11-24 08:30\n"
              "doc1@hospital.example,yesterday-ish,2026-11-24 08:30\n"
              "doc2@hospital.example,2026-11-24 08:30,2026-11-24 07:30\n")
    attendance_import = _preview(session, educator, report)
    assert attendance_import.status == AttendanceImport.Status.FAILED
    assert [(e["line"], e["message"][:30]) for e in attendance_import.errors] == [
        (3, "No portal account uses this em"),
        (4, "Join time “yesterday-ish” is n"),
        (5, "Leave time is before join time"),
    ]
    with pytest.raises(ValidationError):
        attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    assert not Attendance.objects.exists()


def test_not_enrolled_is_an_error_unless_the_course_takes_walk_ins(session, educator, people):
    UserFactory(email="visitor@hospital.example")
    report = "email,duration\nvisitor@hospital.example,50\n"
    failed = _preview(session, educator, report)
    assert failed.errors[0]["message"].startswith("Not enrolled in this course")
    session.course.allows_walk_ins = True
    session.course.save()
    assert _preview(session, educator, report).status == AttendanceImport.Status.PREVIEWED


def test_apply_validates_again_and_writes_nothing_when_a_row_became_invalid(
        session, educator, people):
    attendance_import = _preview(session, educator,
                                 "email,duration\ndoc0@hospital.example,40\n"
                                 "doc1@hospital.example,40\n")
    people[1].enrolments.update(status="cancelled")
    result = attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    assert result.status == AttendanceImport.Status.FAILED
    assert result.errors[0]["line"] == 3
    assert not Attendance.objects.exists()


def test_applying_twice_is_refused(session, educator, people):
    attendance_import = _preview(session, educator, "email,duration\ndoc0@hospital.example,40\n")
    attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    with pytest.raises(ValidationError, match="already been applied"):
        attendance_import_apply(attendance_import=attendance_import, applied_by=educator)


def test_bom_and_windows_line_endings_are_read(session, educator, people):
    report = ("\ufeffUser Email,Duration (Minutes)\r\n"
              "doc0@hospital.example,41\r\ndoc1@hospital.example,42\r\n").encode()
    attendance_import = _preview(session, educator, report)
    assert attendance_import.status == AttendanceImport.Status.PREVIEWED
    attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    assert sorted(Attendance.objects.values_list("minutes_attended", flat=True)) == [41, 42]


def test_teams_utf16_tab_separated_report_with_a_summary_block(session, educator, people):
    report = ("1. Summary\n"
              "Meeting title\tGrand Rounds\n"
              "\n"
              "2. Participants\n"
              "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n"
              "Doc Zero\t11/24/26, 7:31:05 AM\t11/24/26, 8:01:05 AM\t30m 0s\t"
              "doc0@hospital.example\tAttendee\n"
              "\n"
              "3. In-Meeting Activities\n"
              "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
              "Doc Zero\t11/24/26, 7:31:05 AM\t11/24/26, 8:01:05 AM\t30m 0s\t"
              "doc0@hospital.example\tAttendee\n").encode("utf-16")
    attendance_import = _preview(session, educator, report)
    assert attendance_import.status == AttendanceImport.Status.PREVIEWED, \
        attendance_import.errors
    assert attendance_import.preview_rows[0]["minutes"] == 30
    assert attendance_import.preview_rows[0]["lines"] == [6]
    assert attendance_import.line_count == 1  # the activity section is not read as people


def test_duplicate_rows_for_one_person_are_merged_with_a_note(session, educator, people):
    report = ("email,join time,leave time,duration\n"
              "doc0@hospital.example,2026-11-24 07:40,2026-11-24 08:00,20\n"
              "doc1@hospital.example,2026-11-24 07:30,2026-11-24 08:30,60\n"
              "doc0@hospital.example,2026-11-24 08:05,2026-11-24 08:20,15\n")
    attendance_import = _preview(session, educator, report)
    assert attendance_import.merged_count == 1
    merged = next(r for r in attendance_import.preview_rows if r["email"].startswith("doc0"))
    assert merged["lines"] == [2, 4]
    assert merged["minutes"] == 35
    assert (merged["joined_at"], merged["left_at"]) == ("07:40", "08:20")
    assert "merged" in merged["notes"][0]
    attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    record = Attendance.objects.get(user=people[0])
    assert record.minutes_attended == 35
    assert record.checked_in_at == START + datetime.timedelta(minutes=10)


def test_import_replaces_earlier_attendance_for_the_session(session, educator, people):
    Attendance.objects.create(session=session, user=people[0], source="check_in")
    attendance_import = _preview(session, educator, "email,duration\ndoc0@hospital.example,25\n")
    assert "Replaces attendance already recorded" in attendance_import.preview_rows[0]["notes"][0]
    attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    record = Attendance.objects.get()
    assert (record.source, record.minutes_attended) == ("import", 25)


def test_oversized_file_is_rejected(session, educator, settings):
    settings.ATTENDANCE_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is"):
        _preview(session, educator, "email,duration\n" + "a@b.example,5\n" * 20)
    assert not AttendanceImport.objects.exists()


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\x00\x01\x02binary stuff",
    b"just some words, not a table\nanother line\n",
    b"",
])
def test_non_csv_file_is_rejected_with_a_clear_message(session, educator, content):
    with pytest.raises(ValidationError) as raised:
        _preview(session, educator, content, name="report.pdf")
    assert raised.value.code in {"not_csv", "no_header", "empty"}
    assert not AttendanceImport.objects.exists()


@pytest.mark.parametrize("raw,minutes", [("47", 47), ("47.6", 48), ("1:05:10", 65),
                                         ("1h 5m 10s", 65), ("30m 0s", 30), ("0:45", 45)])
def test_duration_formats(raw, minutes):
    assert parse_duration_minutes(raw) == minutes


def test_fifty_thousand_rows_take_a_bounded_number_of_queries(
        session, educator, django_assert_max_num_queries, settings):
    from accounts.models import User
    from courses.models import Enrolment

    rows = 50_000
    users = User.objects.bulk_create(User(email=f"learner{i}@hospital.example", full_name="L")
                                     for i in range(rows))
    Enrolment.objects.bulk_create(Enrolment(user=user, course=session.course, status="enrolled")
                                  for user in users)
    report = "User Email,Join Time,Leave Time\r\n" + "".join(
        f"learner{i}@hospital.example,11/24/2026 07:31:05 AM,11/24/2026 08:15:00 AM\r\n"
        for i in range(rows))
    with django_assert_max_num_queries(5):  # users, enrolments, attendances, the import
        attendance_import = _preview(session, educator, report)
    assert attendance_import.attendee_count == rows
    # lock, users, enrolments, attendances, 10 bulk inserts of 5,000, the import's update
    with django_assert_max_num_queries(20):
        attendance_import_apply(attendance_import=attendance_import, applied_by=educator)
    assert Attendance.objects.filter(session=session, minutes_attended=44).count() == rows


# --- pages ---------------------------------------------------------------------------------

def test_upload_page_shows_preview_then_applies(client, session, educator, people):
    client.force_login(educator)
    upload = SimpleUploadedFile("zoom.csv", b"email,duration\ndoc0@hospital.example,50\n")
    response = client.post(reverse("attendance:import_upload", args=[session.pk]),
                           {"report": upload})
    attendance_import = AttendanceImport.objects.get()
    assert response.url == reverse("attendance:import_detail",
                                   args=[session.pk, attendance_import.pk])
    assert "Apply attendance for 1 person" in client.get(response.url).content.decode()
    client.post(reverse("attendance:import_apply", args=[session.pk, attendance_import.pk]))
    assert Attendance.objects.get().user == people[0]


def test_rejected_file_shows_the_reason_on_the_form(client, session, educator):
    client.force_login(educator)
    upload = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    response = client.post(reverse("attendance:import_upload", args=[session.pk]),
                           {"report": upload})
    assert response.status_code == 200
    assert "This is not a CSV file" in response.content.decode()


def test_report_times_are_read_in_the_uploaders_time_zone(session, educator, people):
    educator.time_zone = "America/Los_Angeles"
    educator.save()
    report = read_participant_report(
        b"email,join time,leave time\ndoc0@hospital.example,2026-11-24 04:30,2026-11-24 05:00\n",
        session=session, time_zone=educator.time_zone)
    assert report.attendees[0].joined_at == START


def test_walk_ins_and_joins_on_another_day_are_noted(session, educator, people):
    session.course.allows_walk_ins = True
    session.course.save()
    UserFactory(email="visitor@hospital.example")
    report = read_participant_report(
        b"email,join time,leave time\n"
        b"visitor@hospital.example,2026-11-24 07:30,2026-11-24 08:00\n"
        b"doc0@hospital.example,2026-11-20 07:30,2026-11-20 08:00\n",
        session=session, time_zone="America/New_York")
    assert report.is_valid
    visitor, doc = report.attendees
    assert visitor.notes == ["Walk-in: not enrolled in the course."]
    assert doc.notes[0].startswith("Joined on another day than the session")
