"""An online activity's content packages (SCORM 1.2, SCORM 2004 and cmi5): each upload is a
new version whose original zip is kept, extracted by a worker, and played once the director
publishes it. A newer published version replaces the older for new launches; learners' records
point at the version they played and are kept (credits.tracking)."""
from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from courses.models import Course


def package_storage():
    return storages[settings.PACKAGE_STORAGE]


def original_path(instance, filename: str) -> str:
    return f"packages/{instance.course_id}/v{instance.version}/original.zip"


class ContentPackage(models.Model):
    class Standard(models.TextChoices):
        SCORM_12 = "scorm12", "SCORM 1.2"
        SCORM_2004 = "scorm2004", "SCORM 2004"
        CMI5 = "cmi5", "cmi5"

    class Status(models.TextChoices):
        EXTRACTING = "extracting", "Extracting"
        READY = "ready", "Ready to publish"
        FAILED = "failed", "Extraction failed"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="packages")
    version = models.PositiveSmallIntegerField()
    standard = models.CharField(max_length=12, choices=Standard.choices)
    schema_version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    # The parsed manifest (courses.packages.manifest.Manifest.as_json): SCOs and pass marks.
    manifest = models.JSONField()
    original = models.FileField(upload_to=original_path, storage=package_storage)
    original_sha256 = models.CharField(max_length=64)
    original_bytes = models.PositiveBigIntegerField()
    file_count = models.PositiveIntegerField()
    uncompressed_bytes = models.PositiveBigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.EXTRACTING)
    files_extracted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(default=20)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["course", "version"],
                                    name="content_package_version_unique"),
            models.CheckConstraint(condition=Q(published_at__isnull=True) | Q(status="ready"),
                                   name="content_package_published_only_when_ready"),
            models.CheckConstraint(condition=Q(files_extracted__lte=models.F("file_count")),
                                   name="content_package_progress_within_count"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def content_prefix(self) -> str:
        return f"packages/{self.course_id}/v{self.version}/content/"

    @property
    def percent_extracted(self) -> int:
        return round(100 * self.files_extracted / self.file_count) if self.file_count else 100

    @property
    def scos(self) -> list[dict]:
        return self.manifest.get("scos", [])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
