"""Assignments and their materialised members (one row per learner and assignment)."""
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.choices import US_STATES, profession_choices
from courses.models import Course

# The one place that says which activities can be assigned: published online activities a
# learner completes alone. Drills join with one line (Course.Format.DRILL) at merge.
ASSIGNABLE_FORMATS: tuple[str, ...] = (Course.Format.ENDURING, Course.Format.DRILL)

# target -> how its value reads ("Unit: 4 West Medical-Surgical"), for targets registered by
# packages above this one (credits.assignments.selectors.target_register).
REGISTERED_TARGET_LABELS: dict[str, Callable[[str], str]] = {}


class Assignment(models.Model):
    class Target(models.TextChoices):
        PROFESSION = "profession", "Everyone of a profession"
        SPECIALTY = "specialty", "Everyone of a specialty"
        ROLE = "role", "Everyone with a portal role"
        LICENCE_STATE = "licence_state", "Everyone licensed in a state"
        EMAIL_LIST = "email_list", "A list of email addresses (CSV upload)"
        # Offered where a package above this one registers who it means (target_register):
        # units are the checklists package's.
        UNIT = "unit", "Everyone in a unit"

    class Due(models.TextChoices):
        FIXED = "fixed", "On a fixed date"
        AFTER = "after", "A number of days after each learner is assigned"

    class Recurrence(models.TextChoices):
        NONE = "none", "Once"
        ANNUAL = "annual", "Every year (annual required training)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Email list waiting to be applied"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"

    title = models.CharField(max_length=200, help_text="As learners see it, e.g. 'Annual "
                                                       "infection control 2027'.")
    # What is assigned: an online activity or drill, or a skills checklist (a string reference:
    # checklists sit above this package and complete its members through
    # assignment_completions_record).
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="assignments")
    checklist = models.ForeignKey("checklists.Checklist", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="assignments")
    target = models.CharField(max_length=20, choices=Target.choices)
    target_value = models.CharField(
        max_length=100, blank=True,
        help_text="The profession, specialty, role or state; empty for an email list.")
    due = models.CharField(max_length=10, choices=Due.choices, default=Due.FIXED)
    due_on = models.DateField(null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(null=True, blank=True)
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices,
                                  default=Recurrence.NONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # An email-list upload, previewed before it is applied (all rows or none).
    email_file = models.FileField(upload_to="assignment-imports/%Y/%m/", blank=True)
    email_line_count = models.PositiveIntegerField(default=0)
    email_errors = models.JSONField(default=list, blank=True)
    email_preview = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due="fixed", due_on__isnull=False)
                | Q(due="after", due_days__gt=0),
                name="assignment_due_date_or_days"),
            models.CheckConstraint(condition=Q(target="email_list") | ~Q(target_value=""),
                                   name="assignment_group_target_has_value"),
            models.CheckConstraint(
                condition=Q(course__isnull=False, checklist__isnull=True)
                | Q(course__isnull=True, checklist__isnull=False),
                name="assignment_one_activity_or_checklist"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def item_title(self) -> str:
        """The title of what is assigned, activity or checklist."""
        return (self.course or self.checklist).title

    @property
    def item_url(self) -> str:
        """Where the learner does it: the activity's page, or their checklists."""
        if self.course_id:
            return self.course.get_absolute_url()
        return reverse("checklists:mine")

    @property
    def target_display(self) -> str:
        if self.target == self.Target.EMAIL_LIST:
            return "Uploaded email list"
        if self.target in REGISTERED_TARGET_LABELS:
            return REGISTERED_TARGET_LABELS[self.target](self.target_value)
        shown = {self.Target.PROFESSION: dict(profession_choices()),
                 self.Target.LICENCE_STATE: dict(US_STATES)}.get(self.target, {})
        noun = {self.Target.PROFESSION: "Profession", self.Target.SPECIALTY: "Specialty",
                self.Target.ROLE: "Role", self.Target.LICENCE_STATE: "Licensed in"}[self.target]
        return f"{noun}: {shown.get(self.target_value, self.target_value)}"

    @property
    def due_display(self) -> str:
        if self.due == self.Due.FIXED:
            text = f"{self.due_on:%-d %b %Y}"
        else:
            text = f"{self.due_days} days after assignment"
        return text + (", every year" if self.recurrence == self.Recurrence.ANNUAL else "")


class AssignmentMember(models.Model):
    """One learner in one assignment, for the current period.

    `period_starts_after` is the day after which a completion counts for this period (empty: any
    completion, before or after the assignment, counts); an annual assignment moves it and
    `due_on` on by a year once the period is done and its due date has passed.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="assignment_memberships")
    assigned_on = models.DateField()
    due_on = models.DateField()
    period_starts_after = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["assignment", "user"],
                                               name="assignment_member_once")]
        indexes = [models.Index(fields=["user", "completed_on"]),
                   models.Index(fields=["assignment", "completed_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.assignment_id}"

    def status_on(self, today) -> str:
        if self.completed_on is not None:
            return "done"
        return "overdue" if today > self.due_on else "in_progress"
