"""Writes educators make to prepare an activity for review.

Educators direct courses (co-directors allowed): they edit the course, schedule sessions (single
or a recurring series), attach faculty, designate credit and record disclosures. Submitting it
and the CME office's decisions are courses.services.review. A little over 400 lines because
every write here shares the same director and draft checks; the series rule stays beside the
sessions it creates.
"""
import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from courses.credit_types import (
    CreditType,
    acpe_uan_normalise,
    acpe_uan_problem,
    credit_amount_display,
    is_quarter_step,
    round_to_quarter,
)
from courses.credittypes.selectors import credit_type_catalog
from courses.disclosures.selectors import current_disclosure, person_cleared_for
from courses.disclosures.services import disclosure_request_for_course
from courses.models import Course, CreditDesignation, Disclosure, Faculty, Session
from courses.reminders import session_change_notify
from courses.services.enrolment import course_waitlist_promote
from courses.session_dates import course_session_dates_refresh

from .search import course_search_index_update

MAX_SERIES_SESSIONS = 200
COURSE_TEXT_FIELDS = ("title", "summary", "description", "learning_objectives")
COURSE_FIELDS = (
    *COURSE_TEXT_FIELDS, "format", "target_professions", "capacity", "approval_required",
    "evaluation_required", "allows_walk_ins", "claim_window_days", "commercial_support",
    "commercial_supporters", "joint_provider", "release_date", "termination_date",
)


# --- Permissions and state -----------------------------------------------------------------------

def course_director_require(*, course: Course, editor: User) -> None:
    if not course.directors.filter(pk=editor.pk).exists():
        raise ValidationError("Only a director of this course can change it.")


def _require_editable(course: Course) -> None:
    if course.status == Course.Status.IN_REVIEW:
        raise ValidationError("This course is with the CME office for review; you can change it "
                              "again if they return it to you.")
    if course.status == Course.Status.ARCHIVED:
        raise ValidationError("This course is archived and can no longer be changed.")


def _require_draft(course: Course, what: str) -> None:
    if course.status != Course.Status.DRAFT:
        raise ValidationError(f"{what} can only be changed while the course is a draft; ask the "
                              "CME office to change a published course's credit.")


def course_editor_require(*, course: Course, editor: User) -> None:
    course_director_require(course=course, editor=editor)
    _require_editable(course)



# --- Courses ----------------------------------------------------------------------------------

