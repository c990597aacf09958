"""A learner's attempts at a SCORM package's SCOs and every commit the runtime sent.

Commits are append-only evidence (a PostgreSQL trigger refuses UPDATE and DELETE); an attempt
keeps a summary of its latest commit for resuming and for the office's figures, and is never
deleted. Records point at the package version played, so a new version leaves them in place.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.models import Course
from courses.packages.models import ContentPackage


class ScoAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="sco_attempts")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sco_attempts")
    package = models.ForeignKey(ContentPackage, on_delete=models.PROTECT,
                                related_name="attempts")
    sco_identifier = models.CharField(max_length=200)
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    last_commit_at = models.DateTimeField(null=True, blank=True)
    # Set when the SCO called Finish/Terminate without asking to be suspended: the next launch
    # opens a new attempt (SCORM RTE: cmi.exit other than "suspend" ends the attempt).
    closed_at = models.DateTimeField(null=True, blank=True)
    # The first commit that met the completion rule (credits.online.scorm.rules); kept even if a
    # later commit of the same attempt reports less.
    satisfied_at = models.DateTimeField(null=True, blank=True)
    lesson_status = models.CharField(max_length=20, blank=True)  # SCORM 1.2
    completion_status = models.CharField(max_length=20, blank=True)  # SCORM 2004
    success_status = models.CharField(max_length=20, blank=True)  # SCORM 2004
    score_raw = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    score_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)
    # Time of the attempt's earlier sessions: each launch starts a session whose session_time
    # counts from zero again.
    seconds_before_session = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "package", "sco_identifier", "number"],
                                    name="sco_attempt_number_unique"),
            models.UniqueConstraint(fields=["user", "package", "sco_identifier"],
                                    condition=Q(closed_at__isnull=True),
                                    name="sco_attempt_one_open"),
        ]
        indexes = [models.Index(fields=["course", "user"])]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.user} at {self.sco_identifier}"

    @property
    def satisfied(self) -> bool:
        return self.satisfied_at is not None


class ScoCommit(models.Model):
    attempt = models.ForeignKey(ScoAttempt, on_delete=models.PROTECT, related_name="commits")
    # Made by the player for each commit: a retried request carries the same one.
    commit_id = models.UUIDField()
    received_at = models.DateTimeField()
    terminate = models.BooleanField(default=False)
    cmi = models.JSONField()
    session_seconds = models.PositiveIntegerField(default=0)
    satisfied = models.BooleanField(default=False)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["attempt", "commit_id"],
                                               name="sco_commit_once")]

    def __str__(self) -> str:
        return f"Commit {self.commit_id} of {self.attempt}"
