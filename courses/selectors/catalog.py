"""Reads behind the public catalog and the course page, each in a fixed number of queries."""
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.credittypes.selectors import CATALOG_MODELS
from courses.dates import long_date
from courses.disclosures.models import (
    CommercialSupport,
    FinancialDisclosure,
    FinancialRelationship,
    Mitigation,
)
from courses.disclosures.selectors import publication_prefetches
from courses.lessons.models import Lesson
from courses.models import (
    Course,
    CreditDesignation,
    Disclosure,
    Enrolment,
    Faculty,
    Session,
    Specialty,
    Topic,
)
from courses.packages.models import ContentPackage
from courses.questions.models import PostTest, Question
from courses.session_audience import (
    kept_sessions_q,
    public_sessions_q,
    session_audiences_registered,
    session_labels,
    session_reads_cached_in,
    sessions_visible_q,
)
from cpd_portal.caching.parts import CachedPart


class CatalogSort:
    RELEVANCE = "relevance"
    NEXT_DATE = "next"
    TITLE = "title"
    CREDITS = "credits"
    # The empty choice sorts by relevance when searching, otherwise by next date.
    CHOICES = [("", _("Recommended")), (NEXT_DATE, _("Next date")), (TITLE, _("Title (A–Z)")),
               (CREDITS, _("Most credits"))]


def _enrolled_count_subquery():
    # COUNT(*), not of a column: the (course, status) index alone answers it (index-only
    # scan), where counting ids visited every enrolment row (0.2 ms a course at 86 seats).
    counts = (Enrolment.objects.filter(course=OuterRef("pk"), status=Enrolment.Status.ENROLLED)
              .order_by().values("course").annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _with_seats_and_next_session(courses: QuerySet) -> QuerySet:
    # The next session is stored on the course (courses.session_dates).
    return courses.annotate(next_starts_at=F("next_session_starts_at"),
                            enrolled_count=_enrolled_count_subquery())


def _text_search(courses: QuerySet, text: str) -> tuple[QuerySet, bool]:
    """Full-text search on PostgreSQL (ranked); a plain substring match on SQLite."""
    if connection.vendor == "sqlite":
        return courses.filter(Q(title__icontains=text) | Q(summary__icontains=text)
                              | Q(description__icontains=text)), False
    query = SearchQuery(text, search_type="websearch", config="english")
    return (courses.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))), True


def _profession_filter(profession: str) -> Q:
    # An empty list means the course is for every profession.
    if connection.vendor == "sqlite":
        return Q(target_professions=[]) | Q(target_professions__icontains=f'"{profession}"')
    return Q(target_professions=[]) | Q(target_professions__contains=[profession])


def specialty_choices() -> list[tuple[str, str]]:
    """(slug, name) of every specialty, in the catalog filter's order."""
    return list(Specialty.objects.values_list("slug", "name"))


