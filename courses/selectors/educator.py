"""Reads for educators' pages (My courses, a course's workspace) and the CME office's review."""
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Expression,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from courses.disclosures.selectors import current_disclosure, publication_prefetches
from courses.models import Course, CreditDesignation, Disclosure, Enrolment, Faculty, Session

# Figures on the My courses rows that belong to a higher layer (whether attendance was taken)
# are contributed by it when its app is ready: name -> a function returning an expression over
# the row's annotations (`last_past_session_id`), so courses does not import credits.
MY_COURSES_FIGURES: dict[str, Callable[[], Expression]] = {}


def my_courses_figure_register(*, name: str, expression: Callable[[], Expression]) -> None:
    MY_COURSES_FIGURES[name] = expression


# Who may manage a course is decided here and nowhere else. Two rules:
# - directed: the course's directors only (the educator workspace, the roster download);
# - managed: its directors and the CME office (enrolments, attendance, evaluation results,
#   certificates, the course page's "manage" link).


def courses_directed_by(*, user: User) -> QuerySet[Course]:
    return Course.objects.filter(directors=user)


def course_get_for_director(*, user: User, pk: int) -> Course:
    """The course if `user` directs it; 404 otherwise, so others cannot learn that it exists."""
    course = courses_directed_by(user=user).filter(pk=pk).first()
    if course is None:
        raise Http404("No course of yours has this number.")
    return course


def courses_managed_by(*, user: User) -> QuerySet[Course]:
    """Every course for the CME office; the courses they direct for everyone else."""
    if user.is_administrator:
        return Course.objects.all()
    return courses_directed_by(user=user)


def course_get_for_manager(*, user: User, pk: int) -> Course:
    """A course `user` may manage: 403 for people who manage no courses at all (clinicians),
    404 for a course that is not theirs."""
    if not (user.is_educator or user.is_administrator):
        raise PermissionDenied
    course = courses_managed_by(user=user).filter(pk=pk).first()
    if course is None:
        raise Http404("No course of yours has this number.")
    return course


def course_is_managed_by(*, course: Course, user: User) -> bool:
    """courses_managed_by as a yes/no for one course (no query for the CME office)."""
    if not user.is_authenticated:
        return False
    return user.is_administrator or courses_managed_by(user=user).filter(pk=course.pk).exists()


def _with_publication_data(queryset: QuerySet[Course]) -> QuerySet[Course]:
    """Prefetch what `course_publication_problems` reads."""
    return queryset.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.prefetch_related("faculty")),
        Prefetch("disclosures", queryset=Disclosure.objects.select_related("faculty")),
        Prefetch("credit_designations", queryset=CreditDesignation.objects.all()),
        "lessons", "questions", *publication_prefetches(),
    )


def course_workspace(*, user: User, pk: int) -> Course:
    """A directed course with its sessions, faculty, disclosures, designations and directors."""
    course = _with_publication_data(
        courses_directed_by(user=user).filter(pk=pk).prefetch_related(
            "directors", "specialties", "topics")).first()
    if course is None:
        raise Http404("No course of yours has this number.")
    return course


def course_faculty(*, course: Course) -> list[Faculty]:
    """Everyone in control of content: faculty on its sessions and people with disclosures.

    Reads the prefetched sessions and disclosures of a `course_workspace` course.
    """
    today = timezone.localdate()
    people = {person.pk: person for session in course.sessions.all()
              for person in session.faculty.all()}
    people.update({d.faculty_id: d.faculty for d in course.disclosures.all()})
    teaching = {person.pk for session in course.sessions.all() if not session.is_cancelled
                for person in session.faculty.all()}
    for person in people.values():
        person.course_disclosures = [d for d in course.disclosures.all()
                                     if d.faculty_id == person.pk]
        person.teaches = person.pk in teaching
        # What they did for the course when they teach no session: an online activity's
        # faculty wrote its content, a planner planned it (not "planner or reviewer").
        person.role_label = "; ".join(sorted({str(d.get_role_display())
                                              for d in person.course_disclosures}))
        person.current_disclosure = current_disclosure(person, on=today)
    return sorted(people.values(), key=lambda person: person.full_name)


def my_courses(*, user: User) -> QuerySet[Course]:
    """The educator's courses with next session, enrolled count and attendance of the last one,
    and the session ids their row actions link to (check-in display, roster).

    One query whatever the number of courses: every figure is a subquery.
    """
    now = timezone.now()
    live_sessions = Session.objects.filter(course=OuterRef("pk"), is_cancelled=False)
    next_session = live_sessions.filter(starts_at__gte=now).order_by("starts_at")
    # The session to open the check-in display for: one in progress, else the next one.
    current_session = live_sessions.filter(ends_at__gt=now).order_by("starts_at")
    last_past_session = live_sessions.filter(starts_at__lt=now).order_by("-starts_at")
    enrolled = (Enrolment.objects.filter(course=OuterRef("pk"), status=Enrolment.Status.ENROLLED)
                .order_by().values("course").annotate(n=Count("pk")).values("n"))
    return (
        courses_directed_by(user=user)
        .annotate(
            upcoming_starts_at=Subquery(next_session.values("starts_at")[:1]),
            upcoming_ends_at=Subquery(next_session.values("ends_at")[:1]),
            current_session_id=Subquery(current_session.values("pk")[:1]),
            last_past_session_id=Subquery(last_past_session.values("pk")[:1]),
            enrolled_count=Coalesce(Subquery(enrolled, output_field=IntegerField()), Value(0)),
        )
        .annotate(**{name: expression() for name, expression in MY_COURSES_FIGURES.items()})
        .order_by(_status_order(), "upcoming_starts_at", "title")
    )


def _status_order() -> Case:
    """Work that needs the educator first: returned drafts, drafts, in review, published."""
    return Case(
        When(Q(status=Course.Status.DRAFT) & ~Q(review_comment=""), then=Value(0)),
        When(status=Course.Status.DRAFT, then=Value(1)),
        When(status=Course.Status.IN_REVIEW, then=Value(2)),
        When(status=Course.Status.PUBLISHED, then=Value(3)),
        default=Value(4), output_field=IntegerField(),
    )


def review_queue() -> list[Course]:
    """Courses waiting for the CME office, oldest submission first, each with its `problems`.

    Fixed queries whatever the number of courses.
    """
    from courses.services.review import course_publication_problems

    courses = list(_with_publication_data(
        Course.objects.filter(status=Course.Status.IN_REVIEW).prefetch_related("directors")
    ).order_by("submitted_at", "title"))
    for course in courses:
        course.problems = course_publication_problems(course=course)
    return courses


def recently_published(*, limit: int = 25) -> QuerySet[Course]:
    return (Course.objects.filter(status=Course.Status.PUBLISHED)
            .order_by("-published_at")[:limit])


def course_for_review(*, pk: int) -> Course:
    course = _with_publication_data(
        Course.objects.filter(pk=pk).prefetch_related("directors", "specialties", "topics")
    ).first()
    if course is None:
        raise Http404("No course has this number.")
    return course


def faculty_directory() -> QuerySet[Faculty]:
    return Faculty.objects.order_by("full_name")


def educators() -> QuerySet[User]:
    from accounts.roles import Role

    return User.objects.filter(groups__name=Role.EDUCATOR).order_by("full_name")
