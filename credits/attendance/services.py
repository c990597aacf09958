"""Every write to attendance: check-in with a code, the educator's roster, and applying an
imported participant report (all rows or none)."""
import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from courses import checkin
from courses.models import Session
from courses.session_audience import session_visible_to
from credits.attendance.imports import (
    ERRORS_KEPT,
    PREVIEW_ROWS_KEPT,
    ImportedAttendee,
    ParticipantReport,
    read_participant_report,
    reject_oversized,
)
from credits.attendance.minutes import attended_minutes, session_minutes
from credits.attendance.models import Attendance, AttendanceChange, AttendanceImport
from credits.attendance.selectors import attendance_for, is_enrolled, session_for_checkin_code


def _local(value: datetime.datetime, time_format: str = "D j M, H:i T") -> str:
    return date_format(timezone.localtime(value), time_format)


def checkin_session_lookup(*, user: User, code: str, at: datetime.datetime) -> Session:
    """The session a typed or scanned code belongs to; a wrong code counts against the user's
    allowance (in the cache), so that codes cannot be guessed by trying them all."""
    if checkin.wrong_code_limit_reached(user.pk):
        raise ValidationError(
            "Too many wrong codes in a short time. Wait 15 minutes and try again, or ask the "
            "educator in the room to mark you present.", code="rate_limited")
    code = checkin.normalise_code(code)
    session = (session_for_checkin_code(code=code, at=at)
               if checkin.is_well_formed(code) else None)
    # A cohort's own session, to someone not of the cohort, is as if there were no such session
    # (and its scanned link answers 404): nothing of it shows.
    error_code = ("wrong_code" if session is None
                  else "" if session_visible_to(session=session, user=user)
                  else "session_not_visible")
    if error_code:
        checkin.wrong_code_record(user.pk)
        raise ValidationError(
            f"“{code or '(empty)'}” is not the code of a session. Check the code on the screen "
            "(6 letters and digits) and try again.", code=error_code)
    return session


@dataclass
class CheckIn:
    attendance: Attendance
    already_checked_in: bool


def attendance_check_in(*, user: User, code: str,
                        at: datetime.datetime | None = None) -> CheckIn:
    """Record that `user` is in the room, from the code they typed or scanned.

    A second check-in is not an error: it returns the first one with `already_checked_in`.
    """
    at = at or timezone.now()
    session = checkin_session_lookup(user=user, code=code, at=at)
    title = session.display_title
    if session.is_cancelled:
        raise ValidationError(f"{title} was cancelled, so there is nothing to check in to.",
                              code="cancelled")
    existing = attendance_for(session=session, user=user)
    if existing is not None and existing.status == Attendance.Status.PRESENT:
        return CheckIn(existing, already_checked_in=True)
    if at < checkin.window_opens_at(session):
        raise ValidationError(
            f"Check-in for {title} opens at {_local(checkin.window_opens_at(session))}, "
            f"{settings.CHECKIN_OPENS_BEFORE_MINUTES} minutes before it starts. "
            "Come back then.", code="too_early")
    if at > checkin.window_closes_at(session):
        raise ValidationError(
            f"Check-in for {title} closed at {_local(checkin.window_closes_at(session))}. "
            "If you attended, ask the course director to mark you present on the roster.",
            code="too_late")
    if not session.course.allows_walk_ins and not is_enrolled(session=session, user=user):
        raise ValidationError(
            f"You are not enrolled in {session.course.title}, and this course does not take "
            "walk-ins. Enrol first, or ask the course director to add you.",
            code="not_enrolled")

    with transaction.atomic():
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            session=session, user=user,
            defaults={"status": Attendance.Status.PRESENT, "source": Attendance.Source.CHECK_IN,
                      "checked_in_at": at})
        if created:
            return CheckIn(attendance, already_checked_in=False)
        if attendance.status == Attendance.Status.PRESENT:
            return CheckIn(attendance, already_checked_in=True)
        # Marked absent on the roster beforehand, but here after all.
        attendance.status = Attendance.Status.PRESENT
        attendance.source = Attendance.Source.CHECK_IN
        attendance.checked_in_at = at
        attendance.minutes_attended = None
        attendance.recorded_by = None
        attendance.save()
        return CheckIn(attendance, already_checked_in=False)


def attendance_station_record(*, session: Session, user: User, recorded_by: User,
                              at: datetime.datetime | None = None) -> None:
    """A validator recorded the learner at a skills station of the session: present, unless
    the session already has the learner's attendance (a check-in, another station, the roster
    or a report said so, or said otherwise: that stands). One INSERT ... ON CONFLICT DO
    NOTHING, so every tap of a competency day costs the same single query."""
    Attendance.objects.bulk_create(
        [Attendance(session=session, user=user, status=Attendance.Status.PRESENT,
                    source=Attendance.Source.STATION, recorded_by=recorded_by,
                    checked_in_at=at or timezone.now())],
        ignore_conflicts=True)


@dataclass(frozen=True)
class RosterMark:
    present: bool
    minutes_attended: int | None = None


