"""Read a video-meeting participant report (Zoom, Teams, ...) and validate every row against a
session, without writing anything: `read_participant_report` returns the attendees to record
and every problem by line number. Writing is `credits.attendance.services`'s job.

Reports vary: a UTF-8 BOM, UTF-16 (Teams), Windows line endings, commas or tabs, a summary block
above the participant table, US or ISO times, durations in minutes or as "1h 5m 10s".
Duplicate rows for one person (they dropped off and rejoined) are merged.
"""
import csv
import datetime
import io
import itertools
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from accounts.models import User
from courses.models import Enrolment, Session
from credits.attendance.models import Attendance

# A participant table is found if its header is within the first lines (Zoom puts a meeting
# summary above it).
HEADER_SEARCH_LINES = 30
ERRORS_KEPT = 1000
# A join this far from the session's start suggests the report of another meeting.
OFF_DATE = datetime.timedelta(hours=12)
PREVIEW_ROWS_KEPT = 500
# Times outside these years are typing errors (and 0001 or 9999 cannot be shown in every zone).
PLAUSIBLE_YEARS = (1970, 2200)

COLUMN_ALIASES = {
    "email": {"email", "emailaddress", "useremail", "attendeeemail", "participantemail",
              "emailid", "mail"},
    "name": {"name", "nameoriginalname", "username", "fullname", "displayname", "participant",
             "participantname", "attendeename"},
    "joined": {"jointime", "joined", "firstjoin", "firstjointime", "joinedat", "firstjoined",
               "jointimestamp"},
    "left": {"leavetime", "left", "lastleave", "lastleavetime", "leftat", "lastleft",
             "leavetimestamp"},
    "duration": {"durationminutes", "duration", "durationmins", "minutes", "minutesattended",
                 "inmeetingduration", "attendanceduration", "timeinsession",
                 "timeinsessionminutes"},
}
_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items()
                    for alias in aliases}

US_TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S",
                   "%m/%d/%Y %H:%M", "%m/%d/%y, %I:%M:%S %p", "%m/%d/%y %I:%M:%S %p",
                   "%m/%d/%Y, %I:%M:%S %p", "%m/%d/%y %I:%M %p", "%m/%d/%y %H:%M")
_HMS = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$", re.I)
_SECTION_HEADING = re.compile(r"^\s*\d+\.\s+\S")
TIME_EXAMPLE = "2026-11-24 07:31 or 11/24/2026 07:31:05 AM"


@dataclass
class RowError:
    line: int
    email: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "email": self.email, "message": self.message}


@dataclass
class ImportedAttendee:
    """One person's attendance, from one or more rows of the report."""

    email: str
    name: str
    lines: list[int]
    minutes: int
    joined_at: datetime.datetime | None
    left_at: datetime.datetime | None
    user_id: int | None = None
    notes: list[str] = field(default_factory=list)

    def as_preview(self, zone: zoneinfo.ZoneInfo) -> dict:
        def clock(value: datetime.datetime | None) -> str:
            return f"{value.astimezone(zone):%H:%M}" if value else ""

        return {"lines": self.lines, "email": self.email, "name": self.name,
                "minutes": self.minutes, "notes": self.notes,
                "joined_at": clock(self.joined_at), "left_at": clock(self.left_at)}


@dataclass
class ParticipantReport:
    line_count: int
    attendees: list[ImportedAttendee]
    errors: list[RowError]
    merged_count: int

    @property
    def is_valid(self) -> bool:
        return not self.errors


def reject_oversized(size: int) -> None:
    limit = settings.ATTENDANCE_IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"The file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB. "
            "Export the participant report for this session only.", code="too_large")