def course_catalog_list(*, q: str = "", specialty=None, format: str = "", profession: str = "",
                        credit_type: str = "", starts_from: datetime.date | None = None,
                        starts_until: datetime.date | None = None, has_free_seats: bool = False,
                        include_past: bool = False, sort: str = "",
                        now: datetime.datetime | None = None) -> QuerySet:
    """Published courses matching the catalog filters, with next date, seats and credits."""
    now = now or timezone.now()
    courses = _with_seats_and_next_session(Course.objects.filter(status=Course.Status.PUBLISHED))
    ranked = False
    if q:
        courses, ranked = _text_search(courses, q)
    if not include_past and not (starts_from or starts_until):
        courses = courses.filter(Course.open_for_enrolment_q(now))
    if specialty is not None:
        courses = courses.filter(specialties=specialty)
    if format:
        courses = courses.filter(format=format)
    if profession:
        courses = courses.filter(_profession_filter(profession))
    if credit_type:
        courses = courses.filter(Exists(CreditDesignation.objects.filter(
            course=OuterRef("pk"), credit_type=credit_type)))
    if starts_from or starts_until:
        # Dates are the viewer's calendar days: __date converts to the active time zone.
        in_range = Session.objects.filter(public_sessions_q(), course=OuterRef("pk"),
                                          is_cancelled=False)
        if starts_from:
            in_range = in_range.filter(starts_at__date__gte=starts_from)
        if starts_until:
            in_range = in_range.filter(starts_at__date__lte=starts_until)
        courses = courses.filter(Exists(in_range))
    if has_free_seats:
        courses = courses.filter(Q(capacity__isnull=True) | Q(capacity__gt=F("enrolled_count")))

    sort = sort or (CatalogSort.RELEVANCE if q else CatalogSort.NEXT_DATE)
    if sort == CatalogSort.RELEVANCE and ranked:
        order = [F("rank").desc(), "title", "pk"]
    elif sort == CatalogSort.TITLE:
        order = ["title", "pk"]
    elif sort == CatalogSort.CREDITS:
        courses = courses.annotate(most_credits=Max("credit_designations__max_credits"))
        order = [F("most_credits").desc(nulls_last=True), "title", "pk"]
    else:
        order = [F("next_starts_at").asc(nulls_last=True), "title", "pk"]
    return (courses.order_by(*order)
            .prefetch_related(Prefetch("credit_designations",
                                       queryset=CreditDesignation.objects.order_by("credit_type"))))


# A published course with everything its page shows, the same for every viewer: kept whole
# (a pickled Course with its prefetches), so a viewer's page built after a change to their own
# rows reads only those.
COURSE_DETAIL = CachedPart(
    "course-detail",
    Course, Enrolment, Session, Session.faculty.through, Faculty, CreditDesignation, Disclosure,
    FinancialDisclosure, FinancialRelationship, Mitigation, CommercialSupport,
    Course.topics.through, Topic, *CATALOG_MODELS, Lesson, ContentPackage, PostTest, Question,
)


@dataclass
class OnlineOutline:
    """What a learner wants to know before starting an online activity: its steps, about how
    long it takes, and the pass mark of its post-test or package."""
    lessons: int
    package_parts: int
    minutes: int
    post_test_pass_percent: int | None
    package_pass_marks: list[str]


def _online_outline(course: Course) -> OnlineOutline:
    """Three queries: the published lessons, the published package, the post-test."""
    lessons = Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED).aggregate(
        count=Count("pk"), minutes=Sum("estimated_minutes"))
    package = (ContentPackage.objects.filter(course=course, published_at__isnull=False)
               .order_by("-version").only("manifest", "estimated_minutes").first())
    post_test = PostTest.objects.filter(course=course).only("passing_percent").first()
    scos = package.scos if package else []
    marks = [sco.get("mastery_score") or sco.get("scaled_passing_score") for sco in scos]
    return OnlineOutline(
        lessons=lessons["count"], package_parts=len(scos),
        minutes=(lessons["minutes"] or 0) + (package.estimated_minutes if package else 0),
        post_test_pass_percent=(post_test.passing_percent
                                if post_test and course.questions.exists() else None),
        package_pass_marks=[_pass_mark_display(mark) for mark in marks if mark])


def _pass_mark_display(mark: str) -> str:
    """SCORM 1.2 mastery scores are 0-100, SCORM 2004 and cmi5 marks 0-1: both as percent."""
    number = float(mark)
    return f"{number * 100:g}%" if number <= 1 else f"{number:g}%"


def _course_detail(courses: QuerySet, slug: str) -> Course | None:
    course = _course_detail_row(courses, slug)
    if course is not None and course.format == Course.Format.ENDURING:
        course.online_outline = _online_outline(course)
    return course


