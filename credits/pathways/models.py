"""Pathways, their versions, rules and steps, and the learners walking them.

A pathway's content lives in versions. The office edits a draft version; publishing freezes it
and makes it current. A learner joins a version and keeps it: a later version changes nothing for
those already on their way (as a skills checklist keeps the version it was started on).

Rules are data: a version's steps sit in groups, each group says how many of its steps are
needed ("all of these" for required steps, "1 of these 2" for electives), a step may wait for
another (its prerequisite), and a version may give a time limit counted from the day a learner
joins.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from courses.models import Course, Session
from credits.certificates.models import (
    CODE_GROUP,
    CODE_LENGTH,
    certificate_storage,
    new_identity_salt,
    new_verification_code,
)


class Pathway(models.Model):
    class Entry(models.TextChoices):
        OPEN = "open", "Open: anyone joins and goes at their own pace"
        ASSIGNED = "assigned", "Assigned: the office enrols a group"
        APPLICATION = "application", "By application: learners apply for a cohort's places"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="Who the pathway is for and what it prepares them to do.")
    entry = models.CharField(max_length=11, choices=Entry.choices, default=Entry.OPEN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey("PathwayVersion", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [models.CheckConstraint(
            condition=Q(status="draft") | Q(current_version__isnull=False),
            name="pathway_published_has_current_version")]

    def __str__(self) -> str:
        return self.title


class PathwayVersion(models.Model):
    """One edition of a pathway's rules and steps; frozen once published."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    time_limit_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Days from joining to finish; empty for no limit.")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pathway", "number"]
        constraints = [models.UniqueConstraint(fields=["pathway", "number"],
                                               name="pathway_version_number_once")]

    def __str__(self) -> str:
        return f"{self.pathway} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class StepGroup(models.Model):
    """A rule over some steps: all of them (required) or `required_count` of them (electives)."""

    version = models.ForeignKey(PathwayVersion, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120, help_text="e.g. 'Core' or 'Choose one elective'.")
    # Empty: every step of the group is required.
    required_count = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [models.CheckConstraint(
            condition=Q(required_count__isnull=True) | Q(required_count__gte=1),
            name="step_group_needs_at_least_one")]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    """One thing to do. Its kind says what completes it: a course-backed kind its course's
    completion, a skills checklist its validation (a completed checklist), an external
    activity the learner's record."""

    class Kind(models.TextChoices):
        LIVE_COURSE = "live_course", "Live course or series"
        ONLINE_MODULE = "online_module", "Online module"
        DRILL = "drill", "Practice drill"
        SKILLS_CHECKLIST = "skills_checklist", "Skills checklist"
        ASSIGNED_TRAINING = "assigned_training", "Assigned training"
        EXTERNAL = "external", "External activity"

    # The course formats each course-backed kind accepts (one place for forms and services).
    COURSE_FORMATS = {
        Kind.LIVE_COURSE: (Course.Format.LIVE, Course.Format.RSS, Course.Format.HYBRID),
        Kind.ONLINE_MODULE: (Course.Format.ENDURING,),
        Kind.DRILL: (Course.Format.DRILL,),
    }

    version = models.ForeignKey(PathwayVersion, on_delete=models.CASCADE, related_name="steps")
    group = models.ForeignKey(StepGroup, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pathway_steps")
    assignment = models.ForeignKey("credits.Assignment", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="pathway_steps")
    checklist = models.ForeignKey("checklists.Checklist", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="pathway_steps")
    title = models.CharField(max_length=200, blank=True,
                             help_text="For an external activity; other kinds show the activity's "
                                       "title.")
    instructions = models.TextField(blank=True)
    prerequisite = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="unlocks")
    # Empty: a completion from any time before joining counts; 0: only after joining; N: one
    # within N days before joining (e.g. ACLS within two years).
    earlier_completion_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="How recent a completion from before joining must be to count; empty for any, "
                  "0 for none.")
    due_days_after_start = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Pacing: due this many days after the learner joins.")

    class Meta:
        ordering = ["version", "group__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=["live_course", "online_module", "drill"],
                             course__isnull=False, assignment__isnull=True,
                             checklist__isnull=True)
                           | Q(kind="assigned_training", assignment__isnull=False,
                               course__isnull=True, checklist__isnull=True)
                           | Q(kind="skills_checklist", checklist__isnull=False,
                               course__isnull=True, assignment__isnull=True)
                           | Q(kind="external", course__isnull=True, assignment__isnull=True,
                               checklist__isnull=True)
                           & ~Q(title="")),
                name="step_kind_names_its_activity"),
            models.CheckConstraint(condition=~Q(prerequisite=F("pk")),
                                   name="step_not_its_own_prerequisite"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.course_id:
            return self.course.title
        if self.assignment_id:
            return self.assignment.title
        if self.checklist_id:
            return self.checklist.title
        return self.title


class Cohort(models.Model):
    """A group that starts together: its start date (step due dates count from it), and for an
    application pathway its places and the deadline to apply."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="e.g. 'Spring 2027'.")
    starts_on = models.DateField()
    places = models.PositiveSmallIntegerField(null=True, blank=True)
    applications_close_on = models.DateField(null=True, blank=True)
    application_prompt = models.TextField(
        blank=True, help_text="What applicants write about, e.g. 'Why now, and your manager's "
                              "support'.")

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.pathway} — {self.name}"


class CohortSession(models.Model):
    """A live session kept for one cohort: only its members see it and enrol in it (through
    the `courses.session_audience` hook), the office and the course's directors see it marked.
    The session is a session of a live course step's course, like any other; this row is what
    makes it the cohort's own."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sessions")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="cohort_link")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.session} for {self.cohort}"


class PathwayApplication(models.Model):
    """One learner's application for a cohort's place; decided once by the office (accept,
    waitlist, decline), withdrawn by the learner; a withdrawn place goes to the first
    waitlisted."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="pathway_applications")
    statement = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # Waitlist order: first waitlisted, first offered a place.
    waitlisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"],
                                               name="pathway_application_once")]
        indexes = [models.Index(fields=["cohort", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} for {self.cohort_id} ({self.status})"


class PathwayEnrolment(models.Model):
    """One learner on one pathway, on the version they joined."""

    class Source(models.TextChoices):
        JOINED = "joined", "Joined"
        ASSIGNED = "assigned", "Assigned"
        APPLICATION = "application", "Accepted on application"

    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        COMPLETED = "completed", "Completed"
        LEFT = "left", "Left"

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(PathwayVersion, on_delete=models.PROTECT,
                                related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="pathway_enrolments")
    source = models.CharField(max_length=11, choices=Source.choices, default=Source.JOINED)
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="enrolments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField()
    finish_by = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "user"], name="pathway_enrolment_once"),
            models.CheckConstraint(
                condition=(Q(status="completed", completed_on__isnull=False)
                           | ~Q(status="completed") & Q(completed_on__isnull=True)),
                name="pathway_enrolment_completed_has_date"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.pathway_id}"


class ExternalStepRecord(models.Model):
    """An external activity's completion as the learner recorded it (once per step)."""

    enrolment = models.ForeignKey(PathwayEnrolment, on_delete=models.PROTECT,
                                  related_name="external_records")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="external_records")
    completed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True,
                            help_text="Where and with whom, e.g. 'AHA ACLS provider, card 1234'.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "step"],
                                               name="external_step_recorded_once")]

    def __str__(self) -> str:
        return f"{self.step} on {self.completed_on}"


