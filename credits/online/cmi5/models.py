"""cmi5 on the portal's side: a learner's registration for a package version, each AU session
the portal launched with its one-time fetch key and session token, the xAPI statements the AU
and the portal wrote, and the xAPI State documents (LMS.LaunchData and the AU's own).

Statements are append-only evidence (a PostgreSQL trigger refuses UPDATE and DELETE). Progress
towards completion lives where SCORM's does (credits.online.scorm.models.ScoAttempt: one per
AU and registration), so the module's steps, results and completion read both alike.
"""
from django.conf import settings
from django.db import models

from courses.models import Course
from courses.packages.models import ContentPackage
from credits.online.scorm.models import ScoAttempt


class Registration(models.Model):
    """The learner's enrolment in one package version (cmi5 section 9.6.1 registration)."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="cmi5_registrations")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(ContentPackage, on_delete=models.PROTECT, related_name="+")
    registration = models.UUIDField(unique=True)
    created_at = models.DateTimeField()
    # When the portal wrote the course's "satisfied" statement (every AU met its moveOn).
    satisfied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "package"],
                                               name="cmi5_registration_per_version")]

    def __str__(self) -> str:
        return f"Registration {self.registration} of {self.user}"


class AuSession(models.Model):
    """One launch of an AU. The fetch key (in the launch URL) returns the session's token once;
    the token authorises the AU's xAPI requests for this registration until the session ends.
    Both are stored as SHA-256 digests."""
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="sessions")
    attempt = models.ForeignKey(ScoAttempt, on_delete=models.PROTECT, related_name="+")
    session_id = models.UUIDField(unique=True)
    activity_id = models.CharField(max_length=300)
    fetch_key_sha256 = models.CharField(max_length=64, unique=True)
    token_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True)
    launched_at = models.DateTimeField()
    fetched_at = models.DateTimeField(null=True, blank=True)
    initialized_at = models.DateTimeField(null=True, blank=True)
    last_statement_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["launched_at", "pk"]

    def __str__(self) -> str:
        return f"Session {self.session_id} of {self.attempt}"

    @property
    def open(self) -> bool:
        return self.terminated_at is None and self.abandoned_at is None


class Statement(models.Model):
    """An xAPI statement as stored, with "stored" and "authority" set by the portal."""
    statement_id = models.UUIDField(unique=True)
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="statements")
    session = models.ForeignKey(AuSession, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="statements")
    verb_id = models.CharField(max_length=300)
    object_id = models.CharField(max_length=300)
    # Written by the portal (launched, abandoned, satisfied), not by the AU.
    by_portal = models.BooleanField(default=False)
    stored_at = models.DateTimeField()
    statement = models.JSONField()

    class Meta:
        ordering = ["stored_at", "pk"]
        indexes = [models.Index(fields=["registration", "stored_at"])]

    def __str__(self) -> str:
        return f"{self.verb_id} {self.object_id}"


class StateDocument(models.Model):
    """An xAPI State API document of the registration (the learner is the registration's)."""
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="states")
    activity_id = models.CharField(max_length=300)
    state_id = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "activity_id", "state_id"],
                                               name="cmi5_state_document_unique")]

    def __str__(self) -> str:
        return f"{self.state_id} of {self.activity_id}"