def _course_detail_row(courses: QuerySet, slug: str) -> Course | None:
    waitlist_length = (Enrolment.objects.filter(course=OuterRef("pk"),
                                                status=Enrolment.Status.WAITLISTED)
                       .order_by().values("course").annotate(n=Count("*")).values("n"))
    return (_with_seats_and_next_session(courses)
            .annotate(waitlist_length=Coalesce(Subquery(waitlist_length,
                                                         output_field=IntegerField()),
                                                Value(0)))
            .prefetch_related(
                # Public sessions only: the row is cached for every viewer. A viewer's own kept
                # sessions are added by course_viewer_sessions_attach.
                Prefetch("sessions", queryset=Session.objects.filter(public_sessions_q(),
                                                                     is_cancelled=False)
                         .prefetch_related("faculty")),
                Prefetch("credit_designations",
                         queryset=CreditDesignation.objects.order_by("credit_type")),
                Prefetch("disclosures", queryset=Disclosure.objects.select_related("faculty")),
                *publication_prefetches(with_people=False),
                "topics",
            )
            .filter(slug=slug).first())


def course_detail_get(*, slug: str, user: User) -> Course:
    """The course page: published courses for everyone (from the cache, COURSE_DETAIL); drafts
    for their directors and staff.
    Raises Course.DoesNotExist when the viewer may not see it.
    """
    course = COURSE_DETAIL.get_or_build(slug, build=lambda: _course_detail(
        Course.objects.filter(status=Course.Status.PUBLISHED), slug))
    if course is not None:
        return course
    if user.is_authenticated:
        drafts = Course.objects.all()
        if not user.is_administrator:
            drafts = drafts.filter(Exists(Course.directors.through.objects.filter(
                course_id=OuterRef("pk"), user_id=user.pk)))
        course = _course_detail(drafts, slug)
    if course is None:
        raise Course.DoesNotExist
    return course


def course_viewer_sessions_attach(*, course: Course, user: User, sees_all: bool) -> None:
    """Add to the course's prefetched public sessions the kept ones (a pathway cohort's) the
    viewer may see: their own audience's, or every one for the office and the course's
    directors (`sees_all`); each added session carries its `audience_label`. One query when
    an audience is registered, two more when there is something to add (faculty, labels)."""
    if not user.is_authenticated or not session_audiences_registered():
        return
    kept = list(Session.objects.filter(kept_sessions_q(open_to=None if sees_all else user),
                                       course=course, is_cancelled=False)
                .prefetch_related("faculty"))
    if not kept:
        return
    labels = session_labels(session.pk for session in kept)
    for session in kept:
        session.audience_label = labels.get(session.pk, "")
    merged = course.sessions.all()
    # As Django's prefetch_related_objects stores a prefetched relation: a queryset whose
    # result cache is filled, so course.sessions.all() and is_open_for_enrolment see them.
    merged._result_cache = sorted([*merged, *kept], key=lambda s: (s.starts_at, s.pk))
    merged._prefetch_done = True
    course._prefetched_objects_cache["sessions"] = merged


def course_kept_from(*, course: Course, user: User, now: datetime.datetime) -> bool:
    """Whether every session still to come is kept for an audience `user` is not of (another
    cohort's skills day): its enrolment link then answers 404, as for no such course."""
    if course.is_self_paced or not session_audiences_registered():
        return False
    upcoming = course.sessions.filter(is_cancelled=False, ends_at__gt=now)
    return (upcoming.exists()
            and not upcoming.filter(sessions_visible_q(user=user)).exists())


def viewer_enrolment_get(*, course: Course, user: User) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return (Enrolment.objects.filter(course=course, user=user,
                                     status__in=Enrolment.ACTIVE_STATUSES).first())


@dataclass(frozen=True)
class PrimaryAction:
    """The one button on a course page; its label follows the clinician's state.

    An action without a url is a note only (a certificate still being made).
    """

    label: str
    url: str
    method: str = "post"  # "get" for links (sign in, check in, evaluate, claim, download)
    style: str = "button"  # "button" or "button button-danger"
    note: str = ""
    is_next_step: bool = False  # a step after enrolment: shown first on the page


# The step after enrolment (check in, evaluate, claim credit, download the certificate) follows
# the learner's path, which credits.learning owns. It registers its selector here when the
# credits app is ready, so the course page shows that step without courses importing credits.
NextStepSelector = Callable[..., PrimaryAction | None]
_next_step_selectors: list[NextStepSelector] = []


