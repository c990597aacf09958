"""The rules of "Next for you", applied in one pass per learner (a fixed number of queries,
pinned in tests/credits/suggestions/). Each rule names an activity and says why in words; the
first rules win when two name the same activity; dismissed suggestions never come back.

Rules, in order: a licence topic requirement short of credits before its deadline (an activity
that counts toward the topic); each pathway's next step; a drill question answered wrong twice
(an activity sharing the drill's topics or specialties, else the drill's own rationales); an
activity published in the last 30 days in the learner's specialty. A competency expiring joins
when skills checklists land (one more rule function here).
"""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.models import Course, Enrolment, Session
from courses.session_audience import public_sessions_q
from credits.assignments.selectors import completion_dates_for
from credits.drills.models import DrillAnswer
from credits.pathways.selectors import pathway_progress_list_for
from credits.requirements.selectors import requirement_progress_for
from credits.suggestions.models import SuggestionDismissal

LIMIT = 5
NEW_ACTIVITY_DAYS = 30


@dataclass(frozen=True)
class Suggestion:
    key: str
    title: str
    url: str
    reason: str
    rule: str  # shortfall, pathway, drill, specialty


def available_courses(today: datetime.date) -> QuerySet[Course]:
    """Published activities a learner can still take: a session to come, or self-paced and not
    past its termination date; only the columns the rules read."""
    upcoming = Session.objects.filter(public_sessions_q(), course=OuterRef("pk"),
                                      is_cancelled=False, starts_at__date__gte=today)
    self_paced = Q(format__in=Course.SELF_PACED_FORMATS) & (
        Q(termination_date__isnull=True) | Q(termination_date__gte=today))
    return (Course.objects.filter(status=Course.Status.PUBLISHED)
            .filter(Exists(upcoming) | self_paced)
            .only("pk", "title", "slug", "published_at")
            .order_by("title", "pk"))


@dataclass(frozen=True)
class CourseTags:
    """The topic ids and lower-case specialty names of the available activities, by activity
    id: two queries and plain sets, where prefetch_related would build a queryset and model
    instances per activity (at 14,000 activities, most of a render of several seconds)."""
    topics: dict[int, set[int]]
    specialties: dict[int, set[str]]

    @classmethod
    def of(cls, course_ids: list[int]) -> "CourseTags":
        tags = cls({}, {})
        if not course_ids:
            return tags
        for field, value, by_course in (("topics", "topic_id", tags.topics),
                                        ("specialties", "specialty__name", tags.specialties)):
            through = Course._meta.get_field(field).remote_field.through
            for course_id, tag in (through.objects.filter(course_id__in=course_ids)
                                   .values_list("course_id", value)):
                by_course.setdefault(course_id, set()).add(
                    tag.lower() if isinstance(tag, str) else tag)
        return tags


def _amount(value) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".")
    return text or "0"


def _shortfalls(requirement_progress, courses: list[Course], tags: CourseTags, taken: set[int]):
    for licence in requirement_progress:
        for requirement in licence.topics:
            if requirement.is_met or requirement.topic is None:
                continue
            for course in courses:
                if (course.pk not in taken
                        and requirement.topic.pk in tags.topics.get(course.pk, ())):
                    reason = _("%(amount)s %(topic)s credits due by %(date)s") % {
                        "amount": _amount(requirement.shortfall),
                        "topic": requirement.topic.name.lower(),
                        "date": f"{requirement.due_on:%-d %B %Y}"}
                    yield Suggestion(f"shortfall:{requirement.topic.pk}:{course.pk}",
                                     course.title, course.get_absolute_url(), reason,
                                     "shortfall")
                    break


def _pathway_steps(pathway_progress):
    for progress in pathway_progress:
        state = progress.next_step
        if progress.complete or state is None:
            continue
        reason = _("The next step of your pathway “%(title)s”") % {
            "title": progress.pathway.title}
        if state.due_on:
            reason += _(", due %(date)s") % {"date": f"{state.due_on:%-d %B %Y}"}
        url = state.url
        if url.startswith("#"):
            url = reverse("pathways:pathway", args=[progress.pathway.slug]) + url
        yield Suggestion(f"pathway:{progress.enrolment.pk}:{state.step.pk}",
                         state.step.display_title, url, reason, "pathway")


def _questions_missed_twice(user: User) -> list[dict]:
    return list(DrillAnswer.objects.filter(delivery__enrolment__user=user, is_correct=False)
                .values("delivery__question_id", "delivery__question__stem",
                        "delivery__enrolment__course_id")
                .annotate(misses=Count("pk")).filter(misses__gte=2)
                .order_by("delivery__question_id"))


