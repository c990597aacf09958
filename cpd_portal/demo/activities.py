"""Activities made the way a course director and the CME office make them: created, scheduled
and designated by the director, faculty added and their disclosures signed through the emailed
link, relationships mitigated, submitted, then published by the CME office.

A second run finds an activity by its title among the demo educator's courses and changes only
the dates of its sessions still to come (through the same service a director uses), so the
catalog stays relative to today; a session someone attended is history and keeps its date.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.disclosures.models import Mitigation
from courses.disclosures.selectors import current_disclosure
from courses.disclosures.services import (
    DisclosedRelationship,
    disclosure_request_for_course,
    financial_disclosure_sign,
    mitigation_record,
)
from courses.lessons.models import Lesson
from courses.lessons.services import lesson_attachment_add, lesson_save
from courses.models import Course, Faculty, Session, Specialty, Topic
from courses.questions.services import OptionInput, post_test_settings_save, question_save
from courses.services.publishing import (
    course_create,
    designation_save,
    disclosure_save,
    faculty_add,
    session_create,
    session_update,
)
from courses.services.review import course_publish, course_submit

from .context import Demo

# Specialties are a reference table the CME office keeps in the Django admin (no service
# writes them); the demo adds the ones its activities are filed under.
SPECIALTIES = {
    "internal-medicine": "Internal medicine",
    "emergency-medicine": "Emergency medicine",
    "hospital-medicine": "Hospital medicine",
    "nursing": "Nursing",
    "pharmacy": "Pharmacy",
    "anesthesiology": "Anesthesiology",
}


@dataclass(frozen=True)
class FacultyPlan:
    full_name: str
    degree: str
    email: str
    # (ineligible company, nature) the person discloses; empty: attests to none.
    relationships: tuple[tuple[str, str], ...] = ()
    # Titles of activities whose director judged the relationships not relevant to the
    # content; everywhere else they are mitigated by peer review.
    not_relevant_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionPlan:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str = ""
    location: str = ""
    online_url: str = ""
    faculty: tuple[FacultyPlan, ...] = ()


@dataclass(frozen=True)
class ActivityPlan:
    title: str
    summary: str
    description: str = ""
    learning_objectives: str = ""
    format: str = Course.Format.LIVE
    capacity: int | None = None
    approval_required: bool = False
    evaluation_required: bool = True
    claim_window_days: int = 90
    target_professions: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    # (credit type, maximum credits, ACPE universal activity number or "")
    designations: tuple[tuple[str, str, str], ...] = ()
    sessions: tuple[SessionPlan, ...] = ()
    # Everyone in control of content besides the sessions' faculty: (person, Disclosure.Role).
    roster: tuple[tuple[FacultyPlan, str], ...] = ()
    release_date: datetime.date | None = None
    termination_date: datetime.date | None = None

    @property
    def people(self) -> list[FacultyPlan]:
        people = [person for session in self.sessions for person in session.faculty]
        people += [person for person, _role in self.roster]
        return list(dict.fromkeys(people))


def activity_find(demo: Demo, title: str) -> Course | None:
    return Course.objects.filter(title=title, directors=demo.educator).first()


def activity_ensure(demo: Demo, plan: ActivityPlan, *,
                    content: Callable[[Course], None] | None = None) -> Course:
    """The published activity `plan` describes; `content` adds what a self-paced activity
    needs before review (lessons, questions, post-test settings)."""
    course = activity_find(demo, plan.title)
    if course is not None:
        _unattended_sessions_follow_today(demo, course, plan)
        return course
    educator = demo.educator
    course = course_create(
        director=educator, title=plan.title, summary=plan.summary,
        description=plan.description, learning_objectives=plan.learning_objectives,
        format=plan.format, capacity=plan.capacity, approval_required=plan.approval_required,
        evaluation_required=plan.evaluation_required, claim_window_days=plan.claim_window_days,
        target_professions=list(plan.target_professions), release_date=plan.release_date,
        termination_date=plan.termination_date,
        specialties=[Specialty.objects.get_or_create(slug=slug, defaults={
            "name": SPECIALTIES[slug]})[0] for slug in plan.specialties],
        topics=Topic.objects.filter(slug__in=plan.topics))
    faculty = {person: faculty_add(course=course, editor=educator, full_name=person.full_name,
                                   degree=person.degree, email=person.email,
                                   faculty=Faculty.objects.filter(
                                       full_name=person.full_name).first())
               for person in plan.people}
    for session in plan.sessions:
        session_create(course=course, editor=educator, starts_at=session.starts_at,
                       ends_at=session.ends_at, title=session.title, location=session.location,
                       online_url=session.online_url,
                       faculty=[faculty[person] for person in session.faculty])
    for credit_type, maximum, uan in plan.designations:
        designation_save(course=course, editor=educator, credit_type=credit_type,
                         max_credits=Decimal(maximum), acpe_uan=uan)
    _director_disclosure_signed(demo, course)
    for person_plan, person in faculty.items():
        _disclosure_signed(demo, course, person, person_plan)
    for person_plan, role in plan.roster:
        disclosure_save(course=course, editor=educator, faculty=faculty[person_plan], role=role)
    for person_plan, person in faculty.items():
        _relationships_mitigated(demo, course, person, person_plan)
    if content is not None:
        content(course)
    course_submit(course=course, editor=educator)
    return course_publish(course=course, reviewer=demo.administrator)


def _disclosure_signed(demo: Demo, course: Course, person: Faculty,
                       plan: FacultyPlan) -> None:
    """A current disclosure, signed through the link the director's request emailed."""
    if current_disclosure(person, on=demo.today) is not None:
        return
    link = disclosure_request_for_course(course=course, person=person, sent_by=demo.educator)
    financial_disclosure_sign(
        link=link, none_to_disclose=not plan.relationships,
        relationships=[DisclosedRelationship(company=company, nature=nature)
                       for company, nature in plan.relationships],
        signature=person.full_name, now=demo.now)


