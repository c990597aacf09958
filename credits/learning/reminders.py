"""Credit-claim reminders and licence-cycle deadline reminders, recorded in the
outgoing-message ledger by the beat tick (credits.learning.tasks.learning_reminders_tick).

Claim pending: a clinician attended (present) a session of a course but holds no active credit
record for it; reminded the day after the session, then weekly while the claim window is open,
at most settings.CLAIM_REMINDER_MAX times.

Licence deadline: 90, 30 and 7 days before a licence expires (settings.
LICENCE_DEADLINE_REMINDER_DAYS), only when `licence_shortfalls` finds something missing, with
published courses that cover the missing topics.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Licence, OutgoingMessage, User
from accounts.services import outgoing_messages_record
from courses.credit_types import credit_amount_display
from courses.models import Course, Session, Topic
from courses.reminders import course_url
from courses.session_audience import public_sessions_q
from credits.attendance.models import Attendance
from credits.ledger.models import CreditRecord
from credits.requirements.selectors import requirement_progress_for

SUGGESTED_COURSES_MAX = 5


# --- Claim pending -----------------------------------------------------------------------------

def claim_reminder_occurrence_due(*, attended_until: datetime, window_closes_at: datetime,
                                  now: datetime) -> int | None:
    """Which reminder (1, 2, 3 ...) is due now, or None.

    The n-th reminder is due from 1 + 7(n-1) days after the session; only the latest due one is
    recorded, so a scan that was down for a while does not send a burst of stale reminders.
    """
    if now >= window_closes_at:
        return None
    since_first = now - (attended_until + timedelta(days=1))
    if since_first < timedelta(0):
        return None
    return min(since_first.days // 7 + 1, settings.CLAIM_REMINDER_MAX)


def claim_reminders_due_record(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    longest_window = Course.objects.aggregate(days=Max("claim_window_days"))["days"] or 0
    course_last_session_end = (Session.objects
                               .filter(course=OuterRef("session__course"), is_cancelled=False)
                               .order_by("-ends_at").values("ends_at")[:1])
    claimed = CreditRecord.objects.filter(user=OuterRef("user"),
                                          course=OuterRef("session__course"),
                                          status=CreditRecord.Status.ACTIVE)
    pending = (Attendance.objects
               .filter(status=Attendance.Status.PRESENT,
                       session__ends_at__gte=now - timedelta(days=longest_window + 1),
                       session__ends_at__lte=now - timedelta(days=1))
               .filter(~Exists(claimed))
               .values("user_id", "session__course_id", "session__course__title",
                       "session__course__slug", "session__course__claim_window_days")
               .annotate(attended_until=Max("session__ends_at"),
                         course_ends_at=Subquery(course_last_session_end))
               .order_by())
    messages = []
    for row in pending:
        closes_at = ((row["course_ends_at"] or row["attended_until"])
                     + timedelta(days=row["session__course__claim_window_days"]))
        number = claim_reminder_occurrence_due(attended_until=row["attended_until"],
                                               window_closes_at=closes_at, now=now)
        if number is None:
            continue
        course = Course(slug=row["session__course__slug"])
        messages.append(OutgoingMessage(
            recipient_id=row["user_id"], kind="claim_pending",
            object_key=f"course:{row['session__course_id']}", occurrence=f"claim-{number}",
            context={"course_title": row["session__course__title"],
                     "course_url": course_url(course),
                     "attended_at": row["attended_until"].isoformat(),
                     "claim_window_closes_at": closes_at.isoformat(),
                     "reminder_number": number}))
    return outgoing_messages_record(messages=messages)


# --- Licence deadlines -------------------------------------------------------------------------

@dataclass(frozen=True)
class Shortfall:
    requirement: str
    credit_type: str
    needed: Decimal
    earned: Decimal
    topic_slug: str | None

    @property
    def missing(self) -> Decimal:
        return self.needed - self.earned


def licence_shortfalls(user: User, licence: Licence, *, today: date | None = None,
                       ) -> list[Shortfall]:
    """What `user` still lacks for `licence`'s current cycle, per requirement line of the
    licence's requirement set in force on `today` (credits.requirements.selectors); none
    without a set."""
    for progress in requirement_progress_for(user=user, today=today):
        if progress.licence.pk != licence.pk:
            continue
        credit_type = progress.requirement_set.accepted_credit_types[0]
        return [Shortfall(line.label, credit_type, line.required, line.earned,
                          line.topic.slug if line.topic else None)
                for line in progress.requirements if line.earned < line.required]
    return []


def courses_covering(topic_slugs: list[str], *, before: date) -> list[Course]:
    """Published courses on these topics that can still be completed before `before`."""
    now = timezone.now()
    upcoming = Session.objects.filter(public_sessions_q(), course=OuterRef("pk"),
                                      is_cancelled=False, starts_at__gt=now,
                                      starts_at__date__lt=before)
    return list(Course.objects
                .filter(status=Course.Status.PUBLISHED, topics__slug__in=topic_slugs)
                .filter(Q(format=Course.Format.ENDURING) | Exists(upcoming))
                .distinct().order_by("title")[:SUGGESTED_COURSES_MAX])


def _deadline_windows(today: date) -> list[tuple[int, date, date]]:
    """(days, first expiry date, last expiry date) for which each reminder is due today."""
    ordered = sorted(set(settings.LICENCE_DEADLINE_REMINDER_DAYS), reverse=True)
    windows = []
    for index, days in enumerate(ordered):
        shorter = ordered[index + 1] if index + 1 < len(ordered) else 0
        windows.append((days, today + timedelta(days=shorter + 1), today + timedelta(days=days)))
    return windows


def licence_deadline_context(licence: Licence, shortfalls: list[Shortfall]) -> dict:
    topic_names = dict(Topic.objects.filter(
        slug__in=[s.topic_slug for s in shortfalls if s.topic_slug]).values_list("slug", "name"))
    suggestions = courses_covering(list(topic_names), before=licence.expires_on)
    return {
        "licence": str(licence),
        "licence_expires_on": licence.expires_on.isoformat(),
        "shortfalls": [{
            "requirement": s.requirement,
            "topic": topic_names.get(s.topic_slug, ""),
            "missing": credit_amount_display(s.missing, s.credit_type),
            "earned": credit_amount_display(s.earned, s.credit_type),
            "needed": credit_amount_display(s.needed, s.credit_type),
        } for s in shortfalls],
        "suggested_courses": [{"title": c.title, "url": course_url(c), "summary": c.summary}
                              for c in suggestions],
    }


def licence_deadlines_due_record(*, now: datetime | None = None) -> int:
    today = timezone.localdate(now or timezone.now())
    messages = []
    for days, first, last in _deadline_windows(today):
        licences = Licence.objects.filter(expires_on__range=(first, last),
                                          user__is_active=True).select_related("user")
        already = set(OutgoingMessage.objects.filter(
            kind="licence_deadline", object_key__in=[f"licence:{lic.pk}" for lic in licences],
        ).values_list("object_key", "occurrence"))
        for licence in licences:
            key = (f"licence:{licence.pk}", f"{days}d-{licence.expires_on.isoformat()}")
            if key in already:
                continue
            shortfalls = licence_shortfalls(licence.user, licence, today=today)
            if not shortfalls:
                continue
            context = licence_deadline_context(licence, shortfalls)
            context["days_before"] = days
            messages.append(OutgoingMessage(recipient=licence.user, kind="licence_deadline",
                                            object_key=key[0], occurrence=key[1],
                                            context=context))
    return outgoing_messages_record(messages=messages)
