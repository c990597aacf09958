"""Fuzzed participant reports through the real upload and apply views (encodings, delimiters,
broken quoting, huge fields, formula cells, odd dates and durations). Never a 500; a report is
applied whole or not at all; nothing half-written.

Files a run: 500 in the suite, 1,000 with FULL_FUZZ=1, 10,000 with HYPOTHESIS_PROFILE=thorough
(five times the Hypothesis profile's max_examples; the profiles are in tests/conftest.py). About
one file in fifty is applied whole (6 to 21 of 500 in five runs), so 500 still reach every
outcome."""
import codecs
import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from credits.models import Attendance, AttendanceImport
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 24, 12, 30, tzinfo=datetime.UTC)
FILES_PER_RUN = hypothesis_settings.default.max_examples * 5
ENROLLED = [f"doc{n}@hospital.example" for n in range(4)]
WALK_IN = "walkin@hospital.example"

HEADERS = {
    "email": ["User Email", "Email", "email", "Attendee Email", "E-mail", "Email Address"],
    "name": ["Name (Original Name)", "Full Name", "Participant", "name"],
    "joined": ["Join Time", "First Join", "Joined", "join time"],
    "left": ["Leave Time", "Last Leave", "Left"],
    "duration": ["Duration (Minutes)", "Duration", "In-Meeting Duration", "Minutes Attended"],
    "extra": ["Guest", "Recording Consent", "Role", "=1+1"],
}
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1-1", "-2+3", "@SUM(A1:A9)",
            "\t=cmd|' /C calc'!A0", "=1/0"]
ODD_TIMES = ["02/30/2026 07:00 AM", "2026-13-01 07:00", "00/00/0000 00:00", "12/31/9999 11:59 PM",
             "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1/1/1 1:1",
             "2026-11-24T07:31:00+25:00", "11/24/26, 13:30:00 PM", "yesterday", "", "24:00",
             "2026-11-24 07:31:00.123456789", "١١/٢٤/٢٠٢٦ ٠٧:٣١"]
ODD_DURATIONS = ["47", "47.5", "1:05:10", "1h 5m 10s", "-5", "1e400", "NaN", "sNaN", "Infinity",
                 "99999999999999999999", "", "1:60:99", "0x1F", "½", "٤٧", "1,5", " ", "3m",
                 "-0", "1:", ":", "h", "00:00:00:01"]


def _time_formats(moment: datetime.datetime) -> list[str]:
    return [moment.strftime("%m/%d/%Y %I:%M:%S %p"), moment.isoformat(),
            moment.strftime("%Y-%m-%d %H:%M"), moment.strftime("%m/%d/%y, %I:%M:%S %p")]


times = st.one_of(
    st.integers(min_value=-2000, max_value=2000).flatmap(lambda minutes: st.sampled_from(
        _time_formats(START + datetime.timedelta(minutes=minutes)))),
    st.sampled_from(ODD_TIMES),
    st.text(max_size=20))
durations = st.one_of(st.integers(min_value=-100, max_value=10**6).map(str),
                      st.sampled_from(ODD_DURATIONS), st.text(max_size=12))
enrolled_emails = st.tuples(
    st.sampled_from(ENROLLED), st.sampled_from(["{}", "{} ", " {}"]), st.booleans(),
).map(lambda t: t[1].format(t[0].upper() if t[2] else t[0]))
emails = st.one_of(
    enrolled_emails, st.just(WALK_IN), st.just("nobody@elsewhere.example"), st.just(""),
    st.sampled_from(FORMULAS), st.emails().map(str), st.text(max_size=30))
names = st.one_of(st.text(max_size=40), st.sampled_from(FORMULAS + ["Dr. Priya Raman, MD"]))
CELLS = {"email": emails, "name": names, "joined": times, "left": times,
         "duration": durations, "extra": st.text(max_size=10)}


# Cells of a report as Zoom or Teams writes it, so that some files are wholly valid.
TIDY_CELLS = {"email": enrolled_emails, "name": st.sampled_from(["Priya Raman", "Sam Okafor"]),
              "joined": st.integers(min_value=-10, max_value=30).map(
                  lambda m: (START + datetime.timedelta(minutes=m)).isoformat()),
              "left": st.integers(min_value=31, max_value=90).map(
                  lambda m: (START + datetime.timedelta(minutes=m)).isoformat()),
              "duration": st.integers(min_value=0, max_value=120).map(str),
              "extra": st.sampled_from(["No", "Yes", ""])}


