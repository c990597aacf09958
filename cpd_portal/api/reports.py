"""For integrations holding a service token with the `reports` scope: change feeds of credit
records and completions (cursor-paginated, for a nightly sync) and one activity's enrolments
and attendance."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from courses.models import Course
from cpd_portal import replica
from credits.attendance.selectors import course_participation
from credits.reports.sync import (
    EPOCH,
    CursorInvalid,
    SyncCursor,
    completions_after,
    credit_record_change_cursor,
    credit_record_changes_after,
)

from . import schemas
from .auth import ApiError, TokenAuth
from .errors import responses

router = Router(tags=["Reports (service tokens)"], auth=TokenAuth("reports"))


def _start(since: datetime.datetime | None, cursor: str | None) -> SyncCursor:
    if cursor:
        try:
            return SyncCursor.decode(cursor)
        except CursorInvalid as error:
            raise ApiError(422, str(error)) from error
    if since is None:
        return SyncCursor(at=EPOCH)
    try:
        return SyncCursor.since(since)
    except OverflowError as error:
        raise ApiError(422, "'since' is out of range: give a date and time after 1970.") from error


def _learner(user) -> dict:
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "npi": user.npi}


FEED_HELP = ("Oldest first. Start with `since` (ISO 8601; everything from that moment), then "
             "pass the `next_cursor` of the previous answer as `cursor`; store the last "
             "`next_cursor` for the next sync. Changes younger than API_SYNC_SETTLE_SECONDS "
             "come in a later sync.")


@router.get("/reports/credit-records", url_name="api_credit_records",
            response=responses(schemas.CreditRecordFeed, 422),
            summary="Credit-record changes since a moment", description=FEED_HELP)
def credit_records(request, since: schemas.IsoDateTime | None = None, cursor: str | None = None,
                   limit: int = Query(100, ge=1, le=500)):
    start = _start(since, cursor)
    changes = credit_record_changes_after(cursor=start, limit=limit + 1)
    page = changes[:limit]
    return {
        "results": [{
            "change_id": change.pk, "changed_at": change.changed_at, "action": change.action,
            "record_id": change.record_id, "learner": _learner(change.record.user),
            "activity_title": (change.record.course.title if change.record.course_id
                               else change.record.external_activity.title),
            "course_id": change.record.course_id, "credit_type": change.record.credit_type,
            "amount": change.record.amount, "completed_on": change.record.completed_on,
            "status": change.record.status,
        } for change in page],
        "next_cursor": (credit_record_change_cursor(page[-1]) if page else start).encode(),
        "has_more": len(changes) > limit,
    }


@router.get("/reports/completions", url_name="api_completions",
            response=responses(schemas.CompletionFeed, 422),
            summary="Session attendance and online completions since a moment",
            description=FEED_HELP)
def completions(request, since: schemas.IsoDateTime | None = None, cursor: str | None = None,
                limit: int = Query(100, ge=1, le=500)):
    start = _start(since, cursor)
    items = completions_after(cursor=start, limit=limit + 1)
    page = items[:limit]
    results = []
    for item in page:
        if item.attendance is not None:
            row, session = item.attendance, item.attendance.session
            results.append({
                "kind": item.kind, "changed_at": item.at, "learner": _learner(row.user),
                "course_id": session.course_id, "activity_title": session.course.title,
                "session_id": session.pk, "session_starts_at": session.starts_at,
                "status": row.status, "minutes_attended": row.minutes_attended,
                "completed_on": None})
        else:
            row = item.progress
            results.append({
                "kind": item.kind, "changed_at": item.at, "learner": _learner(row.user),
                "course_id": row.course_id, "activity_title": row.course.title,
                "session_id": None, "session_starts_at": None, "status": "completed",
                "minutes_attended": None, "completed_on": row.completed_on})
    return {"results": results,
            "next_cursor": (page[-1].cursor if page else start).encode(),
            "has_more": len(items) > limit}


@router.get("/reports/courses/{course_id}/participation", url_name="api_participation",
            response=responses(schemas.CourseParticipation, 404),
            summary="One activity's enrolments and attendance")
def participation(request, course_id: int):
    course = get_object_or_404(Course, pk=course_id)
    result = replica.reads_from_replica(course_participation)(course=course)
    return {
        "course_id": course.pk, "slug": course.slug, "title": course.title,
        "enrolments": [{"learner": _learner(e.user), "status": e.status,
                        "enrolled_at": e.created_at} for e in result.enrolments],
        "attendance": [{"learner": _learner(a.user), "session_id": a.session_id,
                        "session_starts_at": a.session.starts_at, "status": a.status,
                        "minutes_attended": a.minutes_attended, "source": a.source}
                       for a in result.attendances],
    }