def _director_disclosure_signed(demo: Demo, course: Course) -> None:
    """The course director plans the activity and is listed on its roster when they create it
    (Standard 3); the demo director has no financial relationships to disclose."""
    person = Faculty.objects.get(user=demo.educator)
    if current_disclosure(person, on=demo.today) is not None:
        return
    link = disclosure_request_for_course(course=course, person=person, sent_by=demo.educator)
    financial_disclosure_sign(link=link, none_to_disclose=True, relationships=[],
                              signature=person.full_name, now=demo.now)


def _relationships_mitigated(demo: Demo, course: Course, person: Faculty,
                             plan: FacultyPlan) -> None:
    relevant = course.title not in plan.not_relevant_to
    for relationship in current_disclosure(person, on=demo.today).relationships.all():
        mitigation_record(course=course, relationship=relationship, reviewer=demo.educator,
                          relevant=relevant, step=(Mitigation.Step.PEER_REVIEW if relevant
                                                   else Mitigation.Step.NOT_RELEVANT))


def _unattended_sessions_follow_today(demo: Demo, course: Course,
                                        plan: ActivityPlan) -> None:
    sessions = list(course.sessions.order_by("pk").prefetch_related("faculty"))
    for session, planned in zip(sessions, plan.sessions, strict=False):
        unattended_session_move(demo, session, starts_at=planned.starts_at,
                                ends_at=planned.ends_at)


def unattended_session_move(demo: Demo, session: Session, *, starts_at: datetime.datetime,
                            ends_at: datetime.datetime) -> None:
    """Move a session nobody attended to the times planned from today (a later run's)."""
    if ((session.starts_at, session.ends_at) == (starts_at, ends_at)
            or session.is_cancelled or session.attendances.exists()):
        return
    session_update(session=session, editor=demo.educator, starts_at=starts_at,
                   ends_at=ends_at, title=session.title, location=session.location,
                   online_url=session.online_url, capacity=session.capacity,
                   faculty=list(session.faculty.all()))


def sessions_of(course: Course) -> list[Session]:
    return list(course.sessions.filter(is_cancelled=False).order_by("starts_at"))


def past_activity(demo: Demo, *, title: str, summary: str, days_ago: int,
                  start: tuple[int, int], minutes: int, credits: str,
                  credit_types: tuple[str, ...] = ("ama_pra_1",), uan: str = "",
                  topics: tuple[str, ...] = (), target_professions: tuple[str, ...] = (),
                  location: str = "Auditorium A, Main Hospital") -> ActivityPlan:
    """A live activity of one session, held `days_ago` days ago."""
    starts_at = demo.at(-days_ago, *start)
    return ActivityPlan(
        title=title, summary=summary, description=summary, topics=topics,
        target_professions=target_professions,
        designations=tuple((credit_type, credits, uan if credit_type == "acpe" else "")
                           for credit_type in credit_types),
        sessions=(SessionPlan(starts_at=starts_at, location=location,
                              ends_at=starts_at + datetime.timedelta(minutes=minutes)),))


@dataclass(frozen=True)
class Attachment:
    lesson: int  # the lesson's position, from 1
    title: str
    name: str
    content_type: str
    make: Callable[[], bytes]


@dataclass(frozen=True)
class PostTestPlan:
    passing_percent: int
    max_attempts: int | None


def content_add(course: Course, *, editor, lessons=(), attachments: tuple[Attachment, ...] = (),
                questions=(), post_test: PostTestPlan | None = None) -> None:
    """What a director writes into a self-paced activity before review: lessons ((title,
    minutes, Markdown body)) with their attachments, the question bank ((kind, stem, [(option,
    correct)], rationale, reference)) and the post-test's settings."""
    saved = [lesson_save(course=course, editor=editor, title=title, body=body.strip(),
                         estimated_minutes=minutes, status=Lesson.Status.PUBLISHED)
             for title, minutes, body in lessons]
    for attachment in attachments:
        lesson_attachment_add(lesson=saved[attachment.lesson - 1], editor=editor,
                              title=attachment.title,
                              upload=SimpleUploadedFile(attachment.name, attachment.make(),
                                                        content_type=attachment.content_type))
    for kind, stem, options, rationale, reference in questions:
        question_save(course=course, editor=editor, kind=kind, stem=stem, rationale=rationale,
                      reference=reference, options=[OptionInput(text, correct)
                                                    for text, correct in options])
    if post_test is not None:
        post_test_settings_save(course=course, editor=editor,
                                passing_percent=post_test.passing_percent,
                                max_attempts=post_test.max_attempts, shuffle=True,
                                pool_size=None)