def _drill_misses(missed: list[dict], courses: list[Course], tags: CourseTags, taken: set[int]):
    by_id = {course.pk: course for course in courses}
    for row in missed:
        drill = by_id.get(row["delivery__enrolment__course_id"])
        if drill is None:
            continue
        stem = row["delivery__question__stem"]
        reason = _("You answered “%(stem)s” wrong twice in %(drill)s") % {
            "stem": stem if len(stem) <= 70 else stem[:69].rstrip() + "…", "drill": drill.title}
        shared_topics = tags.topics.get(drill.pk, set())
        shared_specialties = tags.specialties.get(drill.pk, set())
        related = next((course for course in courses if course.pk not in taken
                        and course.pk != drill.pk
                        and (shared_topics & tags.topics.get(course.pk, set())
                             or shared_specialties & tags.specialties.get(course.pk, set()))),
                       None)
        if related is not None:
            yield Suggestion(f"drill:{row['delivery__question_id']}:{related.pk}", related.title,
                             related.get_absolute_url(), reason, "drill")
        else:
            yield Suggestion(f"drill:{row['delivery__question_id']}:{drill.pk}",
                             _("Review the rationales of %(drill)s") % {"drill": drill.title},
                             reverse("drills:drill", args=[drill.slug]), reason, "drill")


def _new_in_specialty(user: User, courses: list[Course], tags: CourseTags, taken: set[int],
                      now):
    specialty = user.specialty.strip().lower()
    if not specialty:
        return
    since = now - datetime.timedelta(days=NEW_ACTIVITY_DAYS)
    for course in courses:
        if (course.pk not in taken and course.published_at and course.published_at >= since
                and specialty in tags.specialties.get(course.pk, ())):
            reason = _("New in %(specialty)s, published %(date)s") % {
                "specialty": user.specialty,
                "date": f"{timezone.localtime(course.published_at):%-d %B}"}
            yield Suggestion(f"specialty:{course.pk}", course.title, course.get_absolute_url(),
                             reason, "specialty")


def _candidates(available: QuerySet[Course], *, topic_ids: set[int], drill_ids: set[int],
                specialty: str, since: datetime.datetime) -> QuerySet[Course]:
    """The available activities some rule could name, and no others: those counting toward a
    topic the learner is short of, the drills they missed questions in and the activities
    sharing a topic or specialty with those drills, and those new in their specialty. A
    hospital system's open catalog is some 14,000 activities; reading it whole for each learner
    made a first My learning take seconds."""
    topics, specialties = Course.topics.through.objects, Course.specialties.through.objects
    drill_topics = topics.filter(course_id__in=drill_ids).values("topic_id")
    drill_specialties = specialties.filter(course_id__in=drill_ids).values("specialty_id")
    wanted = (Q(pk__in=drill_ids)
              | Exists(topics.filter(Q(topic_id__in=topic_ids) | Q(topic_id__in=drill_topics),
                                     course_id=OuterRef("pk")))
              | Exists(specialties.filter(course_id=OuterRef("pk"),
                                          specialty_id__in=drill_specialties)))
    if specialty:
        wanted |= Q(published_at__gte=since) & Exists(specialties.filter(
            course_id=OuterRef("pk"), specialty__name__iexact=specialty))
    return available.filter(wanted)


def suggestions_for(*, user: User, now: datetime.datetime | None = None, limit: int = LIMIT,
                    requirement_progress=None, pathway_progress=None) -> list[Suggestion]:
    """Up to `limit` suggestions, the rules in order, one per activity, none dismissed.

    My learning passes the requirement and pathway progress it has already read."""
    now = now or timezone.now()
    if requirement_progress is None:
        requirement_progress = requirement_progress_for(user=user)
    if pathway_progress is None:
        pathway_progress = pathway_progress_list_for(user=user)
    missed = _questions_missed_twice(user)
    candidates = _candidates(
        available_courses(timezone.localdate(now)),
        topic_ids={requirement.topic.pk for licence in requirement_progress
                   for requirement in licence.topics
                   if not requirement.is_met and requirement.topic is not None},
        drill_ids={row["delivery__enrolment__course_id"] for row in missed},
        specialty=user.specialty.strip(), since=now - datetime.timedelta(days=NEW_ACTIVITY_DAYS))
    courses = list(candidates)
    course_ids = [course.pk for course in courses]
    tags = CourseTags.of(course_ids)
    taken = set(Enrolment.objects.filter(
        user=user, course_id__in=course_ids, status=Enrolment.Status.ENROLLED,
    ).values_list("course_id", flat=True))
    taken |= {course_id for _user, course_id in completion_dates_for(
        user_ids=[user.pk], course_ids=course_ids)}
    dismissed = set(SuggestionDismissal.objects.filter(user=user).values_list("key", flat=True))
    chosen: list[Suggestion] = []
    seen_urls: set[str] = set()
    rules = (_shortfalls(requirement_progress, courses, tags, taken),
             _pathway_steps(pathway_progress), _drill_misses(missed, courses, tags, taken),
             _new_in_specialty(user, courses, tags, taken, now))
    for rule in rules:
        for suggestion in rule:
            if suggestion.key in dismissed or suggestion.url in seen_urls:
                continue
            chosen.append(suggestion)
            seen_urls.add(suggestion.url)
            if len(chosen) == limit:
                return chosen
    return chosen
