"""Who attended which session and for how long, and the participant reports (Zoom, Teams,
...) imported to record it."""
from django.conf import settings
from django.db import models
from django.db.models import Q


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"

    class Source(models.TextChoices):
        CHECK_IN = "check_in", "Room check-in"
        ROSTER = "roster", "Director"
        IMPORT = "import", "Imported report"
        ZOOM = "zoom", "Zoom"
        TEAMS = "teams", "Teams"
        STATION = "station", "Skills station"

    # Sources a worker writes from a meeting's report: they never replace what a person
    # recorded (the director's roster or override, an import they applied).
    AUTOMATIC_SOURCES = (Source.ZOOM, Source.TEAMS)

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT,
                                related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="attendances")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)
    minutes_attended = models.PositiveIntegerField(
        null=True, blank=True, help_text="For partial attendance; empty means the whole session.")
    source = models.CharField(max_length=10, choices=Source.choices)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_session"),
            models.CheckConstraint(condition=Q(minutes_attended__isnull=True)
                                   | Q(minutes_attended__lte=24 * 60),
                                   name="attendance_minutes_plausible"),
        ]
        indexes = [models.Index(fields=["user", "status"]),
                   # The API's completion feed (credits/reports/sync.py).
                   models.Index(fields=["updated_at", "id"], name="attendance_change_feed")]

    def __str__(self) -> str:
        return f"{self.user} {self.status} at {self.session}"


class AttendanceChange(models.Model):
    """The audit of attendance the director recorded or overrode: who, when, before, after and
    why. Append-only: PostgreSQL refuses UPDATE and DELETE (migration 0016)."""

    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # {"status", "minutes_attended", "source"} or null when the row was created.
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()
    reason = models.TextField()
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"Attendance {self.attendance_id} changed at {self.changed_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def describe(snapshot: dict | None) -> str:
        if snapshot is None:
            return "not recorded"
        text = Attendance.Status(snapshot["status"]).label.lower()
        if snapshot["minutes_attended"] is not None:
            text += f", {snapshot['minutes_attended']} min"
        return f"{text} ({Attendance.Source(snapshot['source']).label})"

    @property
    def before_display(self) -> str:
        return self.describe(self.before)

    @property
    def after_display(self) -> str:
        return self.describe(self.after)


class AttendanceImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Ready to apply"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Has errors"

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT,
                                related_name="attendance_imports")
    file = models.FileField(upload_to="attendance-imports/%Y/%m/")
    original_filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices)
    # Times without a zone in the report are read in this zone (the uploader's).
    time_zone = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField(default=0, help_text="Data rows in the file.")
    attendee_count = models.PositiveIntegerField(
        default=0, help_text="People the report names once duplicate rows are merged.")
    merged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # [{"line": 12, "email": "...", "message": "..."}], at most IMPORT_ERRORS_KEPT of them.
    errors = models.JSONField(default=list, blank=True)
    # The first rows as the preview shows them, so the page does not re-read a large file.
    preview_rows = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="applied", applied_at__isnull=False)
                | (~models.Q(status="applied") & models.Q(applied_at__isnull=True)),
                name="attendance_import_applied_at_iff_applied"),
        ]

    def __str__(self) -> str:
        return f"{self.original_filename} for {self.session_id} ({self.status})"
