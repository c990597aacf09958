"""Writes for "Next for you": dismiss a suggestion (twice is once), and queue the weekly digest
(once per learner and ISO week, through the outbox)."""
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import outgoing_message_queue
from credits.suggestions.models import SuggestionDismissal
from credits.suggestions.selectors import suggestions_for


def suggestion_dismiss(*, user: User, key: str) -> SuggestionDismissal:
    dismissal, _created = SuggestionDismissal.objects.get_or_create(user=user, key=key[:80])
    return dismissal


def digest_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def next_for_you_digest_queue(*, user: User, now: datetime.datetime | None = None) -> bool:
    """Queue this week's digest for one learner if there is anything to suggest; a second call
    in the same ISO week queues nothing (the outbox's occurrence key)."""
    from django.conf import settings

    now = now or timezone.now()
    suggestions = suggestions_for(user=user, now=now)
    if not suggestions:
        return False
    message = outgoing_message_queue(
        recipient=user, kind="next_for_you", object_key="next-for-you",
        occurrence=digest_week(timezone.localdate(now)),
        context={"suggestions": [{"title": s.title, "reason": s.reason,
                                  "url": settings.SITE_URL + s.url} for s in suggestions],
                 "my_learning_url": settings.SITE_URL + reverse("learning:my_learning")})
    return message is not None


def next_for_you_digest_batch_queue(*, now: datetime.datetime | None = None) -> int:
    """This week's digest for every active clinician with a licence, a pathway or a specialty
    (the learners the rules can say something to)."""
    learners = User.objects.filter(is_active=True).filter(
        Q(licences__isnull=False) | Q(pathway_enrolments__status="active")
        | ~Q(specialty="")).distinct()
    return sum(next_for_you_digest_queue(user=user, now=now) for user in learners.iterator())