def pathway_certificate_pdf_path(certificate: "PathwayCertificate", filename: str) -> str:
    # One name per certificate: a retried render overwrites, never adds a file.
    return f"pathway-certificates/{certificate.pk}/pathway-certificate.pdf"


class PathwayCertificate(models.Model):
    """The certificate and Open Badges 3.0 credential of a completed pathway: one per
    enrolment, its printed facts stored when issued (never recomputed), its PDF rendered by a
    worker, its code verifiable on the public page the QR code opens."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be made"
        READY = "ready", "Ready"

    enrolment = models.OneToOneField(PathwayEnrolment, on_delete=models.PROTECT,
                                     related_name="certificate")
    verification_code = models.CharField(max_length=CODE_LENGTH, unique=True,
                                         default=new_verification_code, editable=False)
    learner_name = models.CharField(max_length=170)
    pathway_title = models.CharField(max_length=200)
    version_number = models.PositiveSmallIntegerField()
    criteria = models.TextField(help_text="The rules met, in words, as printed and signed.")
    steps = models.JSONField(default=list, help_text="Snapshot: [{title, kind, completed_on}].")
    started_on = models.DateField()
    completion_date = models.DateField()
    issue_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(upload_to=pathway_certificate_pdf_path, storage=certificate_storage,
                           blank=True, max_length=200)
    rendered_at = models.DateTimeField(null=True, blank=True)
    credential_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    identity_salt = models.CharField(max_length=32, default=new_identity_salt, editable=False)
    credential = models.TextField(help_text="The signed OpenBadgeCredential (compact JWS).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]

    def __str__(self) -> str:
        return f"Pathway certificate {self.code_display} ({self.learner_name})"

    @property
    def code_display(self) -> str:
        code = self.verification_code
        return "-".join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))

    @property
    def verification_url(self) -> str:
        from django.urls import reverse

        return settings.SITE_URL + reverse("pathways:certificate_verify",
                                           kwargs={"code": self.verification_code})
