"""Reads of practice drills: the drill page, a delivered question with its rationale, and My
learning's progress (retired/total, next delivery, streak) in a fixed number of queries."""
import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from courses.questions.models import DrillSettings, Question, QuestionOption

from .models import DrillAnswer, DrillDelivery, DrillEnrolment

STREAK_LOOKBACK_DAYS = 90


def drill_course_get(*, slug: str, user: User) -> Course:
    """A published drill, or one the learner already joined (it may have been archived)."""
    return get_object_or_404(
        Course.objects.filter(Q(status=Course.Status.PUBLISHED) | Q(drill_enrolments__user=user))
        .distinct(), slug=slug, format=Course.Format.DRILL)


def _deliveries_with_questions():
    return DrillDelivery.objects.select_related("question", "answer__option").prefetch_related(
        Prefetch("question__options", queryset=QuestionOption.objects.order_by("position", "pk")))


def delivery_for_learner(*, user: User, course: Course, delivery_id: int) -> DrillDelivery:
    """A delivery of this drill sent to this learner; anyone else's is a 404."""
    delivery = _deliveries_with_questions().filter(
        pk=delivery_id, enrolment__user=user, enrolment__course=course).first()
    if delivery is None:
        raise Http404("No such question for you in this drill.")
    return delivery


def first_open_delivery_for(*, user: User, now: datetime.datetime | None = None
                            ) -> DrillDelivery | None:
    """The oldest delivered question the learner has not answered, still inside the answer
    window (the drill shortcut of the installed app)."""
    today = timezone.localdate(now or timezone.now(), zoneinfo.ZoneInfo(user.time_zone))
    since = today - datetime.timedelta(days=settings.DRILL_ANSWER_LINK_MAX_AGE_DAYS)
    return (DrillDelivery.objects.filter(enrolment__user=user, answer__isnull=True,
                                         delivered_on__gte=since)
            .select_related("enrolment__course").order_by("delivered_on", "pk").first())


def delivery_for_link(*, delivery_id: int) -> DrillDelivery | None:
    return (_deliveries_with_questions().select_related("enrolment__course", "enrolment__user")
            .filter(pk=delivery_id).first())


def option_letter(question: Question, option_id: int) -> str:
    for index, option in enumerate(question.options.all()):
        if option.pk == option_id:
            return chr(ord("A") + index)
    return ""


def _next_delivery_on(*, after: datetime.date, due_on: datetime.date | None,
                      rules: DrillSettings | None) -> datetime.date | None:
    if due_on is None:
        return None
    day = max(after, due_on)
    weekdays_only = rules.weekdays_only if rules is not None else True
    while weekdays_only and day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _streak(days: dict[datetime.date, bool], today: datetime.date) -> int:
    """Delivery days in a row, newest first, on which the learner answered; today's
    unanswered delivery does not break it (the morning is not over)."""
    streak = 0
    for day in sorted(days, reverse=True):
        if days[day]:
            streak += 1
        elif day != today:
            break
    return streak


@dataclass
class DrillProgress:
    enrolment: DrillEnrolment
    course: Course
    retired: int
    total: int
    open_questions: int
    next_delivery_on: datetime.date | None
    streak: int

    @property
    def complete(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def percent(self) -> int:
        return round(100 * self.retired / self.total) if self.total else 0


def drill_progress_for(*, user: User, now: datetime.datetime | None = None
                       ) -> list[DrillProgress]:
    """Each drill the learner joined: two queries whatever the number of drills or answers."""
    now = now or timezone.now()
    today = timezone.localdate(now, zoneinfo.ZoneInfo(user.time_zone))
    link_window = today - datetime.timedelta(days=settings.DRILL_ANSWER_LINK_MAX_AGE_DAYS)
    enrolments = list(
        DrillEnrolment.objects.filter(user=user).select_related("course__drill_settings")
        .annotate(
            total=Count("cards", distinct=True),
            retired=Count("cards", filter=Q(cards__retired_on__isnull=False), distinct=True),
            next_due=Min("cards__due_on", filter=Q(cards__retired_on__isnull=True)))
        .order_by("course__title"))
    if not enrolments:
        return []
    days: dict[int, dict[datetime.date, bool]] = {}
    open_counts: dict[int, int] = {}
    for enrolment_id, day, answered in (
            DrillDelivery.objects.filter(
                enrolment__in=enrolments,
                delivered_on__gte=today - datetime.timedelta(days=STREAK_LOOKBACK_DAYS))
            .annotate(answered=Exists(DrillAnswer.objects.filter(delivery=OuterRef("pk"))))
            .values_list("enrolment_id", "delivered_on", "answered")):
        per_day = days.setdefault(enrolment_id, {})
        per_day[day] = per_day.get(day, False) or answered
        if not answered and day >= link_window:
            open_counts[enrolment_id] = open_counts.get(enrolment_id, 0) + 1
    result = []
    for enrolment in enrolments:
        delivered_today = enrolment.last_delivered_on == today
        after = today + datetime.timedelta(days=1) if delivered_today else today
        rules = getattr(enrolment.course, "drill_settings", None)
        result.append(DrillProgress(
            enrolment=enrolment, course=enrolment.course, retired=enrolment.retired,
            total=enrolment.total, open_questions=open_counts.get(enrolment.pk, 0),
            next_delivery_on=(None if enrolment.completed_at else _next_delivery_on(
                after=after, due_on=enrolment.next_due, rules=rules)),
            streak=_streak(days.get(enrolment.pk, {}), today)))
    return result


@dataclass
class DrillPage:
    course: Course
    enrolment: DrillEnrolment | None
    open_deliveries: list[DrillDelivery]
    recent_answered: list[DrillDelivery]
    progress: DrillProgress | None


def drill_page_get(*, user: User, course: Course, now: datetime.datetime | None = None
                   ) -> DrillPage:
    """The drill page: questions waiting for an answer (still inside the link window), the
    last answers, and progress."""
    now = now or timezone.now()
    enrolment = DrillEnrolment.objects.filter(user=user, course=course).first()
    if enrolment is None:
        return DrillPage(course=course, enrolment=None, open_deliveries=[], recent_answered=[],
                         progress=None)
    today = timezone.localdate(now, zoneinfo.ZoneInfo(user.time_zone))
    since = today - datetime.timedelta(days=settings.DRILL_ANSWER_LINK_MAX_AGE_DAYS)
    deliveries = list(_deliveries_with_questions().filter(
        enrolment=enrolment, delivered_on__gte=since).order_by("-delivered_on", "pk"))
    progress = next((p for p in drill_progress_for(user=user, now=now)
                     if p.enrolment.pk == enrolment.pk), None)
    return DrillPage(
        course=course, enrolment=enrolment,
        open_deliveries=[d for d in deliveries if not hasattr(d, "answer")],
        recent_answered=[d for d in deliveries if hasattr(d, "answer")][:10],
        progress=progress)
