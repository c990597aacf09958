"""Courses (activities), sessions, credit designations, faculty disclosures and enrolment."""
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Degree

from .credit_types import (
    ACPE_UAN_FORMAT_HELP,
    ACPE_UAN_REGEX,
    CreditType,
    acpe_uan_normalise,
    acpe_uan_problem,
    credit_amount_display,
    credit_type_name,
)
from .session_audience import public_sessions_q, sessions_visible_q

# Check-in codes avoid look-alike characters (0/O, 1/I/L) so they can be read off a slide.
CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECKIN_CODE_LENGTH = 6


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


def new_checkin_secret() -> str:
    return secrets.token_hex(16)


class Topic(models.Model):
    """A content topic licence boards mandate (risk management, opioid prescribing, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """An accredited activity: a single live course, an enduring module or a series."""

    class Format(models.TextChoices):
        LIVE = "live", _("Live activity")
        ENDURING = "enduring", _("Online / enduring material")
        HYBRID = "hybrid", _("Hybrid")
        RSS = "rss", _("Regularly scheduled series")
        DRILL = "drill", _("Practice drill")

    SELF_PACED_FORMATS = (Format.ENDURING, Format.DRILL)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences for the catalog.")
    description = models.TextField(blank=True)
    learning_objectives = models.TextField(
        blank=True, help_text="One objective per line: 'At the end, participants will be able to…'")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.LIVE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    directors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="directed_courses",
                                       help_text="Course directors: educators who edit it.")
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="courses")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="courses",
        help_text="Counts toward licence topic requirements (e.g. risk management).")
    target_professions = models.JSONField(
        default=list, blank=True, help_text="Professions the course is for; empty means everyone.")
    capacity = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="Seats; empty for no limit.")
    approval_required = models.BooleanField(
        default=False, help_text="Enrolments wait for a course director's approval.")
    evaluation_required = models.BooleanField(
        default=True, help_text="Learners complete the evaluation before claiming credit.")
    allows_walk_ins = models.BooleanField(
        default=False, help_text="Clinicians who did not enrol may still check in.")
    claim_window_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days after the last session during which credit can be claimed.")
    commercial_support = models.BooleanField(default=False)
    commercial_supporters = models.CharField(max_length=300, blank=True)
    joint_provider = models.CharField(max_length=200, blank=True,
                                      help_text="Joint provider, if jointly provided.")
    # Enduring material (ACCME): open from its release date until its termination (review) date,
    # at most three years later; after termination no one may start it or claim credit.
    release_date = models.DateField(null=True, blank=True)
    termination_date = models.DateField(
        null=True, blank=True, help_text="Review or retire by this date (at most 3 years after "
                                         "release).")
    review_comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept up to date by courses.services on PostgreSQL (GIN-indexed); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # Kept by courses.session_dates from the uncancelled sessions, so the catalog filters and
    # sorts by indexed columns instead of a subquery per course: the start of the next session
    # (a sweep moves it on as sessions start) and the end of the last one.
    next_session_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    sessions_end_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [
            # The catalog's default order, walked in order for the first page.
            models.Index(fields=["next_session_starts_at", "title", "id"],
                         condition=Q(status="published"), name="course_catalog_next_date"),
            # The catalog's count of courses open for enrolment, read from the index alone
            # (a sequential scan of every course's wide row otherwise).
            models.Index(fields=["sessions_end_at", "format"],
                         condition=Q(status="published"), name="course_catalog_open"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                                   name="course_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.slug])

    # The one rule for "open for enrolment": published, and either enduring material inside its
    # release and termination dates or with an uncancelled session still to come. The catalog
    # filters by the SQL form; enrolment and the course page's button ask the Python form,
    # which reads prefetched sessions when it can.
    @staticmethod
    def open_for_enrolment_q(now) -> Q:
        return Q(status=Course.Status.PUBLISHED) & (Q(format__in=Course.SELF_PACED_FORMATS)
                                                    | Q(sessions_end_at__gt=now))

    # Only sessions the enrolling learner may see count: a cohort's own session opens the
    # course to its members alone (courses.session_audience). The prefetched sessions are the
    # viewer's (course_detail_get's public ones, with `course_viewer_sessions_attach`'s added).
    def is_open_for_enrolment(self, *, now, user=None) -> bool:
        if self.status != self.Status.PUBLISHED:
            return False
        if self.is_self_paced:
            today = timezone.localdate(now)
            return not self.is_terminated(today) and (self.release_date is None
                                                      or self.release_date <= today)
        if "sessions" in getattr(self, "_prefetched_objects_cache", {}):
            return any(not session.is_cancelled and session.ends_at > now
                       for session in self.sessions.all())
        visible = public_sessions_q() if user is None else sessions_visible_q(user=user)
        return self.sessions.filter(visible, is_cancelled=False, ends_at__gt=now).exists()

    @property
    def is_self_paced(self) -> bool:
        """Enduring material and practice drills: completed online, no session, a release and
        termination date, completion recorded in credits.online's ModuleProgress."""
        return self.format in self.SELF_PACED_FORMATS

    @property
    def is_live(self) -> bool:
        return self.format in {self.Format.LIVE, self.Format.HYBRID, self.Format.RSS}

    def is_terminated(self, today) -> bool:
        return self.termination_date is not None and today > self.termination_date

    @property
    def objectives_list(self) -> list[str]:
        return [line.strip() for line in self.learning_objectives.splitlines() if line.strip()]


