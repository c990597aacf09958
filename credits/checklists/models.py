"""Checklists and their versions, units, validators, and each learner's validation history.

A checklist keeps its identity across versions; its skills belong to one version, and a
learner's checklist (one per validation cycle) stays on the version it was opened on. Skill
validations and self-assessments are append-only: a correction is a new entry naming the one it
corrects, with a reason (PostgreSQL refuses UPDATE and DELETE, migration 0002).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.credit_types import CreditType


class Unit(models.Model):
    """A unit or department (4 West Medical-Surgical, the Emergency Department)."""

    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="UnitMembership",
                                     related_name="units")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitMembership(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="unit_memberships")
    is_manager = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "user"],
                                               name="unit_membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.unit}"


class ValidationMethod(models.TextChoices):
    OBSERVATION = "observation", _("Direct observation")
    RETURN_DEMONSTRATION = "return_demonstration", _("Return demonstration")
    SIMULATION = "simulation", _("Simulation")
    VERBAL = "verbal", _("Verbal review")
    TEST = "test", _("Written test")


class Checklist(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="owned_checklists")
    # What a completed checklist puts on the transcript.
    credit_type = models.CharField(max_length=20, default=CreditType.PARTICIPATION,
                                   help_text="A credit type's code (courses.credittypes).")
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0),
                                              name="checklist_hours_positive")]

    def __str__(self) -> str:
        return self.title


class ChecklistVersion(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    outline = models.TextField(help_text="The source the sections and skills were read from.")
    rating_scale = models.JSONField(help_text="Level labels, lowest first.")
    expires_after_months = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["checklist", "-number"]
        constraints = [models.UniqueConstraint(fields=["checklist", "number"],
                                               name="checklist_version_number_once")]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"

    def level_label(self, level: int | None) -> str:
        if not level:
            return ""
        return f"{level} — {self.rating_scale[level - 1]}"


class Section(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT,
                                related_name="sections")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.title


class Skill(models.Model):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="skills")
    title = models.CharField(max_length=300)
    critical_steps = models.JSONField(default=list)
    methods = models.JSONField(help_text="Accepted ValidationMethod values.")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["section__position", "position"]

    def __str__(self) -> str:
        return self.title

    @property
    def method_choices(self) -> list[tuple[str, str]]:
        return [(method, ValidationMethod(method).label) for method in self.methods]


class Resource(models.Model):
    """A policy PDF, a lesson or a drill that helps the learner prepare."""

    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT,
                                related_name="resources")
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    document = models.FileField(upload_to="checklist-resources/%Y/%m/", blank=True)

    def __str__(self) -> str:
        return self.title


class Validator(models.Model):
    """Someone the office or a unit manager authorised to validate a checklist, for the
    learners of one unit or (unit empty) for everyone."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="validators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="checklist_validations_authorised")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    authorised_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checklist", "user", "unit"],
                                    name="validator_once_per_unit"),
            models.UniqueConstraint(fields=["checklist", "user"], condition=Q(unit=None),
                                    name="validator_once_for_everyone"),
        ]

    def __str__(self) -> str:
        return f"{self.user} validates {self.checklist}"


class LearnerChecklist(models.Model):
    """One learner's checklist for one validation cycle (a year's re-validation is a new one)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="checklists")
    cycle = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    opened_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    # Set when a skill needs remediation (the follow-up's due date), cleared when no skill
    # needs it any more.
    remediation_due_on = models.DateField(null=True, blank=True)
    # The PDF of validated competencies and the transcript record, made once after completion.
    pdf = models.FileField(upload_to="checklist-records/%Y/%m/", blank=True)
    external_activity = models.OneToOneField("credits.ExternalActivity", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "learner", "cycle"],
                                    name="learner_checklist_cycle_once"),
            models.UniqueConstraint(fields=["checklist", "learner"],
                                    condition=Q(status="in_progress"),
                                    name="learner_checklist_one_open"),
            models.CheckConstraint(
                condition=Q(status="in_progress", completed_on=None)
                | Q(status="completed", completed_on__isnull=False),
                name="learner_checklist_completed_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} — {self.learner}"


class SelfAssessment(models.Model):
    """The learner's own rating of a skill; the latest entry counts."""

    learner_checklist = models.ForeignKey(LearnerChecklist, on_delete=models.PROTECT,
                                          related_name="self_assessments")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"{self.skill}: level {self.level}"


class SkillValidation(models.Model):
    """A validator's entry for one skill; the latest entry per skill is the skill's state."""

    class Status(models.TextChoices):
        VALIDATED = "validated", _("Validated")
        NEEDS_REMEDIATION = "needs_remediation", _("Needs remediation")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    learner_checklist = models.ForeignKey(LearnerChecklist, on_delete=models.PROTECT,
                                          related_name="validations")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    validator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    method = models.CharField(max_length=24, choices=ValidationMethod.choices, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    validated_on = models.DateField()
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to="checklist-evidence/%Y/%m/", blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    correction_reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["learner_checklist", "skill", "-id"])]
        constraints = [
            models.CheckConstraint(condition=Q(corrects=None) | ~Q(correction_reason=""),
                                   name="validation_correction_has_reason"),
            models.CheckConstraint(
                condition=Q(status="not_applicable") | (~Q(method="") & Q(level__isnull=False)),
                name="validation_has_method_and_level"),
        ]

    def __str__(self) -> str:
        return f"{self.skill}: {self.get_status_display()}"


class Station(models.Model):
    """One station of a competency day: a live session whose learners rotate through stations,
    each run by one validator who records a checklist's skills (all of them, or the subset
    chosen here) with the method and level preset, one tap per skill. Who may be validated
    there is who is enrolled in the session's activity (credits/checklists/stations/)."""

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT,
                                related_name="skills_stations")
    name = models.CharField(max_length=200, help_text="As the validator and learners see it, "
                                                      "e.g. “Station 2: Central-line care”.")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="stations")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="+",
                                help_text="The version whose skills the station records.")
    skills = models.ManyToManyField(Skill, blank=True, related_name="+",
                                    help_text="Empty: every skill of the version.")
    validator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="skills_stations")
    method = models.CharField(max_length=24, choices=ValidationMethod.choices)
    level = models.PositiveSmallIntegerField(help_text="The rating-scale level a tap records.")
    position = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1),
                                              name="station_level_on_the_scale")]

    def __str__(self) -> str:
        return self.name
