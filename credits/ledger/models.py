"""The credit ledger: one record per clinician, activity and credit type, never deleted.

ACCME requires providers to keep attendance and credit records for six years. A record leaves
the ledger only by being voided with a reason; deletion is refused by the model, by the admin
and (on PostgreSQL) by a trigger, and every change is written to CreditRecordChange.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.credit_types import credit_amount_display, credit_type_name


class CreditRecordDeletionRefused(Exception):
    """Credit records are voided, never deleted."""


class CreditRecord(models.Model):
    class Source(models.TextChoices):
        CLAIM = "claim", _("Claimed by the learner")
        EXTERNAL = "external", _("External activity")
        ADMINISTRATOR = "administrator", _("Recorded by the CME office")

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        VOIDED = "voided", "Voided"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="credit_records")
    course = models.ForeignKey("courses.Course", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="credit_records",
                               help_text="Empty for an external activity.")
    external_activity = models.ForeignKey("credits.ExternalActivity", null=True, blank=True,
                                          on_delete=models.PROTECT,
                                          related_name="credit_records")
    credit_type = models.CharField(max_length=20,
                                   help_text="A credit type's code (courses.credittypes).")
    amount = models.DecimalField(max_digits=5, decimal_places=2)
    completed_on = models.DateField(help_text="Completion date: the last session attended.")
    claimed_at = models.DateTimeField()
    source = models.CharField(max_length=15, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    void_reason = models.TextField(blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            # One active record per learner, activity and type: no double claiming.
            models.UniqueConstraint(fields=["user", "course", "credit_type"],
                                    condition=Q(status="active", course__isnull=False),
                                    name="credit_once_per_course_and_type"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive"),
            models.CheckConstraint(
                condition=Q(course__isnull=False, external_activity__isnull=True)
                | Q(course__isnull=True, external_activity__isnull=False),
                name="credit_course_xor_external"),
            models.CheckConstraint(
                condition=Q(status="active", voided_at__isnull=True)
                | (Q(status="voided", voided_at__isnull=False) & ~Q(void_reason="")),
                name="credit_void_has_reason"),
        ]
        indexes = [
            models.Index(fields=["user", "status", "completed_on"]),
            models.Index(fields=["course", "status"]),
            models.Index(fields=["completed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {credit_amount_display(self.amount, self.credit_type)}"

    @property
    def amount_display(self) -> str:
        return credit_amount_display(self.amount, self.credit_type)

    def get_credit_type_display(self) -> str:
        return credit_type_name(self.credit_type)

    def delete(self, *args, **kwargs):
        raise CreditRecordDeletionRefused("Credit records are never deleted; void them instead.")


class CreditRecordChange(models.Model):
    """Audit trail: who changed a credit record, when, and its fields before and after."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # Set by credit_record_create and friends (the moment of the change), not auto_now_add, so
    # a change replayed from the past keeps its own time.
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        # The API's credit-record change feed reads it in this order (credits/reports/sync.py).
        indexes = [models.Index(fields=["changed_at", "id"], name="credit_change_feed")]

    def __str__(self) -> str:
        return f"{self.action} of credit record {self.record_id} at {self.changed_at:%Y-%m-%d}"


class ExternalActivity(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="external_activities")
    provider = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    completed_on = models.DateField()
    credit_type = models.CharField(max_length=20,
                                   help_text="A credit type's code (courses.credittypes).")
    amount = models.DecimalField(max_digits=5, decimal_places=2)
    certificate = models.FileField(upload_to="external-certificates/%Y/%m/")
    topics = models.ManyToManyField("courses.Topic", blank=True, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name_plural = "external activities"

    def __str__(self) -> str:
        return f"{self.title} ({self.provider})"

    def get_credit_type_display(self) -> str:
        return credit_type_name(self.credit_type)
