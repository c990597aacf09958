"""A report of one claimed credit to the board that tracks it, and each attempt to send it.

One record per credit record (a unique key), so a claim is reported exactly once however often
the ledger's signal fires. Records and attempts are kept: they are the audit of what was sent.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q


class BoardReport(models.Model):
    class Board(models.TextChoices):
        CPE_MONITOR = "cpe_monitor", "NABP CPE Monitor"
        ABIM_MOC = "abim_moc", "ABIM MOC (through ACCME PARS)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent, waiting for the answer"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn (credit voided before it was sent)"

    class FixBy(models.TextChoices):
        NOBODY = "", "Nobody"
        LEARNER = "learner", "The learner (profile)"
        OFFICE = "office", "The CME office"

    credit_record = models.OneToOneField("credits.CreditRecord", on_delete=models.PROTECT,
                                         related_name="board_report")
    board = models.CharField(max_length=20, choices=Board.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_on = models.DateField(help_text="The board's deadline: 60 days (CPE Monitor) or 30 "
                                        "days (ABIM MOC) after the activity.")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True,
                                           help_text="When a retry after a transient error "
                                                     "is due.")
    sent_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True,
                                       help_text="Accepted by CPE Monitor, or the PARS file "
                                                 "holding it was uploaded.")
    response_code = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True, help_text="The service's words, as received.")
    fix_by = models.CharField(max_length=10, choices=FixBy.choices, blank=True)
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="The PARS learner file an MOC row went into.")
    resubmitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    resubmitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["board", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(reported_at__isnull=False),
                name="board_report_accepted_has_date"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(message=""),
                name="board_report_rejected_has_message"),
        ]

    def __str__(self) -> str:
        return f"{self.get_board_display()} report of credit record {self.credit_record_id}"


class BoardReportAttempt(models.Model):
    """One call to the service: when, what came back, and how the portal read it."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        TRANSIENT = "transient", "Transient error (retried)"

    report = models.ForeignKey(BoardReport, on_delete=models.PROTECT, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_code = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     help_text="Who resubmitted; empty for the automatic send.")

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"],
                                               name="board_attempt_once_per_number")]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.report}"
