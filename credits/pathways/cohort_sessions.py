"""A cohort's own live sessions: a session of a live course step kept for one cohort, which only
its members see and enrol in (reminders and calendar entries included), and the office and the
course's directors see marked "Cohort: <name>".

The session stays a `courses.Session` of the step's course; a `CohortSession` row keeps it for
the cohort. `COHORT_SESSIONS` is the audience registered with the `courses.session_audience`
hook (decision 0035), through which every read of sessions in the lower layers filters.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from courses.models import Course, Session
from courses.services.publishing import session_create
from courses.session_audience import SessionAudience
from courses.session_dates import course_session_dates_refresh
from credits.pathways.models import Cohort, CohortSession, PathwayEnrolment, Step

# A learner who left the pathway no longer sees their cohort's sessions; one who finished it
# still does (a skills day they attended stays in their calendar).
MEMBER_STATUSES = (PathwayEnrolment.Status.ACTIVE, PathwayEnrolment.Status.COMPLETED)


def _kept() -> QuerySet:
    return CohortSession.objects.all()


def _open_to(user) -> QuerySet:
    return CohortSession.objects.filter(cohort__enrolments__user=user,
                                        cohort__enrolments__status__in=MEMBER_STATUSES)


def _members() -> QuerySet:
    return (CohortSession.objects.filter(cohort__enrolments__status__in=MEMBER_STATUSES)
            .values("session_id", user_id=F("cohort__enrolments__user_id")))


def _labels(session_ids) -> dict[int, str]:
    return {session_id: gettext("Cohort: %(name)s") % {"name": name}
            for session_id, name in CohortSession.objects.filter(session_id__in=session_ids)
            .values_list("session_id", "cohort__name")}


COHORT_SESSIONS = SessionAudience(kept=_kept, open_to=_open_to, members=_members,
                                  labels=_labels,
                                  depends_on=(CohortSession, Cohort, PathwayEnrolment))


# --- Reads ---------------------------------------------------------------------------------------

def step_courses_of(cohort: Cohort) -> QuerySet[Course]:
    """The live courses that are steps of any version of the cohort's pathway: where its own
    sessions may be."""
    return (Course.objects.filter(
        pathway_steps__version__pathway_id=cohort.pathway_id,
        pathway_steps__kind=Step.Kind.LIVE_COURSE).distinct().order_by("title"))


def cohort_sessions_of(cohort: Cohort) -> list[CohortSession]:
    """The cohort's sessions, soonest first, with their courses."""
    return list(cohort.sessions.select_related("session__course", "added_by")
                .order_by("session__starts_at", "pk"))


def sessions_to_keep_for(cohort: Cohort, *, now: datetime.datetime) -> QuerySet[Session]:
    """Public sessions still to come of the pathway's live courses: those the office may mark
    as the cohort's own."""
    return (Session.objects.filter(course__in=step_courses_of(cohort), is_cancelled=False,
                                   starts_at__gt=now, cohort_link__isnull=True)
            .select_related("course").order_by("starts_at", "pk"))


def cohort_sessions_by_course(*, cohort_ids, now: datetime.datetime) -> dict:
    """{(cohort_id, course_id): [sessions still to come]}, for the learner's pathway page."""
    found: dict = {}
    for link in (CohortSession.objects
                 .filter(cohort_id__in=list(cohort_ids), session__is_cancelled=False,
                         session__ends_at__gt=now)
                 .select_related("session").order_by("session__starts_at", "pk")):
        found.setdefault((link.cohort_id, link.session.course_id), []).append(link.session)
    return found


# --- Writes --------------------------------------------------------------------------------------

def _keep_check(cohort: Cohort, session: Session, *, now: datetime.datetime) -> None:
    if session.is_cancelled:
        raise ValidationError("This session is cancelled.")
    if session.starts_at <= now:
        raise ValidationError("This session has started: only a session still to come can be "
                              "kept for a cohort.")
    if not step_courses_of(cohort).filter(pk=session.course_id).exists():
        raise ValidationError("This session's activity is not a live course step of the "
                              "pathway.")
    if CohortSession.objects.filter(session=session).exists():
        raise ValidationError("This session is kept for a cohort already.")


@transaction.atomic
def cohort_session_keep(*, cohort: Cohort, session: Session, by: User,
                        now: datetime.datetime | None = None) -> CohortSession:
    """Mark a session of a live course step as the cohort's own: from now on only its members
    see it. Its course's catalog dates are recomputed without it."""
    _keep_check(cohort, session, now=now or timezone.now())
    link = CohortSession.objects.create(cohort=cohort, session=session, added_by=by)
    course_session_dates_refresh(course_ids=[session.course_id])
    return link


@transaction.atomic
def cohort_session_create(*, cohort: Cohort, course: Course, by: User,
                          starts_at: datetime.datetime, ends_at: datetime.datetime,
                          title: str = "", location: str = "", online_url: str = "",
                          capacity: int | None = None,
                          now: datetime.datetime | None = None) -> CohortSession:
    """Add a new session to a live course step, kept for the cohort (the course's own rules
    for sessions apply: its directors and the office add them)."""
    if not step_courses_of(cohort).filter(pk=course.pk).exists():
        raise ValidationError("This activity is not a live course step of the pathway.")
    session = session_create(course=course, editor=by, starts_at=starts_at, ends_at=ends_at,
                             title=title, location=location, online_url=online_url,
                             capacity=capacity)
    return cohort_session_keep(cohort=cohort, session=session, by=by, now=now)