# A signed-in viewer's course page: the course (COURSE_DETAIL) and the viewer's own state, to
# which the next-step selectors add what they read.
COURSE_PAGE = CachedPart(
    "course-page", COURSE_DETAIL, Enrolment, Course.directors.through, User.groups.through, Group,
)
session_reads_cached_in(COURSE_DETAIL, COURSE_PAGE)


def course_next_step_selector_register(selector: NextStepSelector, *,
                                       depends_on: tuple = ()) -> None:
    """Register `selector(course=, enrolment=, user=, now=)`, asked before the enrolment action;
    `depends_on`: the models it reads, which the course page's cache then follows."""
    if selector not in _next_step_selectors:
        _next_step_selectors.append(selector)
    COURSE_PAGE.depends_on_add(*depends_on)


def course_primary_action(*, course: Course, enrolment: Enrolment | None, user: User,
                          now: datetime.datetime | None = None) -> PrimaryAction | None:
    """Decide the course page's action from the course and the viewer's state.

    After enrolment the action follows the learning path (the registered next-step selectors):
    check in while a session's window is open, then evaluate, claim credit and download the
    certificate.
    """
    now = now or timezone.now()
    if user.is_authenticated:
        for selector in _next_step_selectors:
            action = selector(course=course, enrolment=enrolment, user=user, now=now)
            if action is not None:
                return action
    if enrolment is not None:
        cancel_url = reverse("courses:cancel", args=[course.slug])
        if enrolment.status == Enrolment.Status.ENROLLED:
            return PrimaryAction(gettext("Cancel enrolment"), cancel_url,
                                 style="button button-danger", note=gettext("You are enrolled."))
        if enrolment.status == Enrolment.Status.WAITLISTED:
            return PrimaryAction(
                gettext("Leave waitlist"), cancel_url, style="button button-danger",
                note=gettext("You are number %(position)s on the waitlist. You will get an email "
                             "if a seat frees.") % {"position": enrolment.waitlist_position})
        return PrimaryAction(gettext("Withdraw request"), cancel_url, style="button button-danger",
                             note=gettext("Your request is waiting for a course director's "
                                          "approval."))
    if not course.is_open_for_enrolment(now=now):
        return None
    if course.is_self_paced:
        today = timezone.localdate(now)
        if course.is_terminated(today):
            return PrimaryAction("", "", note=gettext(
                "This activity's termination date passed on %(day)s: it is closed to new "
                "learners and claims.") % {"day": long_date(course.termination_date)})
        if course.release_date and course.release_date > today:
            return PrimaryAction("", "", note=gettext("Opens on %(day)s.") % {
                "day": long_date(course.release_date)})
    if not user.is_authenticated:
        login = reverse("account_login")
        return PrimaryAction(gettext("Sign in to enrol"),
                             f"{login}?next={course.get_absolute_url()}", method="get")
    enrol_url = reverse("courses:enrol", args=[course.slug])
    if course.format == Course.Format.DRILL and not course.approval_required:
        return PrimaryAction(gettext("Join the drill"), reverse("drills:join", args=[course.slug]),
                             note=gettext("Two questions every weekday morning, by email and "
                                          "here."))
    if course.format == Course.Format.ENDURING and not course.approval_required:
        return PrimaryAction(gettext("Start"), reverse("online:start", args=[course.slug]),
                             note=gettext("Self-paced: read the lessons, then take the "
                                          "post-test."))
    if course.approval_required:
        return PrimaryAction(gettext("Request a place"), enrol_url,
                             note=gettext("A course director reviews each request."))
    if course.capacity is not None and course.enrolled_count >= course.capacity:
        return PrimaryAction(gettext("Join waitlist"), enrol_url,
                             note=gettext("This activity is full. You will get an email if a "
                                          "seat frees."))
    return PrimaryAction(gettext("Enrol"), enrol_url)
