"""Ordered lessons of an enduring activity and their private attachments."""
from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from courses.models import Course


def lesson_file_storage():
    return storages[settings.LESSON_FILE_STORAGE]


def attachment_path(instance, filename: str) -> str:
    return f"lessons/{instance.lesson.course_id}/{instance.lesson_id}/{filename}"


def video_path(instance, filename: str) -> str:
    return f"lessons/{instance.course_id}/video/{filename}"


class Lesson(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="lessons")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown: headings, lists, tables, links.")
    # Rendered and sanitised once on save (courses.lessons.markdown), never per page view.
    body_html = models.TextField(blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    estimated_minutes = models.PositiveSmallIntegerField(default=5)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    video = models.FileField(upload_to=video_path, storage=lesson_file_storage, blank=True)
    video_content_type = models.CharField(max_length=50, blank=True, editable=False)
    video_url = models.URLField(
        blank=True, help_text="A link to the hospital's video platform (shown as a link).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_minutes__gt=0),
                                   name="lesson_estimated_minutes_positive"),
        ]
        indexes = [models.Index(fields=["course", "status", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class LessonAttachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        IMAGE = "image", "Image"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200, help_text="Also the image's alternative text.")
    file = models.FileField(upload_to=attachment_path, storage=lesson_file_storage)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