def _attendance_snapshot(attendance: Attendance | None) -> dict | None:
    if attendance is None:
        return None
    return {"status": attendance.status, "minutes_attended": attendance.minutes_attended,
            "source": attendance.source}


def _check_minutes(session: Session, minutes: int | None) -> None:
    limit = session_minutes(session)
    if minutes is not None and not 0 <= minutes <= limit:
        raise ValidationError(
            f"Minutes attended must be between 0 and the session's {limit}.",
            code="minutes_out_of_range")


def attendance_override(*, session: Session, user: User, present: bool,
                        minutes_attended: int | None, reason: str, actor: User) -> Attendance:
    """The director's correction of one learner's attendance, whatever recorded it (a late
    check-in, Zoom, Teams, a report): recorded as the director's, with the reason audited.
    Later pulls of a meeting report never replace it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for the override; it is kept in the audit trail.",
                              code="reason_required")
    _check_minutes(session, minutes_attended)
    with transaction.atomic():
        current = (Attendance.objects.select_for_update()
                   .filter(session=session, user=user).first())
        before = _attendance_snapshot(current)
        attendance = current or Attendance(session=session, user=user)
        attendance.status = (Attendance.Status.PRESENT if present
                             else Attendance.Status.ABSENT)
        attendance.minutes_attended = minutes_attended if present else None
        attendance.source = Attendance.Source.ROSTER
        attendance.recorded_by = actor
        attendance.save()
        AttendanceChange.objects.create(attendance=attendance, actor=actor, before=before,
                                        after=_attendance_snapshot(attendance), reason=reason)
    return attendance


def attendance_roster_save(*, session: Session, marks: dict[int, RosterMark],
                           recorded_by: User) -> int:
    """Save the roster: {user id: mark}. Writes only rows that changed (so a check-in keeps its
    source when the educator leaves it as it is), each audited; returns how many changed."""
    for mark in marks.values():
        _check_minutes(session, mark.minutes_attended)
    with transaction.atomic():
        existing = {attendance.user_id: attendance for attendance in
                    Attendance.objects.select_for_update().filter(session=session)}
        changed = []
        for user_id, mark in marks.items():
            status = Attendance.Status.PRESENT if mark.present else Attendance.Status.ABSENT
            minutes = mark.minutes_attended if mark.present else None
            current = existing.get(user_id)
            if current and (current.status, current.minutes_attended) == (status, minutes):
                continue
            changed.append(Attendance(
                session=session, user_id=user_id, status=status, minutes_attended=minutes,
                source=Attendance.Source.ROSTER, recorded_by=recorded_by,
                checked_in_at=current.checked_in_at if current else None))
        Attendance.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["session", "user"],
            update_fields=["status", "minutes_attended", "source", "recorded_by", "updated_at"])
        saved = Attendance.objects.filter(session=session,
                                          user_id__in=[row.user_id for row in changed])
        AttendanceChange.objects.bulk_create(
            AttendanceChange(attendance=attendance, actor=recorded_by,
                             before=_attendance_snapshot(existing.get(attendance.user_id)),
                             after=_attendance_snapshot(attendance), reason="Saved on the roster.")
            for attendance in saved)
    return len(changed)


# What a person recorded (the director's roster or override, a report they applied) is never
# replaced by a meeting report a worker pulled.
HUMAN_SOURCES = (Attendance.Source.ROSTER, Attendance.Source.IMPORT, Attendance.Source.STATION)


def attendance_record_from_meeting(*, session: Session, minutes_by_user: dict[int, int],
                                   source: str,
                                   joined_at_by_user: dict[int, datetime.datetime]) -> int:
    """Write the minutes a Zoom or Teams report gives each matched learner; returns rows written.

    A repeated pull with the same figures writes nothing. A row a person recorded is kept. A
    room check-in or the other platform's row is replaced only by more minutes (a hybrid
    learner who checked in and then left the room for Zoom counts the longer of the two).
    """
    with transaction.atomic():
        existing = {attendance.user_id: attendance for attendance in
                    Attendance.objects.select_for_update()
                    .filter(session=session, user_id__in=list(minutes_by_user))}
        rows = []
        for user_id, minutes in minutes_by_user.items():
            current = existing.get(user_id)
            if current is not None:
                current.session = session
                if current.source in HUMAN_SOURCES:
                    continue
                if current.source == source and (current.status, current.minutes_attended) == (
                        Attendance.Status.PRESENT, minutes):
                    continue
                if current.source != source and attended_minutes(current).minutes >= minutes:
                    continue
            rows.append(Attendance(
                session=session, user_id=user_id, status=Attendance.Status.PRESENT,
                minutes_attended=minutes, source=source, recorded_by=None,
                checked_in_at=(current.checked_in_at if current and current.checked_in_at
                               else joined_at_by_user.get(user_id))))
        Attendance.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["session", "user"],
            update_fields=["status", "minutes_attended", "source", "recorded_by", "checked_in_at",
                           "updated_at"], batch_size=2000)
    return len(rows)


def attendance_import_preview(*, session: Session, uploaded_file: UploadedFile,
                              uploaded_by: User) -> AttendanceImport:
    """Store an uploaded participant report with the outcome of validating every row.

    Raises ValidationError, storing nothing, when the file as a whole is unusable.
    """
    reject_oversized(uploaded_file.size)  # before reading it into memory
    data = uploaded_file.read()
    report = read_participant_report(data, session=session, time_zone=uploaded_by.time_zone)
    uploaded_file.seek(0)
    attendance_import = AttendanceImport(
        session=session, original_filename=uploaded_file.name[:255],
        time_zone=uploaded_by.time_zone, uploaded_by=uploaded_by)
    _record_report(attendance_import, report)
    attendance_import.file.save(uploaded_file.name, uploaded_file, save=False)
    attendance_import.save()
    return attendance_import


def _record_report(attendance_import: AttendanceImport, report: ParticipantReport) -> None:
    attendance_import.status = (AttendanceImport.Status.PREVIEWED if report.is_valid
                                else AttendanceImport.Status.FAILED)
    attendance_import.line_count = report.line_count
    attendance_import.attendee_count = len(report.attendees)
    attendance_import.merged_count = report.merged_count
    attendance_import.error_count = len(report.errors)
    attendance_import.errors = [error.as_dict() for error in report.errors[:ERRORS_KEPT]]
    zone = zoneinfo.ZoneInfo(attendance_import.time_zone)
    attendance_import.preview_rows = [attendee.as_preview(zone)
                                      for attendee in report.attendees[:PREVIEW_ROWS_KEPT]]


def attendance_import_apply(*, attendance_import: AttendanceImport,
                            applied_by: User) -> AttendanceImport:
    """Write every attendee of a previewed report, or nothing.

    The stored file is validated again (enrolments may have changed since the preview); if a
    row is now invalid the import is marked failed with its errors and no attendance changes.
    """
    with transaction.atomic():
        # Lock only the import row: the session and course stay free for everyone else.
        locked = (AttendanceImport.objects.select_for_update(of=("self",))
                  .select_related("session__course").get(pk=attendance_import.pk))
        if locked.status == AttendanceImport.Status.APPLIED:
            raise ValidationError("This report has already been applied.", code="applied")
        if locked.status == AttendanceImport.Status.FAILED:
            raise ValidationError("This report has errors, so it cannot be applied. Correct the "
                                  "file and upload it again.", code="failed")
        with locked.file.open("rb") as stored:
            data = stored.read()
        report = read_participant_report(data, session=locked.session,
                                         time_zone=locked.time_zone)
        _record_report(locked, report)
        if report.is_valid:
            _attendance_import_upsert(session=locked.session, attendees=report.attendees,
                                      recorded_by=applied_by)
            locked.status = AttendanceImport.Status.APPLIED
            locked.applied_by = applied_by
            locked.applied_at = timezone.now()
        locked.save()
    return locked


def _attendance_import_upsert(*, session: Session, attendees: list[ImportedAttendee],
                              recorded_by: User) -> None:
    """Insert or replace the attendance of every imported attendee in one statement.

    On PostgreSQL the rows travel as three arrays unnested by the server: one round trip, and
    none of the per-object SQL compilation that makes bulk_create the slowest part of a
    50,000-row import. A check-in time already recorded is kept.
    """
    if connection.vendor != "postgresql":
        Attendance.objects.bulk_create(
            [Attendance(session=session, user_id=attendee.user_id,
                        status=Attendance.Status.PRESENT, minutes_attended=attendee.minutes,
                        source=Attendance.Source.IMPORT, checked_in_at=attendee.joined_at,
                        recorded_by=recorded_by) for attendee in attendees],
            update_conflicts=True, unique_fields=["session", "user"],
            update_fields=["status", "minutes_attended", "source", "recorded_by", "updated_at"],
            batch_size=2000)
        return
    table = Attendance._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (session_id, user_id, status, minutes_attended, source,
                                 checked_in_at, recorded_by_id, updated_at)
            SELECT %s, imported.user_id, %s, imported.minutes, %s, imported.joined_at, %s, now()
            FROM unnest(%s::bigint[], %s::integer[], %s::timestamptz[])
                 AS imported(user_id, minutes, joined_at)
            ON CONFLICT (session_id, user_id) DO UPDATE SET
                status = EXCLUDED.status, minutes_attended = EXCLUDED.minutes_attended,
                source = EXCLUDED.source, recorded_by_id = EXCLUDED.recorded_by_id,
                updated_at = EXCLUDED.updated_at
            """,  # noqa: S608  (the table name is ours, every value a parameter)
            [session.pk, Attendance.Status.PRESENT.value, Attendance.Source.IMPORT.value,
             recorded_by.pk, [attendee.user_id for attendee in attendees],
             [attendee.minutes for attendee in attendees],
             [attendee.joined_at for attendee in attendees]])
