"""A series' coordinator and rules, each session's plan (objectives, slides), the copies made
of a series for the next year, and learners' late-claim requests."""
import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SLIDES_EXTENSIONS = ["pdf", "pptx", "key", "odp"]


class SeriesCoordination(models.Model):
    """Who coordinates a regularly scheduled series, how early sessions must be ready, and how
    many late claims a learner may have approved in a calendar year."""

    course = models.OneToOneField("courses.Course", on_delete=models.CASCADE,
                                  related_name="coordination")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="coordinated_series",
        help_text="Follows the sessions and decides late claims; the course directors when "
                  "empty.")
    lead_business_days = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Business days before a session by which its speaker, disclosures and "
                  "slides or objectives must be in.")
    late_claims_per_year = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(52)],
        help_text="Late claims the coordinator may approve for one learner in a calendar year.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Coordination of {self.course}"


def slides_upload_to(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"series-slides/{instance.session_id}/{secrets.token_hex(8)}.{extension}"


class SessionPlan(models.Model):
    """What one session of a series will teach: its objectives and the speaker's slides."""

    session = models.OneToOneField("courses.Session", on_delete=models.CASCADE,
                                   related_name="plan")
    objectives = models.TextField(
        blank=True, help_text="One objective per line: 'At the end, participants will be "
                              "able to…'")
    slides = models.FileField(upload_to=slides_upload_to, blank=True,
                              validators=[FileExtensionValidator(SLIDES_EXTENSIONS)])
    slides_name = models.CharField(max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Plan of session {self.session_id}"


class SeriesCopy(models.Model):
    """A series copied forward to a year: one copy per series and year."""

    source = models.ForeignKey("courses.Course", on_delete=models.PROTECT,
                               related_name="copies_forward")
    year = models.PositiveSmallIntegerField()
    copy = models.OneToOneField("courses.Course", on_delete=models.PROTECT,
                                related_name="copied_from")
    copied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    copied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "year"],
                                               name="series_copy_once_per_year")]

    def __str__(self) -> str:
        return f"{self.source} copied to {self.year}"


class LateClaimRequest(models.Model):
    """A learner's request to be recorded present at a session whose check-in they missed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the coordinator")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT,
                                related_name="late_claim_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="late_claim_requests")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    filed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["filed_at"]
        constraints = [
            # A refused request may be followed by another; an open or approved one may not.
            models.UniqueConstraint(fields=["session", "user"],
                                    condition=Q(status__in=["open", "approved"]),
                                    name="late_claim_one_standing_per_session"),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="late_claim_decided_at_iff_decided"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="late_claim_refusal_has_reason"),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"Late claim of {self.user} for session {self.session_id} ({self.status})"
