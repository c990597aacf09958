"""Review: the rules a course must meet to be published, the educator's submission and the CME
office's decisions (publish, return with a comment, archive), each emailed to the directors."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import outgoing_message_queue
from courses.credit_types import CreditType, acpe_uan_problem
from courses.disclosures.selectors import disclosure_publication_problems
from courses.models import Course, CreditDesignation
from courses.services.publishing import course_director_require, designation_ama_cap_problem

# ACCME: enduring materials are reviewed at least every three years.
ENDURING_MAX_YEARS = 3
# A practice drill spaced over weeks needs enough questions to be worth a credit.
DRILL_MIN_QUESTIONS = 4


def enduring_latest_termination(release: datetime.date) -> datetime.date:
    try:
        return release.replace(year=release.year + ENDURING_MAX_YEARS)
    except ValueError:  # released on 29 February
        return release.replace(year=release.year + ENDURING_MAX_YEARS, day=28)


def enduring_publication_problems(*, course: Course,
                                  designations: list[CreditDesignation]) -> list[str]:
    """The enduring rules: lessons (a drill: at least DRILL_MIN_QUESTIONS questions), a
    post-test when MOC is offered, release and termination.

    Reads `.all()` of lessons and questions, which list pages prefetch.
    """
    problems = []
    if course.format == Course.Format.DRILL:
        active = sum(question.is_active for question in course.questions.all())
        if active < DRILL_MIN_QUESTIONS:
            problems.append(f"A practice drill needs at least {DRILL_MIN_QUESTIONS} active "
                            f"questions with rationales; it has {active}.")
        if any(question.is_active and question.kind != question.Kind.SINGLE
               for question in course.questions.all()):
            problems.append("Drill questions are answered with one tap in an email: make each "
                            "a single-best-answer question.")
    elif not any(lesson.is_published for lesson in course.lessons.all()) and not any(
            package.is_published for package in course.packages.all()):
        problems.append("Add at least one published lesson or publish a SCORM package.")
    offers_moc = any(d.credit_type == CreditType.ABIM_MOC for d in designations)
    if offers_moc and not any(question.is_active for question in course.questions.all()):
        problems.append("ABIM MOC points need a post-test: add questions to the question bank.")
    if course.release_date is None or course.termination_date is None:
        problems.append("Set the release date and the termination (review) date.")
    elif course.termination_date <= course.release_date:
        problems.append("The termination date must come after the release date.")
    else:
        latest = enduring_latest_termination(course.release_date)
        if course.termination_date > latest:
            problems.append("Enduring material must be reviewed at least every three years: "
                            f"set the termination date on or before {latest:%-d %B %Y}.")
    return problems


def course_publication_problems(*, course: Course) -> list[str]:
    """What stops this course from being submitted or published, in words for the director.

    Reads only `.all()` of sessions (with faculty), disclosures (with faculty), credit
    designations and what `disclosure_publication_problems` reads, so a list page can prefetch
    them (`_with_publication_data`) and check many courses in fixed queries.
    """
    problems = []
    sessions = [session for session in course.sessions.all() if not session.is_cancelled]
    designations = list(course.credit_designations.all())
    if course.is_self_paced:
        problems.extend(enduring_publication_problems(course=course, designations=designations))
    elif not sessions:
        problems.append("Add at least one session.")
    problems.extend(disclosure_publication_problems(course=course))
    if not designations:
        problems.append("Add at least one credit designation.")
    for designation in designations:
        problem = designation_ama_cap_problem(course=course,
                                              credit_type=designation.credit_type,
                                              max_credits=designation.max_credits)
        if problem:
            problems.append(problem)
        if designation.credit_type == CreditType.ACPE:
            problem = acpe_uan_problem(designation.acpe_uan)
            if problem:
                problems.append(f"ACPE credit is reported to CPE Monitor by its UAN. {problem}")
    if course.commercial_support and not course.commercial_supporters.strip():
        problems.append("Name the commercial supporters.")
    return problems


def _require_publishable(course: Course, action: str) -> None:
    problems = course_publication_problems(course=course)
    if problems:
        raise ValidationError([f"This course cannot be {action} yet. {problems[0]}",
                               *problems[1:]])


def _locked(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


@transaction.atomic
def course_submit(*, course: Course, editor: User) -> Course:
    """Draft -> in review, once the course has what the CME office needs to publish it."""
    course = _locked(course)
    course_director_require(course=course, editor=editor)
    if course.status != Course.Status.DRAFT:
        raise ValidationError(f"Only a draft can be submitted; this course is "
                              f"{course.get_status_display().lower()}.")
    _require_publishable(course, "submitted")
    course.status, course.submitted_at = Course.Status.IN_REVIEW, timezone.now()
    course.save(update_fields=["status", "submitted_at", "updated_at"])
    return course


def _notify_directors(course: Course, *, kind: str, occurrence: str, context: dict) -> None:
    for director in course.directors.all():
        outgoing_message_queue(recipient=director, kind=kind, object_key=f"course:{course.pk}",
                               occurrence=occurrence, context={
                                   "course_title": course.title, "course_slug": course.slug,
                                   "course_path": reverse("educator:course_overview",
                                                          args=[course.pk]),
                                   **context})


def _require_administrator(reviewer: User) -> None:
    if not reviewer.is_administrator:
        raise ValidationError("Only the CME office can review courses.")


@transaction.atomic
def course_publish(*, course: Course, reviewer: User) -> Course:
    """In review -> published; the directors are emailed."""
    _require_administrator(reviewer)
    course = _locked(course)
    if course.status != Course.Status.IN_REVIEW:
        raise ValidationError("Only a course in review can be published.")
    _require_publishable(course, "published")
    course.status, course.published_at = Course.Status.PUBLISHED, timezone.now()
    course.review_comment = ""
    course.save(update_fields=["status", "published_at", "review_comment", "updated_at"])
    _notify_directors(course, kind="course_published", occurrence="", context={})
    return course


@transaction.atomic
def course_return(*, course: Course, reviewer: User, comment: str) -> Course:
    """In review -> draft with the reviewer's comment, which the directors see and are emailed."""
    _require_administrator(reviewer)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Say what the directors need to change."})
    course = _locked(course)
    if course.status != Course.Status.IN_REVIEW:
        raise ValidationError("Only a course in review can be returned.")
    returned_at = timezone.now()
    course.status, course.review_comment = Course.Status.DRAFT, comment
    course.save(update_fields=["status", "review_comment", "updated_at"])
    _notify_directors(course, kind="course_returned", occurrence=returned_at.isoformat(),
                      context={"comment": comment, "reviewer_name": reviewer.full_name})
    return course


@transaction.atomic
def course_archive(*, course: Course, reviewer: User) -> Course:
    """Published -> archived: it leaves the catalog; its records and credit stay."""
    _require_administrator(reviewer)
    course = _locked(course)
    if course.status != Course.Status.PUBLISHED:
        raise ValidationError("Only a published course can be archived.")
    course.status = Course.Status.ARCHIVED
    course.save(update_fields=["status", "updated_at"])
    return course
