"""Who attended which session, and for how long."""
from django.conf import settings
from django.db import models
from django.db.models import Q


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"

    class Source(models.TextChoices):
        CHECK_IN = "check_in", "Checked in with the code"
        ROSTER = "roster", "Marked on the roster"
        IMPORT = "import", "Imported from a participant report"

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
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} {self.status} at {self.session}"
