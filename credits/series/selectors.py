"""Reads of the series package: which series a person coordinates, what each upcoming session
still lacks and by when, the late-claim requests waiting, and a learner's own requests.

`upcoming_sessions` reads every series page's rows in a fixed number of queries: the sessions
with their faculty, plans and the faculty's current disclosures, and the course's mitigations.
"""
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.disclosures.models import FinancialDisclosure
from courses.disclosures.selectors import person_cleared_for
from courses.models import Course, Enrolment, Session
from courses.selectors.educator import courses_managed_by
from courses.session_audience import sessions_visible_q
from credits.series.models import LateClaimRequest, SeriesCoordination, SessionPlan

DEFAULT_LEAD_BUSINESS_DAYS = SeriesCoordination._meta.get_field("lead_business_days").default
DEFAULT_LATE_CLAIMS_PER_YEAR = SeriesCoordination._meta.get_field("late_claims_per_year").default

MISSING_SPEAKER = _("Speaker")
MISSING_DISCLOSURE = _("Disclosure signed and mitigated")
MISSING_MATERIALS = _("Slides or objectives")


def business_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date `count` business days (Monday to Friday) before `day`."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def series_coordinated_by(*, user: User) -> QuerySet[Course]:
    """Series `user` may coordinate: those they direct (every one for the CME office) and
    those they are the named coordinator of."""
    series = Course.objects.filter(format=Course.Format.RSS)
    if user.is_administrator:
        return series
    return series.filter(Q(pk__in=courses_managed_by(user=user).values("pk"))
                         | Q(coordination__coordinator=user)).distinct()


def series_get_for_coordinator(*, user: User, pk: int) -> Course:
    course = (series_coordinated_by(user=user).select_related("coordination__coordinator")
              .filter(pk=pk).first())
    if course is None:
        raise Http404("No series of yours has this number.")
    return course


def series_get_for_manager(*, user: User, pk: int) -> Course:
    """A series `user` directs (or any, for the CME office): who may name the coordinator and
    copy the series forward."""
    course = (courses_managed_by(user=user).filter(format=Course.Format.RSS, pk=pk)
              .select_related("coordination").first())
    if course is None:
        raise Http404("No series of yours has this number.")
    return course


def series_is_managed_by(*, user: User, course: Course) -> bool:
    return courses_managed_by(user=user).filter(pk=course.pk).exists()


def coordination_of(course: Course) -> SeriesCoordination:
    """The series' coordination, or its defaults (unsaved) when nobody set it yet."""
    try:
        return course.coordination
    except SeriesCoordination.DoesNotExist:
        return SeriesCoordination(course=course)


def reminder_recipients(course: Course) -> list[User]:
    coordinator = coordination_of(course).coordinator
    return [coordinator] if coordinator else list(course.directors.all())


@dataclass
class SessionReadiness:
    session: Session
    due_on: datetime.date
    missing: list[str]

    @property
    def overdue(self) -> bool:
        return bool(self.missing) and self.due_on <= timezone.localdate()


def _readiness(session: Session, course: Course, lead_days: int,
               today: datetime.date) -> SessionReadiness:
    people = list(session.faculty.all())
    missing = []
    if not people:
        missing.append(str(MISSING_SPEAKER))
    elif not all(person_cleared_for(person=person, course=course, on=today) for person in people):
        missing.append(str(MISSING_DISCLOSURE))
    plan = getattr(session, "plan_prefetched", None)
    if plan is None or not (plan.objectives.strip() or plan.slides):
        missing.append(str(MISSING_MATERIALS))
    return SessionReadiness(session=session, missing=missing,
                            due_on=business_days_before(timezone.localdate(session.starts_at),
                                                        lead_days))


def upcoming_sessions(*, course: Course, now: datetime.datetime | None = None
                      ) -> list[SessionReadiness]:
    """Every uncancelled session still to come, with what it lacks and the day it is due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = (FinancialDisclosure.objects.filter(valid_until__gt=today)
               .prefetch_related("relationships"))
    sessions = list(Session.objects.filter(course=course, is_cancelled=False, starts_at__gt=now)
                    .prefetch_related(Prefetch("faculty__financial_disclosures",
                                               queryset=current))
                    .order_by("starts_at"))
    plans = {plan.session_id: plan for plan in SessionPlan.objects.filter(
        session__in=[session.pk for session in sessions])}
    for session in sessions:
        session.plan_prefetched = plans.get(session.pk)
    # person_cleared_for reads the course's mitigations through .all(): one query for all.
    course = Course.objects.prefetch_related("mitigations").get(pk=course.pk)
    lead_days = coordination_of(course).lead_business_days
    return [_readiness(session, course, lead_days, today) for session in sessions]


def late_claims_waiting(*, course: Course) -> list[LateClaimRequest]:
    return list(LateClaimRequest.objects.filter(session__course=course,
                                                status=LateClaimRequest.Status.OPEN)
                .select_related("user", "session").order_by("filed_at"))


def late_claims_decided(*, course: Course, limit: int = 20) -> list[LateClaimRequest]:
    return list(LateClaimRequest.objects.filter(session__course=course)
                .exclude(status=LateClaimRequest.Status.OPEN)
                .select_related("user", "session", "decided_by").order_by("-decided_at")[:limit])


def late_claims_approved_in_year(*, course: Course, user: User, year: int) -> int:
    return LateClaimRequest.objects.filter(
        session__course=course, user=user, status=LateClaimRequest.Status.APPROVED,
        session__starts_at__year=year).count()


def late_claim_session_for_learner(*, user: User, session_id: int) -> Session:
    """A session of a series the learner is enrolled in (404 for anything else)."""
    session = (Session.objects.select_related("course")
               .filter(sessions_visible_q(user=user), pk=session_id,
                       course__format=Course.Format.RSS, is_cancelled=False,
                       course__enrolments__user=user,
                       course__enrolments__status=Enrolment.Status.ENROLLED).first())
    if session is None:
        raise Http404("No session of a series you are enrolled in has this number.")
    return session


def late_claims_of_learner(*, user: User, session: Session) -> list[LateClaimRequest]:
    return list(LateClaimRequest.objects.filter(user=user, session=session)
                .order_by("-filed_at"))
