"""A session's Zoom meeting or Teams online meeting, the learners registered into it, the
webhook deliveries and report pulls that recorded attendance, and the participants nobody
could be matched to (the director's review list)."""
from django.conf import settings
from django.db import models
from django.db.models import Q


class Provider(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"


class VirtualMeeting(models.Model):
    """A session's meeting on one service; a hybrid session streamed on both Zoom and Teams has
    one of each, and each learner's minutes come from whichever platform gave more."""

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT,
                                related_name="virtual_meetings")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    # Zoom: the meeting or webinar number. Teams: the onlineMeeting id and its organizer's id.
    meeting_id = models.CharField(max_length=300)
    organizer_id = models.CharField(max_length=100, blank=True)
    # The generic join link (learners get their personal one when registrants exist).
    join_url = models.URLField(max_length=1000, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True,
                                    help_text="When the provider said the meeting ended.")
    # Set when a pull succeeded; the beat tick pulls once more after REPORT_REPULL_MINUTES.
    first_pulled_at = models.DateTimeField(null=True, blank=True)
    repulled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "meeting_id"],
                                               name="virtual_meeting_once_per_provider"),
                       models.UniqueConstraint(fields=["session", "provider"],
                                               name="virtual_meeting_one_per_service")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.meeting_id} for session {self.session_id}"


class MeetingRegistrant(models.Model):
    """One enrolled learner registered into a Zoom meeting: the personal join link, and the
    registrant id the participant report carries."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to register"
        REGISTERED = "registered", "Registered"
        FAILED = "failed", "Registration failed"

    meeting = models.ForeignKey(VirtualMeeting, on_delete=models.PROTECT,
                                related_name="registrants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="meeting_registrations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    registrant_id = models.CharField(max_length=100, blank=True)
    join_url = models.URLField(max_length=1000, blank=True)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="registrant_once_per_meeting"),
            models.UniqueConstraint(fields=["meeting", "registrant_id"],
                                    condition=~Q(registrant_id=""),
                                    name="registrant_id_unique_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.meeting}"


class WebhookDelivery(models.Model):
    """Every signed webhook call accepted; the signature is unique, so a replayed call (same
    timestamp, same body) is refused before it does anything."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    signature = models.CharField(max_length=200)
    event = models.CharField(max_length=100)
    meeting_id = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "signature"],
                                               name="webhook_delivery_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} at {self.received_at:%Y-%m-%d %H:%M}"


class ReportPull(models.Model):
    """One attempt to pull a meeting's participant report, kept whatever its outcome."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        RETRYING = "retrying", "Will retry"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(VirtualMeeting, on_delete=models.PROTECT, related_name="pulls")
    reason = models.CharField(max_length=30, help_text="meeting.ended, repull, director...")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    participant_rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    attendance_written = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Pull of {self.meeting} ({self.outcome})"


class UnmatchedParticipant(models.Model):
    """Someone in the report matched by neither registrant id nor email: the director links
    them to a learner (attendance is then written) or dismisses them."""

    class Status(models.TextChoices):
        OPEN = "open", "To review"
        LINKED = "linked", "Linked"
        DISMISSED = "dismissed", "Dismissed"

    meeting = models.ForeignKey(VirtualMeeting, on_delete=models.PROTECT,
                                related_name="unmatched")
    # The report's stable key for the person (email, else the provider's user id, else name).
    participant_key = models.CharField(max_length=300)
    name = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=300, blank=True)
    minutes = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    linked_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant_key"],
                                    name="unmatched_once_per_meeting"),
            models.CheckConstraint(condition=~Q(status="linked") | Q(linked_user__isnull=False),
                                   name="unmatched_linked_has_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} in {self.meeting}"


class TextingPhone(models.Model):
    """A learner's mobile number for text check-in, verified once: the learner adds it in the
    profile and texts the code shown there from that phone to the office's number."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="texting_phone")
    number = models.CharField(max_length=20, help_text="E.164, e.g. +16175550123.")
    code = models.CharField(max_length=6, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["number"],
                                               condition=Q(verified_at__isnull=False),
                                               name="texting_phone_verified_once")]

    def __str__(self) -> str:
        return f"{self.number} ({'verified' if self.verified_at else 'pending'})"


class InboundText(models.Model):
    """Every text received on the office's number and the reply sent, once per MessageSid: a
    repeated delivery gets the same reply and changes nothing."""

    message_sid = models.CharField(max_length=64, unique=True)
    from_number = models.CharField(max_length=20)
    body = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=20)
    reply = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.from_number}: {self.body} ({self.outcome})"