def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200].strip("-") or "course"
    taken = set(Course.objects.filter(slug__startswith=base).exclude(pk=exclude_pk)
                .values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _clean_course_fields(fields: dict) -> None:
    if fields.get("commercial_support") and not (fields.get("commercial_supporters") or "").strip():
        raise ValidationError({"commercial_supporters":
                               "Name the commercial supporters, or untick commercial support."})
    if not fields.get("commercial_support"):
        fields["commercial_supporters"] = ""


def _save_with_unique_slug(course: Course) -> None:
    # Two educators may create same-titled courses at once; the unique index decides, and the
    # loser retries with the next free suffix.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                course.save()
            return
        except IntegrityError:
            course.slug = _unique_slug(course.title, exclude_pk=course.pk)
    raise ValidationError("Could not find a free web address for this title; change the title.")


@transaction.atomic
def course_create(*, director: User, specialties: Iterable = (), topics: Iterable = (),
                  co_directors: Iterable[User] = (), **fields) -> Course:
    """A new draft course directed by `director` (and any co-directors)."""
    if not director.is_educator:
        raise ValidationError("Only educators can create courses.")
    _clean_course_fields(fields)
    course = Course(**{name: value for name, value in fields.items() if name in COURSE_FIELDS})
    course.slug = _unique_slug(course.title)
    course.full_clean(exclude=["slug"])
    _save_with_unique_slug(course)
    course.directors.set([director, *co_directors])
    _directors_list_as_planners(course)
    course.specialties.set(specialties)
    course.topics.set(topics)
    course_search_index_update(course_ids=[course.pk])
    return course


def _directors_list_as_planners(course: Course) -> None:
    """ACCME Standard 3: a course director plans the activity, so controls its content and must
    disclose. Each director is listed on the activity's disclosure roster (as a person of the
    faculty directory, linked to their account) the moment they direct it, so the roster, and
    the rule that blocks publishing until everyone listed has disclosed, never miss them."""
    for user in course.directors.all():
        person, _ = Faculty.objects.get_or_create(
            user=user, defaults={"full_name": user.full_name or user.email,
                                 "degree": user.degree, "email": user.email})
        Disclosure.objects.get_or_create(course=course, faculty=person,
                                         role=Disclosure.Role.DIRECTOR)


@transaction.atomic
def course_update(*, course: Course, editor: User, specialties: Iterable = (),
                  topics: Iterable = (), co_directors: Iterable[User] = (), **fields) -> Course:
    course_editor_require(course=course, editor=editor)
    # The enrolment services lock this row too: a raised capacity and a clinician taking the
    # last seat are served one after the other.
    capacity_before = (Course.objects.select_for_update().values_list("capacity", flat=True)
                       .get(pk=course.pk))
    _clean_course_fields(fields)
    for name, value in fields.items():
        if name in COURSE_FIELDS:
            setattr(course, name, value)
    # The web address stays put once the course has been public: links to it are out there.
    if course.published_at is None:
        course.slug = _unique_slug(course.title, exclude_pk=course.pk)
    course.full_clean(exclude=["slug"])
    _save_with_unique_slug(course)
    course.directors.set([editor, *(user for user in co_directors if user.pk != editor.pk)])
    _directors_list_as_planners(course)
    course.specialties.set(specialties)
    course.topics.set(topics)
    course_search_index_update(course_ids=[course.pk])
    if course.capacity != capacity_before:
        course_waitlist_promote(course=course)
    return course


# --- Sessions ---------------------------------------------------------------------------------

def local_datetime(day: datetime.date, time: datetime.time, zone_name: str) -> datetime.datetime:
    """The aware instant for a wall-clock date and time in `zone_name`.

    Built in local time and converted, so a weekly 07:30 stays 07:30 across a DST change. A time
    that does not exist (skipped when clocks go forward) is refused rather than silently moved.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    local = datetime.datetime.combine(day, time, tzinfo=zone)
    round_trip = local.astimezone(datetime.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationError(
            f"{time:%H:%M} does not exist on {day:%a %-d %b %Y} in {zone_name}: the clocks go "
            "forward that night. Choose another time.")
    return local.astimezone(datetime.UTC)


def _check_session_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        raise ValidationError({"end_time": (
            f"A session must end after it starts: this one starts at {local_start:%H:%M} and "
            f"ends at {local_end:%H:%M}.")})


def _check_faculty_disclosed(course: Course, faculty: Iterable[Faculty]) -> None:
    """A published course's sessions may only gain faculty with a current signed disclosure
    whose relationships are reviewed for this course (ACCME Standard 3: before they take part)."""
    if course.status != Course.Status.PUBLISHED:
        return
    missing = sorted(person.full_name for person in faculty
                     if not person_cleared_for(person=person, course=course))
    if missing:
        raise ValidationError({"faculty": (
            "This course is published, so faculty need a current signed disclosure, reviewed "
            f"for this course, before they join a session: {', '.join(missing)}. Send their "
            "link from the Disclosures page first.")})


@transaction.atomic
def session_create(*, course: Course, editor: User, starts_at: datetime.datetime,
                   ends_at: datetime.datetime, title: str = "", location: str = "",
                   online_url: str = "", capacity: int | None = None,
                   faculty: Iterable[Faculty] = ()) -> Session:
    course_editor_require(course=course, editor=editor)
    _check_session_times(starts_at, ends_at)
    faculty = list(faculty)
    _check_faculty_disclosed(course, faculty)
    session = Session.objects.create(course=course, title=title, starts_at=starts_at,
                                     ends_at=ends_at, location=location, online_url=online_url,
                                     capacity=capacity)
    session.faculty.set(faculty)
    return session


@transaction.atomic
def session_update(*, session: Session, editor: User, starts_at: datetime.datetime,
                   ends_at: datetime.datetime, title: str = "", location: str = "",
                   online_url: str = "", capacity: int | None = None,
                   faculty: Iterable[Faculty] = ()) -> Session:
    course_editor_require(course=session.course, editor=editor)
    if session.is_cancelled:
        raise ValidationError("This session is cancelled; add a new session instead.")
    _check_session_times(starts_at, ends_at)
    faculty = list(faculty)
    _check_faculty_disclosed(session.course, faculty)
    rescheduled = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    session.title, session.starts_at, session.ends_at = title, starts_at, ends_at
    session.location, session.online_url, session.capacity = location, online_url, capacity
    session.save()
    session.faculty.set(faculty)
    if rescheduled and session.course.status == Course.Status.PUBLISHED:
        session_change_notify(session=session, change="rescheduled")
    return session


@transaction.atomic
def session_cancel(*, session: Session, editor: User) -> Session:
    course_editor_require(course=session.course, editor=editor)
    if not session.is_cancelled:
        session.is_cancelled = True
        session.save(update_fields=["is_cancelled"])
        if session.course.status == Course.Status.PUBLISHED:
            session_change_notify(session=session, change="cancelled")
    return session


@dataclass(frozen=True)
class SeriesRule:
    """A recurrence: these weekdays (0 = Monday), every `interval_weeks` weeks, from `first_date`,
    for `count` sessions or until `until` (inclusive), whichever is given."""

    weekdays: tuple[int, ...]
    start_time: datetime.time
    end_time: datetime.time
    first_date: datetime.date
    time_zone: str
    interval_weeks: int = 1
    count: int | None = None
    until: datetime.date | None = None


def series_occurrences(rule: SeriesRule) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) instants of every session the rule describes, in order."""
    if not rule.weekdays:
        raise ValidationError({"weekdays": "Choose at least one day of the week."})
    if rule.end_time <= rule.start_time:
        raise ValidationError({"end_time": (
            f"A session must end after it starts: {rule.start_time:%H:%M} to "
            f"{rule.end_time:%H:%M} ends first.")})
    if (rule.count is None) == (rule.until is None):
        raise ValidationError("Give either a number of sessions or an end date, not both.")
    if rule.until is not None and rule.until < rule.first_date:
        raise ValidationError({"until": "The end date is before the first date."})
    if rule.interval_weeks < 1:
        raise ValidationError({"interval_weeks": "Repeat at least every 1 week."})
    days: list[datetime.date] = []
    week_start = rule.first_date - datetime.timedelta(days=rule.first_date.weekday())
    while True:
        for weekday in sorted(set(rule.weekdays)):
            day = week_start + datetime.timedelta(days=weekday)
            if day < rule.first_date:
                continue
            if rule.until is not None and day > rule.until:
                break
            days.append(day)
            if rule.count is not None and len(days) == rule.count:
                break
        if rule.count is not None and len(days) >= rule.count:
            break
        if rule.until is not None and week_start + datetime.timedelta(days=6) >= rule.until:
            break
        if len(days) > MAX_SERIES_SESSIONS:
            break
        week_start += datetime.timedelta(weeks=rule.interval_weeks)
    if len(days) > MAX_SERIES_SESSIONS:
        raise ValidationError(f"A series can have at most {MAX_SERIES_SESSIONS} sessions; "
                              "choose an earlier end date or fewer sessions.")
    if not days:
        raise ValidationError("The rule gives no sessions; check the days and the end date.")
    return [(local_datetime(day, rule.start_time, rule.time_zone),
             local_datetime(day, rule.end_time, rule.time_zone)) for day in days]


@transaction.atomic
def session_series_create(*, course: Course, editor: User, rule: SeriesRule, title: str = "",
                          location: str = "", online_url: str = "",
                          faculty: Iterable[Faculty] = ()) -> list[Session]:
    """Create every session of a recurring series (e.g. every Tuesday 07:30-08:30 for 10 weeks)."""
    course_editor_require(course=course, editor=editor)
    occurrences = series_occurrences(rule)
    faculty = list(faculty)
    _check_faculty_disclosed(course, faculty)
    sessions = Session.objects.bulk_create([
        Session(course=course, title=title, starts_at=starts_at, ends_at=ends_at,
                location=location, online_url=online_url)
        for starts_at, ends_at in occurrences
    ])
    Through = Session.faculty.through
    Through.objects.bulk_create([Through(session_id=session.pk, faculty_id=person.pk)
                                 for session in sessions for person in faculty])
    course_session_dates_refresh(course_ids=[course.pk])  # bulk_create sends no signals
    return sessions


# --- Faculty ----------------------------------------------------------------------------------

@transaction.atomic
def faculty_add(*, course: Course, editor: User, faculty: Faculty | None = None,
                full_name: str = "", degree: str = "", email: str = "",
                sessions: Iterable[Session] = ()) -> Faculty:
    """Pick someone from the faculty directory, or add a new person, and put them on sessions."""
    course_editor_require(course=course, editor=editor)
    if faculty is None:
        if not full_name.strip():
            raise ValidationError("Choose someone from the faculty list or enter a new name.")
        faculty = Faculty.objects.create(full_name=full_name.strip(), degree=degree,
                                         email=email.strip())
    sessions = list(sessions)
    if any(session.course_id != course.pk for session in sessions):
        raise ValidationError("Choose sessions of this course.")
    _check_faculty_disclosed(course, [faculty] if sessions else [])
    for session in sessions:
        session.faculty.add(faculty)
    return faculty


# --- Credit designations ----------------------------------------------------------------------

def course_session_hours(*, course: Course) -> Decimal:
    """Total hours of the course's sessions that still take place."""
    return sum((session.duration_hours for session in course.sessions.all()
                if not session.is_cancelled), Decimal(0))


def designation_ama_cap_problem(*, course: Course, credit_type: str,
                                max_credits: Decimal) -> str | None:
    """Why an AMA PRA Category 1 designation exceeds the live sessions' hours, or None."""
    if credit_type != CreditType.AMA_PRA_1 or not course.is_live:
        return None
    cap = round_to_quarter(course_session_hours(course=course))
    if max_credits > cap:
        return (f"An AMA PRA Category 1 designation for a live activity cannot exceed its session "
                f"hours: {credit_amount_display(max_credits, credit_type)} is more than the "
                f"{cap:.2f} hours the sessions add up to (rounded to the nearest 0.25). Lower "
                "the maximum or add sessions.")
    return None


def designation_type_problem(*, course: Course, credit_type: str,
                             max_credits: Decimal) -> str | None:
    """What the credit type's own rules (as the office keeps them) say against this
    designation: not designable, not for this format, off its step, above its hourly ceiling."""
    info = credit_type_catalog().get(credit_type)
    if info is None or not info.is_active:
        return "Choose a credit type the CME office offers."
    if not info.allows_format(course.format):
        return f"{info.name} cannot be designated for a {course.get_format_display().lower()}."
    if (Decimal(max_credits) / info.step) % 1:
        return f"Designate {info.name} in steps of {info.step}."
    if info.max_per_hour is not None and course.is_live:
        ceiling = info.max_per_hour * course_session_hours(course=course)
        if max_credits > ceiling:
            return (f"{info.name} allows at most {info.max_per_hour} per hour of the sessions: "
                    f"{ceiling:.2f} for this activity.")
    return None


@transaction.atomic
def designation_save(*, course: Course, editor: User, credit_type: str, max_credits: Decimal,
                     acpe_uan: str = "",
                     designation: CreditDesignation | None = None) -> CreditDesignation:
    course_editor_require(course=course, editor=editor)
    _require_draft(course, "Credit designations")
    if not is_quarter_step(max_credits):
        raise ValidationError({"max_credits": "Designate credit in steps of 0.25 (for example "
                                              "1.00, 1.25 or 1.50)."})
    problem = designation_type_problem(course=course, credit_type=credit_type,
                                       max_credits=max_credits)
    if problem:
        raise ValidationError({"credit_type": problem})
    acpe_uan = acpe_uan_normalise(acpe_uan)
    if credit_type == CreditType.ACPE:
        problem = acpe_uan_problem(acpe_uan)
        if problem:
            raise ValidationError({"acpe_uan": problem})
    else:
        acpe_uan = ""
    duplicate = course.credit_designations.filter(credit_type=credit_type)
    if designation is not None:
        duplicate = duplicate.exclude(pk=designation.pk)
    if duplicate.exists():
        raise ValidationError({"credit_type": "This course already has a designation of this "
                                              "type; edit that one instead."})
    problem = designation_ama_cap_problem(course=course, credit_type=credit_type,
                                          max_credits=max_credits)
    if problem:
        raise ValidationError({"max_credits": problem})
    designation = designation or CreditDesignation(course=course)
    designation.credit_type, designation.max_credits = credit_type, max_credits
    designation.acpe_uan = acpe_uan
    designation.save()
    return designation


@transaction.atomic
def designation_delete(*, designation: CreditDesignation, editor: User) -> None:
    course_editor_require(course=designation.course, editor=editor)
    _require_draft(designation.course, "Credit designations")
    designation.delete()


# --- Disclosures ------------------------------------------------------------------------------

@transaction.atomic
def disclosure_save(*, course: Course, editor: User, faculty: Faculty, role: str,
                    disclosure: Disclosure | None = None) -> Disclosure:
    """List a person in control of the activity's content in a role (the person discloses
    their financial relationships themselves); emails them a link when they have no current
    disclosure, once per activity."""
    course_editor_require(course=course, editor=editor)
    if role not in Disclosure.Role.values:
        raise ValidationError({"role": "Choose a role."})
    others = course.disclosures.filter(faculty=faculty, role=role)
    if disclosure is not None:
        others = others.exclude(pk=disclosure.pk)
    if others.exists():
        raise ValidationError(f"{faculty.full_name} is already listed as "
                              f"{Disclosure.Role(role).label.lower()} of this course.")
    disclosure = disclosure or Disclosure(course=course)
    disclosure.faculty, disclosure.role = faculty, role
    disclosure.save()
    if faculty.email and current_disclosure(faculty, on=timezone.localdate()) is None:
        disclosure_request_for_course(course=course, person=faculty, sent_by=editor)
    return disclosure


@transaction.atomic
def disclosure_delete(*, disclosure: Disclosure, editor: User) -> None:
    course = disclosure.course
    course_editor_require(course=course, editor=editor)
    if course.status == Course.Status.PUBLISHED and disclosure.faculty_id in set(
            Faculty.objects.filter(sessions__course=course).values_list("pk", flat=True)):
        raise ValidationError("This person teaches on a published session; their disclosure "
                              "must stay on record.")
    disclosure.delete()
