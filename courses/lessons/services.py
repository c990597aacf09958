"""Writes course directors make to an enduring activity's lessons and attachments."""
import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from courses.models import Course
from courses.services.publishing import course_editor_require

from .markdown import render_lesson_markdown
from .models import Lesson, LessonAttachment

ATTACHMENT_TYPES = {"application/pdf": LessonAttachment.Kind.PDF,
                    "image/png": LessonAttachment.Kind.IMAGE,
                    "image/jpeg": LessonAttachment.Kind.IMAGE,
                    "image/webp": LessonAttachment.Kind.IMAGE}
VIDEO_TYPES = {"video/mp4", "video/webm"}


def _sniff(upload: UploadedFile) -> str:
    upload.seek(0)
    kind = filetype.guess(upload.read(2048))
    upload.seek(0)
    return kind.mime if kind else ""


def _require_enduring(course: Course) -> None:
    if course.format != Course.Format.ENDURING:
        raise ValidationError("Lessons belong to online (enduring material) activities; change "
                              "the format first.")


@transaction.atomic
def lesson_save(*, course: Course, editor: User, title: str, body: str,
                estimated_minutes: int, status: str, video_url: str = "",
                video: UploadedFile | None = None, lesson: Lesson | None = None) -> Lesson:
    course_editor_require(course=course, editor=editor)
    _require_enduring(course)
    if not title.strip():
        raise ValidationError({"title": "Give the lesson a title."})
    if estimated_minutes < 1:
        raise ValidationError({"estimated_minutes": "Estimate at least 1 minute."})
    if lesson is None:
        top = course.lessons.aggregate(top=Max("position"))["top"]
        lesson = Lesson(course=course, position=(top or 0) + 1)
    elif lesson.course_id != course.pk:
        raise ValidationError("That lesson belongs to another course.")
    if video is not None:
        mime = _sniff(video)
        if mime not in VIDEO_TYPES:
            raise ValidationError({"video": "Upload the video as MP4 or WebM."})
        if video.size > settings.LESSON_VIDEO_MAX_BYTES:
            raise ValidationError({"video": "The video is too large; link to it on the "
                                            "hospital's video platform instead."})
        lesson.video, lesson.video_content_type = video, mime
    lesson.title, lesson.body = title.strip(), body
    lesson.body_html = render_lesson_markdown(body)
    lesson.estimated_minutes, lesson.status, lesson.video_url = estimated_minutes, status, video_url
    lesson.save()
    return lesson


@transaction.atomic
def lesson_move(*, lesson: Lesson, editor: User, direction: str) -> None:
    """Swap the lesson with its neighbour ("up" or "down"); positions are renumbered 1..n."""
    course_editor_require(course=lesson.course, editor=editor)
    lessons = list(Lesson.objects.select_for_update().filter(course_id=lesson.course_id))
    index = next(i for i, other in enumerate(lessons) if other.pk == lesson.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(lessons):
        lessons[index], lessons[target] = lessons[target], lessons[index]
    for position, other in enumerate(lessons, start=1):
        other.position = position
    Lesson.objects.bulk_update(lessons, ["position"])


@transaction.atomic
def lesson_attachment_add(*, lesson: Lesson, editor: User, title: str,
                          upload: UploadedFile) -> LessonAttachment:
    course_editor_require(course=lesson.course, editor=editor)
    mime = _sniff(upload)
    if mime not in ATTACHMENT_TYPES:
        raise ValidationError({"file": "Attach a PDF or an image (PNG, JPEG or WebP)."})
    if upload.size > settings.LESSON_ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": "The file is too large."})
    if not title.strip():
        raise ValidationError({"title": "Give the attachment a title (images: describe it)."})
    top = lesson.attachments.aggregate(top=Max("position"))["top"]
    return LessonAttachment.objects.create(
        lesson=lesson, title=title.strip(), file=upload, kind=ATTACHMENT_TYPES[mime],
        content_type=mime, size=upload.size, position=(top or 0) + 1)


@transaction.atomic
def lesson_attachment_delete(*, attachment: LessonAttachment, editor: User) -> None:
    course_editor_require(course=attachment.lesson.course, editor=editor)
    attachment.file.delete(save=False)
    attachment.delete()