class Faculty(models.Model):
    """A person who controls content (speaker, planner); may or may not have an account."""

    full_name = models.CharField(max_length=150)
    degree = models.CharField(max_length=10, choices=Degree.choices, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="faculty_profile")

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "faculty"

    def __str__(self) -> str:
        return f"{self.full_name}, {self.degree}" if self.degree else self.full_name


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200, blank=True,
                             help_text="Optional; defaults to the course title.")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    faculty = models.ManyToManyField(Faculty, blank=True, related_name="sessions")
    capacity = models.PositiveIntegerField(null=True, blank=True)
    is_cancelled = models.BooleanField(default=False)
    checkin_code = models.CharField(max_length=CHECKIN_CODE_LENGTH, unique=True,
                                    default=new_checkin_code, editable=False)
    checkin_secret = models.CharField(max_length=32, default=new_checkin_secret, editable=False)
    checkin_code_rotates = models.BooleanField(
        default=False, help_text="Show a code that changes every few minutes.")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="session_ends_after_it_starts"),
        ]
        indexes = [models.Index(fields=["course", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def display_title(self) -> str:
        return self.title or self.course.title

    @property
    def duration_hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)


class CreditDesignation(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE,
                               related_name="credit_designations")
    credit_type = models.CharField(max_length=20,
                                   help_text="A credit type's code (courses.credittypes).")
    max_credits = models.DecimalField(max_digits=5, decimal_places=2,
                                      help_text="Maximum claimable, in steps of 0.25.")
    acpe_uan = models.CharField("ACPE universal activity number", max_length=30, blank=True,
                                help_text="For example 0197-0000-26-014-L01-P.")

    class Meta:
        ordering = ["credit_type"]
        constraints = [
            models.UniqueConstraint(fields=["course", "credit_type"],
                                    name="designation_one_per_type"),
            # A UAN is well formed and only on ACPE credit. Publishing also needs one on every
            # ACPE designation (courses.services.review), which designations saved before this
            # rule may lack.
            models.CheckConstraint(
                condition=Q(acpe_uan="") | Q(credit_type="acpe", acpe_uan__regex=ACPE_UAN_REGEX),
                name="designation_acpe_uan_well_formed",
                violation_error_message=ACPE_UAN_FORMAT_HELP),
            models.CheckConstraint(
                condition=Q(max_credits__gt=0) & Exact(Mod(F("max_credits") * 4, 1), 0),
                name="designation_quarter_steps"),
        ]

    def __str__(self) -> str:
        return credit_amount_display(self.max_credits, self.credit_type)

    def get_credit_type_display(self) -> str:
        return credit_type_name(self.credit_type)

    def clean(self) -> None:
        self.acpe_uan = acpe_uan_normalise(self.acpe_uan)
        if self.credit_type == CreditType.ACPE:
            problem = acpe_uan_problem(self.acpe_uan)
            if problem:
                raise ValidationError({"acpe_uan": problem})
        elif self.acpe_uan:
            raise ValidationError({"acpe_uan": "Only an ACPE designation has a universal "
                                               "activity number; clear this field."})


class Disclosure(models.Model):
    """A person in control of the activity's content, in a role (ACCME Standard 3).

    What they disclose (signed, valid 12 months, reused across activities) and its per-activity
    mitigation live in `courses.disclosures`.
    """

    class Role(models.TextChoices):
        FACULTY = "faculty", _("Faculty")
        PLANNER = "planner", _("Planner")
        REVIEWER = "reviewer", _("Reviewer")
        DIRECTOR = "director", _("Course director")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="disclosures")
    faculty = models.ForeignKey(Faculty, on_delete=models.PROTECT, related_name="disclosures")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.FACULTY)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["faculty__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "faculty", "role"],
                                    name="disclosure_role_once_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.faculty}: {self.get_role_display().lower()} of {self.course}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WAITLISTED = "waitlisted", "Waitlisted"
        PENDING = "pending", "Pending approval"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE_STATUSES = (Status.ENROLLED, Status.WAITLISTED, Status.PENDING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=10, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"],
                                    condition=Q(status__in=["enrolled", "waitlisted", "pending"]),
                                    name="enrolment_one_active_per_course"),
            models.UniqueConstraint(fields=["course", "waitlist_position"],
                                    condition=Q(status="waitlisted"),
                                    name="enrolment_waitlist_position_unique"),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="enrolment_position_only_when_waitlisted"),
        ]
        indexes = [models.Index(fields=["course", "status"]),
                   models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.course} ({self.status})"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A clinician's private calendar subscription URL; the token is the only credential.

    Revoking keeps the row (so an old URL answers 404, not someone else's feed); regenerating
    revokes the current token and issues a new one.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token,
                             editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                    name="calendar_feed_one_active_per_user"),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Calendar feed of {self.user} ({state})"

    def get_absolute_url(self) -> str:
        return reverse("courses:calendar_feed", args=[self.token])
