"""What the portal owes ACCME's PARS and CE Broker, one row per thing reported, and each call.

A submission's natural key (kind, course, learner, live date, version) is unique, so however
often a claim's signal fires or a task is delivered the thing is recorded once and sent once.
A correction is a new version of the row: its send first deletes what the previous version left
at the service (PARS learner records cannot be edited). Rows and attempts are never deleted.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q


class Submission(models.Model):
    class Service(models.TextChoices):
        PARS = "pars", "ACCME PARS"
        CE_BROKER = "ce_broker", "CE Broker"

    class Kind(models.TextChoices):
        PARS_ACTIVITY = "pars_activity", "PARS activity"
        PARS_LEARNER = "pars_learner", "PARS learner record"
        CEB_COURSE = "ceb_course", "CE Broker course"
        CEB_PUBLISHING = "ceb_publishing", "CE Broker publishing (live date)"
        CEB_ROSTER = "ceb_roster", "CE Broker roster line"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent, waiting for the answer"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn (nothing left to report)"
        SUPERSEDED = "superseded", "Replaced by a correction"

    class FixBy(models.TextChoices):
        NOBODY = "", "Nobody"
        LEARNER = "learner", "The learner (profile)"
        OFFICE = "office", "The CME office"

    class BoardStatus(models.TextChoices):
        NONE = "", "No board"
        PENDING = "pending", "Waiting for the board"
        ACCEPTED = "accepted", "Accepted by the board"
        REJECTED = "rejected", "Rejected by the board"

    service = models.CharField(max_length=10, choices=Service.choices)
    kind = models.CharField(max_length=15, choices=Kind.choices)
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    live_date = models.DateField(null=True, blank=True,
                                 help_text="The date a CE Broker publishing stands for.")
    version = models.PositiveSmallIntegerField(default=1)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction",
                                    help_text="The version this one replaces; its record at "
                                              "the service is deleted before this is sent.")
    values = models.JSONField(default=dict, blank=True,
                              help_text="The amounts and date reported (a change makes a "
                                        "correction).")
    refused_identity = models.JSONField(
        default=dict, blank=True, help_text="The learner's details a rejection they must fix "
                                            "was given for; a change sends it again.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_on = models.DateField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=60, blank=True,
                                 help_text="The service's id: PARS activity or learner record, "
                                           "CE Broker course (20-…) or publishing.")
    remote_deleted_at = models.DateTimeField(null=True, blank=True)
    response_code = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True, help_text="The service's words, as received.")
    fix_by = models.CharField(max_length=10, choices=FixBy.choices, blank=True)
    board_status = models.CharField(max_length=10, choices=BoardStatus.choices, blank=True)
    board_message = models.TextField(blank=True)
    board_checked_at = models.DateTimeField(null=True, blank=True)
    resubmitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["service", "status", "due_on"]),
                   models.Index(fields=["kind", "course", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "course", "user", "live_date", "version"],
                                    nulls_distinct=False, name="submission_once_per_subject"),
            models.CheckConstraint(condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                                   name="submission_accepted_has_date"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(message=""),
                                   name="submission_rejected_has_message"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.get_status_display()})"


class SubmissionAttempt(models.Model):
    """One call: which, when, what came back and how the portal read it."""

    class Call(models.TextChoices):
        SAVE = "save", "Save"
        DELETE = "delete", "Delete the previous version"
        VALIDATE = "validate", "Licence validation"
        BOARD_STATUS = "board_status", "Board status"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT,
                                   related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    call = models.CharField(max_length=15, choices=Call.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_code = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.get_call_display()} {self.number} of {self.submission}"