def decode_report(data: bytes) -> str:
    """The report as text, or ValidationError when it is too large or not a text file."""
    reject_oversized(len(data))
    if not data.strip():
        raise ValidationError("The file is empty.", code="empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Teams saves UTF-16 with a BOM
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in text:  # no text file holds NUL characters
                return text
    elif b"\x00" not in data[:8192]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel's plain "CSV (Comma delimited)" is Windows-1252.
            text = data.decode("cp1252", errors="replace")
            if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
                return text
        else:
            if "\x00" not in text:
                return text
    raise ValidationError(
        "This is not a CSV file. Upload the participant report as CSV (in Zoom: Reports > "
        "Usage > Participants > Export; in Teams: Attendance report > Download).",
        code="not_csv")


def _csv_unreadable(error: csv.Error, line: int) -> ValidationError:
    """A file the CSV reader gives up on (a cell longer than the reader's limit of 131,072
    characters, or a character no text file holds): refused whole, naming the line."""
    return ValidationError(
        f"Line {line} cannot be read as CSV ({error}). Export the participant report again "
        "without editing it, or remove that line.", code="unreadable")


def _column_for(header_cell: str) -> str | None:
    return _ALIAS_TO_COLUMN.get(re.sub(r"[^a-z]", "", header_cell.lower()))


def _find_table(text: str) -> tuple[str, int, dict[str, int]]:
    """The delimiter, the header's line number and the column positions."""
    head = list(itertools.islice(io.StringIO(text, newline=""), HEADER_SEARCH_LINES))
    for delimiter in (",", "\t", ";"):
        if not any(delimiter in line for line in head):
            continue
        reader = csv.reader(head, delimiter=delimiter)
        for line_number, row in _rows_or_refuse(reader):
            columns: dict[str, int] = {}
            for position, cell in enumerate(row):
                column = _column_for(cell)
                if column and column not in columns:
                    columns[column] = position
            if "email" in columns:
                if "duration" not in columns and not {"joined", "left"} <= columns.keys():
                    raise ValidationError(
                        "The report has an email column but neither a duration column nor "
                        "join and leave times, so attendance cannot be worked out.",
                        code="no_duration")
                return delimiter, line_number, columns
    raise ValidationError(
        "No header row with an email column was found. This does not look like a participant "
        "report: the first row should name the columns (for example User Email, Join Time, "
        "Leave Time, Duration (Minutes)).", code="no_header")


def _rows_or_refuse(reader) -> Iterable[tuple[int, list[str]]]:
    """(line number, row) from a csv reader; a csv.Error becomes a ValidationError."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_unreadable(error, reader.line_num) from error
        yield reader.line_num, row


# The common US shapes, parsed without strptime (which dominates a 50,000-row import).
_US_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),? +(\d{1,2}):(\d{2})(?::(\d{2}))?"
                      r"(?: *([AaPp])\.?[Mm]\.?)?$")


def _us_time(raw: str) -> datetime.datetime | None:
    match = _US_TIME.match(raw)
    if not match:
        return None
    month, day, year, hour, minute, second, meridiem = match.groups()
    year, hour = int(year), int(hour)
    if year < 100:
        year += 2000
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem in "Pp" else 0)
    try:
        return datetime.datetime(year, int(month), int(day), hour, int(minute), int(second or 0))
    except ValueError:
        return None


class _TimeReader:
    """Parses report times, remembering the format that worked last (50,000 rows share one)."""

    def __init__(self, zone: zoneinfo.ZoneInfo):
        self.zone = zone
        self.last_format: str | None = None
        self.seen: dict[str, datetime.datetime] = {}  # reports repeat times (meeting end)

    def __call__(self, raw: str) -> datetime.datetime:
        raw = raw.strip()
        value = self.seen.get(raw)
        if value is None:
            value = self.seen[raw] = self._parse(raw)
        return value

    def _parse(self, raw: str) -> datetime.datetime:
        value = _us_time(raw)
        if value is None and self.last_format:
            value = self._try(raw, self.last_format)
        if value is None:
            try:
                value = datetime.datetime.fromisoformat(raw)
            except ValueError:
                for time_format in US_TIME_FORMATS:
                    value = self._try(raw, time_format)
                    if value is not None:
                        self.last_format = time_format
                        break
        if value is None or not PLAUSIBLE_YEARS[0] <= value.year <= PLAUSIBLE_YEARS[1]:
            raise ValueError(raw)
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return value

    @staticmethod
    def _try(raw: str, time_format: str) -> datetime.datetime | None:
        try:
            return datetime.datetime.strptime(raw, time_format)
        except ValueError:
            return None


def parse_duration_minutes(raw: str) -> int:
    """Minutes from "47", "47.5", "1:05:10" (h:mm:ss), "1:05" (h:mm) or "1h 5m 10s"."""
    raw = raw.strip()
    try:
        return int(Decimal(raw).quantize(Decimal(1)))
    except InvalidOperation:
        pass
    if ":" in raw:
        parts = raw.split(":")
        if len(parts) in (2, 3) and all(part.isdigit() for part in parts):
            hours, minutes, seconds = (int(p) for p in (parts + ["0"])[:3])
            return round((hours * 3600 + minutes * 60 + seconds) / 60)
    match = _HMS.match(raw)
    if raw and match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return round((hours * 3600 + minutes * 60 + seconds) / 60)
    raise ValueError(raw)


def users_by_email(emails: Iterable[str]) -> dict[str, int]:
    """Lower-cased email -> user id, in one query on PostgreSQL (an array parameter)."""
    emails = list(emails)
    users = User.objects.annotate(email_lower=Lower("email"))
    if connection.vendor == "postgresql":
        found = users.filter(RawSQL("lower(email) = ANY(%s)", (emails,),
                                    output_field=BooleanField()))
        return dict(found.values_list("email_lower", "pk"))
    result = {}
    for start in range(0, len(emails), 500):
        chunk = users.filter(email_lower__in=emails[start:start + 500])
        result.update(chunk.values_list("email_lower", "pk"))
    return result


def read_participant_report(data: bytes, *, session: Session,
                            time_zone: str) -> ParticipantReport:
    """Validate a participant report for `session`: 3 queries, however many rows.

    Raises ValidationError when the file as a whole is unusable (too large, not CSV, no
    header); row problems are returned in the report's `errors`, by line number.
    """
    text = decode_report(data)
    delimiter, header_line, columns = _find_table(text)
    read_time = _TimeReader(zoneinfo.ZoneInfo(time_zone))
    errors: list[RowError] = []
    by_email: dict[str, ImportedAttendee] = {}
    merged_count = line_count = 0

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for _line, row in _rows_or_refuse(reader):
        if reader.line_num <= header_line:
            continue
        if not any(cell.strip() for cell in row):
            continue
        if line_count and len(row) == 1 and _SECTION_HEADING.match(row[0]):
            break  # Teams: "3. In-Meeting Activities" repeats everyone, join by join
        line = reader.line_num
        line_count += 1

        def cell(column: str, row=row) -> str:
            position = columns.get(column)
            return row[position].strip() if position is not None and position < len(row) else ""

        email = cell("email").lower()
        row_errors = []
        if not email:
            row_errors.append("No email address.")
        elif "@" not in email or " " in email:
            row_errors.append(f"“{email}” is not an email address.")
        times = {}
        for column, label in (("joined", "Join time"), ("left", "Leave time")):
            raw = cell(column)
            if raw:
                try:
                    times[column] = read_time(raw)
                except ValueError:
                    row_errors.append(f"{label} “{raw}” is not a date and time "
                                      f"(use {TIME_EXAMPLE}).")
        joined_at, left_at = times.get("joined"), times.get("left")
        if joined_at and left_at and left_at < joined_at:
            row_errors.append("Leave time is before join time.")
        minutes = None
        raw_duration = cell("duration")
        if raw_duration:
            try:
                minutes = parse_duration_minutes(raw_duration)
            except ValueError:
                row_errors.append(f"Duration “{raw_duration}” is not a number of minutes.")
            else:
                if minutes < 0:
                    row_errors.append("Duration is negative.")
        elif joined_at and left_at and left_at >= joined_at:
            minutes = round((left_at - joined_at).total_seconds() / 60)
        elif not row_errors:
            row_errors.append("No duration, and no join and leave times to work it out from.")
        if row_errors:
            errors.extend(RowError(line, email, message) for message in row_errors)
            continue

        attendee = by_email.get(email)
        if attendee is None:
            by_email[email] = ImportedAttendee(email=email, name=cell("name"), lines=[line],
                                               minutes=minutes, joined_at=joined_at,
                                               left_at=left_at)
            continue
        merged_count += 1
        attendee.lines.append(line)
        attendee.minutes += minutes
        if joined_at and (attendee.joined_at is None or joined_at < attendee.joined_at):
            attendee.joined_at = joined_at
        if left_at and (attendee.left_at is None or left_at > attendee.left_at):
            attendee.left_at = left_at

    user_ids = users_by_email(by_email)
    enrolled = set(Enrolment.objects.filter(
        course_id=session.course_id, status=Enrolment.Status.ENROLLED,
    ).values_list("user_id", flat=True))
    existing_sources = dict(Attendance.objects.filter(session=session)
                            .values_list("user_id", "source"))
    source_labels = dict(Attendance.Source.choices)
    session_minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    attendees = []
    for email, attendee in by_email.items():
        user_id = user_ids.get(email)
        problem = None
        if user_id is None:
            problem = "No portal account uses this email address."
        elif user_id not in enrolled and not session.course.allows_walk_ins:
            problem = "Not enrolled in this course (the course does not take walk-ins)."
        if problem:
            errors.extend(RowError(line, email, problem) for line in attendee.lines)
            continue
        attendee.user_id = user_id
        if user_id not in enrolled:
            attendee.notes.append("Walk-in: not enrolled in the course.")
        if attendee.joined_at and abs(attendee.joined_at - session.starts_at) > OFF_DATE:
            attendee.notes.append("Joined on another day than the session: check that this is "
                                  "the report of this session.")
        if len(attendee.lines) > 1:
            attendee.notes.append(
                f"Rows on lines {', '.join(map(str, attendee.lines))} merged "
                f"({attendee.minutes} minutes in all).")
        if attendee.minutes > session_minutes:
            attendee.notes.append(f"Counted as the session's {session_minutes} minutes.")
            attendee.minutes = session_minutes
        if user_id in existing_sources:
            previous = source_labels[existing_sources[user_id]].lower()
            attendee.notes.append(f"Replaces attendance already recorded ({previous}).")
        attendees.append(attendee)
    errors.sort(key=lambda error: error.line)
    return ParticipantReport(line_count=line_count, attendees=attendees, errors=errors,
                             merged_count=merged_count)