@st.composite
def participant_reports(draw) -> tuple[str, bytes]:
    """A participant report file as an educator might upload it: (filename, bytes)."""
    columns = ["email"] if draw(st.integers(min_value=0, max_value=9)) else []
    columns += draw(st.sampled_from([["duration"], ["joined", "left"],
                                     ["joined", "left", "duration"], ["joined"], []]))
    columns += draw(st.lists(st.sampled_from(["name", "extra"]), max_size=2, unique=True))
    columns = draw(st.permutations(columns))
    header = [draw(st.sampled_from(HEADERS[column])) for column in columns]
    tidy = draw(st.booleans())
    rows = [[draw(TIDY_CELLS[column] if tidy and draw(st.integers(0, 15)) else CELLS[column])
             for column in columns]
            for _ in range(draw(st.integers(min_value=0, max_value=12)))]
    if rows and columns and draw(st.integers(min_value=0, max_value=9)) == 0:  # a huge field
        rows[0][0] = draw(st.sampled_from(["x", "é", '"'])) * draw(
            st.sampled_from([5_000, 140_000]))
    delimiter = draw(st.sampled_from([",", ",", "\t", ";", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))

    def render(cells: list[str], *, header: bool = False) -> str:
        quoting = draw(st.sampled_from(["none", "proper"] if header else
                                       ["none", "proper", "broken"]))
        if quoting == "proper":
            cells = ['"' + cell.replace('"', '""') + '"' for cell in cells]
        elif quoting == "broken" and cells:
            position = draw(st.integers(min_value=0, max_value=len(cells) - 1))
            cells = [*cells]
            cells[position] = '"' + cells[position]
        return delimiter.join(cells)

    preamble = draw(st.lists(st.sampled_from(["Meeting ID,Topic,Start Time",
                                              "1. Summary", "814 2233 9041,Sepsis rounds,",
                                              "Total Number of Participants\t12"]), max_size=3))
    lines = [*preamble, render(header, header=True), *(render(row) for row in rows)]
    if draw(st.booleans()):
        lines.append("3. In-Meeting Activities")
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                                     "utf-16-be", "latin-1", "cp1252", "garbage"]))
    if encoding == "garbage":
        data = draw(st.binary(max_size=300))
    else:
        data = (codecs.BOM_UTF8 if encoding == "utf-8-sig" else b"") + text.encode(
            "utf-8" if encoding == "utf-8-sig" else encoding, errors="replace")
    if draw(st.integers(min_value=0, max_value=19)) == 0:
        data += b"\x00" * 3 + draw(st.binary(max_size=50))
    return draw(st.sampled_from(["participants.csv", "report.txt", "a" * 300 + ".csv"])), data


def _attendance_rows(session) -> set[tuple]:
    return set(Attendance.objects.filter(session=session).values_list(
        "user_id", "status", "minutes_attended", "source"))


def test_fuzzed_reports_never_fail_and_apply_all_or_nothing(client, educator):
    course = CourseFactory(directors=[educator], allows_walk_ins=False)
    session = SessionFactory(course=course, starts_at=START,
                             ends_at=START + datetime.timedelta(minutes=60))
    for email in ENROLLED:
        EnrolmentFactory(course=course, user=UserFactory(email=email))
    UserFactory(email=WALK_IN)
    client.force_login(educator)
    upload_url = reverse("attendance:import_upload", args=[session.pk])
    outcomes = {"rejected": 0, "failed": 0, "applied": 0}
    started = time.monotonic()

    @hypothesis_settings(max_examples=FILES_PER_RUN)
    @given(report=participant_reports())
    def upload_then_apply(report):
        filename, data = report
        before_rows, before_imports = _attendance_rows(session), AttendanceImport.objects.count()
        response = client.post(upload_url, {"report": SimpleUploadedFile(filename, data)})
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:  # the file as a whole was refused, with a reason
            assert b'class="field-error' in response.content or b"errorlist" in response.content
            assert AttendanceImport.objects.count() == before_imports
            assert _attendance_rows(session) == before_rows
            outcomes["rejected"] += 1
            return
        attendance_import = AttendanceImport.objects.latest("pk")
        assert _attendance_rows(session) == before_rows  # a preview writes no attendance
        apply = client.post(reverse("attendance:import_apply",
                                    args=[session.pk, attendance_import.pk]))
        assert apply.status_code == 302
        attendance_import.refresh_from_db()
        after_rows = _attendance_rows(session)
        if attendance_import.status != AttendanceImport.Status.APPLIED:
            assert attendance_import.errors, "a failed report names its rows"
            assert all(error["line"] >= 1 and error["message"] for error in
                       attendance_import.errors)
            assert after_rows == before_rows
            outcomes["failed"] += 1
            return
        imported = {row["email"] for row in attendance_import.preview_rows}
        written = set(Attendance.objects.filter(session=session, source="import",
                                                user__email__in=imported)
                      .values_list("user__email", flat=True))
        assert written == imported and len(imported) == attendance_import.attendee_count
        untouched = {row for row in before_rows if row[0] not in set(
            Attendance.objects.filter(session=session, user__email__in=imported)
            .values_list("user_id", flat=True))}
        assert untouched <= after_rows
        outcomes["applied"] += 1

    upload_then_apply()
    cases = sum(outcomes.values())
    print(f"attendance import fuzz: {cases} files in {time.monotonic() - started:.1f} s "
          f"{outcomes}")
    assert cases >= FILES_PER_RUN
    assert all(outcomes.values()), outcomes  # every outcome was reached
