"""Enrolment writes: enrol, cancel, waitlist, approval decisions and automatic promotion.

Every write locks the course row first (`select_for_update`) inside one transaction, so two
clinicians racing for the last seat are served one after the other: seat counts and waitlist
positions are read and written under the same lock. The partial unique constraints on
Enrolment (one active per clinician and course, one clinician per waitlist position) back this
up at the database level.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import OutgoingMessage, User
from accounts.services import outgoing_message_batch_queue, outgoing_message_queue
from courses.models import Course, Enrolment
from courses.session_audience import public_sessions_q, sessions_visible_q

# Waitlist positions are renumbered in two UPDATEs through this offset so that no row ever
# takes a position another row still holds (the unique index is checked row by row).
_RENUMBER_OFFSET = 1_000_000


def _course_lock(course_id: int) -> Course:
    return Course.objects.select_for_update().get(pk=course_id)


def _enrolled_count(course: Course) -> int:
    return course.enrolments.filter(status=Enrolment.Status.ENROLLED).count()


def _has_free_seat(course: Course) -> bool:
    return course.capacity is None or _enrolled_count(course) < course.capacity


def _next_waitlist_position(course: Course) -> int:
    # Positions are kept contiguous (1..n), so the next one is the count plus one.
    return course.enrolments.filter(status=Enrolment.Status.WAITLISTED).count() + 1


def _waitlist_close_gap(course: Course, *, after_position: int) -> None:
    """Move everyone behind a freed position one place forward, keeping 1..n contiguous."""
    behind = course.enrolments.filter(status=Enrolment.Status.WAITLISTED,
                                      waitlist_position__gt=after_position)
    behind.update(waitlist_position=F("waitlist_position") + _RENUMBER_OFFSET)
    course.enrolments.filter(
        status=Enrolment.Status.WAITLISTED, waitlist_position__gt=_RENUMBER_OFFSET,
    ).update(waitlist_position=F("waitlist_position") - _RENUMBER_OFFSET - 1)


def _upcoming_sessions(course: Course, *, now: datetime.datetime | None = None,
                       user: User | None = None) -> list[dict]:
    """The next five sessions `user` may see (public ones when None), as the enrolment emails
    list them."""
    visible = public_sessions_q() if user is None else sessions_visible_q(user=user)
    return [{"title": session.display_title, "starts_at": session.starts_at.isoformat(),
             "ends_at": session.ends_at.isoformat(),
             "location": session.location or ("Online" if session.online_url else "")}
            for session in course.sessions.filter(visible, is_cancelled=False,
                                                  ends_at__gte=now or timezone.now())[:5]]


def _email(enrolment: Enrolment, kind: str, *, occurrence: str, sessions: list[dict],
           now: datetime.datetime | None = None) -> dict:
    course = enrolment.course
    return {"recipient": enrolment.user, "kind": kind, "object_key": f"enrolment:{enrolment.pk}",
            "occurrence": occurrence or (now or timezone.now()).strftime("%Y%m%dT%H%M%S.%f"),
            "context": {"course_title": course.title, "course_path": course.get_absolute_url(),
                        "status": enrolment.status,
                        "waitlist_position": enrolment.waitlist_position,
                        "sessions": sessions}}


def _notify(enrolment: Enrolment, kind: str, *, occurrence: str = "",
            now: datetime.datetime | None = None) -> None:
    """Queue the email about this enrolment event; sent by Celery after commit."""
    outgoing_message_queue(**_email(enrolment, kind, occurrence=occurrence, now=now,
                                    sessions=_upcoming_sessions(enrolment.course, now=now,
                                                                user=enrolment.user)))


def _promote_waitlisted(course: Course) -> list[Enrolment]:
    """Give each free seat to the first person on the waitlist, in order."""
    promoted = []
    while _has_free_seat(course):
        first = (course.enrolments.select_for_update().select_related("user")
                 .filter(status=Enrolment.Status.WAITLISTED).order_by("waitlist_position")
                 .first())
        if first is None:
            break
        position = first.waitlist_position
        first.status = Enrolment.Status.ENROLLED
        first.waitlist_position = None
        first.save(update_fields=["status", "waitlist_position", "updated_at"])
        _waitlist_close_gap(course, after_position=position)
        first.course = course
        # An enrolment leaves the waitlist once, so its promotion email has one key.
        _notify(first, "enrolment_promoted", occurrence="promoted")
        promoted.append(first)
    return promoted


@transaction.atomic
def enrolment_create(*, user: User, course: Course,
                     now: datetime.datetime | None = None) -> Enrolment:
    """Enrol `user`, or waitlist them when full, or ask for approval when the course needs it.

    `now` is the moment of the request (the present, or a past one the demo's history
    replays): the course must be open for enrolment then.
    """
    now = now or timezone.now()
    course = _course_lock(course.pk)
    if not course.is_open_for_enrolment(now=now, user=user):
        raise ValidationError("This activity is not open for enrolment.")
    if course.enrolments.filter(user=user, status__in=Enrolment.ACTIVE_STATUSES).exists():
        raise ValidationError("You already have a place or a request for this activity.")
    if course.approval_required:
        status, position, kind = Enrolment.Status.PENDING, None, "enrolment_pending"
    elif _has_free_seat(course):
        status, position, kind = Enrolment.Status.ENROLLED, None, "enrolment_confirmed"
    else:
        status, position = Enrolment.Status.WAITLISTED, _next_waitlist_position(course)
        kind = "enrolment_waitlisted"
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(user=user, course=course, status=status,
                                                 waitlist_position=position)
    except IntegrityError as error:
        # Same clinician enrolling from two tabs at once: the constraint caught the second.
        raise ValidationError(
            "You already have a place or a request for this activity.") from error
    _notify(enrolment, kind, now=now)
    return enrolment


@transaction.atomic
def enrolments_create_for_all(*, users: list[User], course: Course) -> list[Enrolment] | None:
    """Give each of `users` a place at once (an assignment of an online activity), in a fixed
    number of queries whatever their number, with the confirmation email each.

    Only when every one of them gets a seat outright: None, with nothing written, when the
    course asks for approval, has fewer free seats than learners, or one of them already has
    a place or a request. The caller then enrols them one at a time (`enrolment_create`),
    which waitlists, asks for approval or refuses as for a learner enrolling themselves.
    """
    course = _course_lock(course.pk)
    if not course.is_open_for_enrolment(now=timezone.now()):
        raise ValidationError("This activity is not open for enrolment.")
    if course.approval_required:
        return None
    if course.capacity is not None and course.capacity - _enrolled_count(course) < len(users):
        return None
    if course.enrolments.filter(user__in=users, status__in=Enrolment.ACTIVE_STATUSES).exists():
        return None
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(user=user, course=course, status=Enrolment.Status.ENROLLED) for user in users)
    sessions = _upcoming_sessions(course)
    outgoing_message_batch_queue(messages=[
        OutgoingMessage(**_email(enrolment, "enrolment_confirmed", occurrence="",
                                 sessions=sessions)) for enrolment in enrolments])
    return enrolments


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by: User) -> Enrolment:
    """Cancel a place, a waitlist spot or a pending request (the clinician, a course director
    removing the place, or the CME office); a freed seat goes to the waitlist."""
    course = _course_lock(enrolment.course_id)
    enrolment = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment.pk)
    if (by.pk != enrolment.user_id and not by.is_administrator
            and not course.directors.filter(pk=by.pk).exists()):
        raise PermissionDenied
    if enrolment.status not in Enrolment.ACTIVE_STATUSES:
        raise ValidationError("This enrolment is already cancelled.")
    freed_position = enrolment.waitlist_position
    was_enrolled = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.waitlist_position = None
    enrolment.save(update_fields=["status", "waitlist_position", "updated_at"])
    enrolment.course = course
    if freed_position is not None:
        _waitlist_close_gap(course, after_position=freed_position)
    _notify(enrolment, "enrolment_cancelled")
    if was_enrolled:
        _promote_waitlisted(course)
    return enrolment


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, approve: bool, by: User) -> Enrolment:
    """A course director (or the CME office) approves or declines a pending request.

    An approved request takes a seat if one is free, otherwise the next waitlist place.
    """
    course = _course_lock(enrolment.course_id)
    if not (by.is_administrator or course.directors.filter(pk=by.pk).exists()):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.PENDING:
        raise ValidationError("This request has already been decided or withdrawn.")
    if not approve:
        enrolment.status = Enrolment.Status.DECLINED
        kind = "enrolment_declined"
    elif _has_free_seat(course):
        enrolment.status = Enrolment.Status.ENROLLED
        kind = "enrolment_approved"
    else:
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.waitlist_position = _next_waitlist_position(course)
        kind = "enrolment_approved"
    enrolment.decided_by = by
    enrolment.save(update_fields=["status", "waitlist_position", "decided_by", "updated_at"])
    enrolment.course = course
    _notify(enrolment, kind)
    return enrolment


@transaction.atomic
def course_waitlist_promote(*, course: Course) -> list[Enrolment]:
    """Fill free seats from the waitlist, in order; called when a course's capacity is raised
    (courses.services.publishing.course_update) under the same course row lock."""
    return _promote_waitlisted(_course_lock(course.pk))
