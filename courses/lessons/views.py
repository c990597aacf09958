"""Course directors write an enduring activity's lessons: list and reorder, edit, attach files,
preview as a learner. Anyone else gets 404 (courses.selectors.educator.course_get_for_director)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import educator_required
from courses.selectors.educator import course_get_for_director

from . import services
from .forms import AttachmentForm, LessonForm
from .models import Lesson


def _form_error(form, error: ValidationError) -> None:
    """A service's error next to its field when the form has that field, else at the top."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


@educator_required
def lesson_list(request, pk: int):
    course = course_get_for_director(user=request.user, pk=pk)
    return render(request, "courses/lessons/list.html", {
        "course": course, "lessons": list(course.lessons.prefetch_related("attachments"))})


@educator_required
def lesson_edit(request, pk: int, lesson_pk: int | None = None):
    course = course_get_for_director(user=request.user, pk=pk)
    lesson = get_object_or_404(Lesson, pk=lesson_pk, course=course) if lesson_pk else None
    initial = ({"title": lesson.title, "body": lesson.body, "status": lesson.status,
                "estimated_minutes": lesson.estimated_minutes, "video_url": lesson.video_url}
               if lesson else None)
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = services.lesson_save(
                course=course, editor=request.user, title=data["title"], body=data["body"],
                estimated_minutes=data["estimated_minutes"], status=data["status"],
                video_url=data["video_url"], video=data["video"], lesson=lesson)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Saved “{lesson.title}”.")
            return redirect("lessons:edit", pk=course.pk, lesson_pk=lesson.pk)
    return render(request, "courses/lessons/form.html", {
        "course": course, "lesson": lesson, "form": form,
        "attachment_form": AttachmentForm() if lesson else None})


@educator_required
@require_POST
def lesson_move(request, pk: int, lesson_pk: int):
    course = course_get_for_director(user=request.user, pk=pk)
    lesson = get_object_or_404(Lesson, pk=lesson_pk, course=course)
    try:
        services.lesson_move(lesson=lesson, editor=request.user,
                             direction="up" if request.POST.get("direction") == "up" else "down")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("lessons:list", pk=course.pk)


@educator_required
@require_POST
def attachment_add(request, pk: int, lesson_pk: int):
    course = course_get_for_director(user=request.user, pk=pk)
    lesson = get_object_or_404(Lesson, pk=lesson_pk, course=course)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.lesson_attachment_add(lesson=lesson, editor=request.user,
                                           title=form.cleaned_data["title"],
                                           upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Attachment added.")
    else:
        messages.error(request, "Give the attachment a title and choose a file.")
    return redirect("lessons:edit", pk=course.pk, lesson_pk=lesson.pk)


@educator_required
def lesson_preview(request, pk: int, lesson_pk: int):
    """The lesson as a learner will see it, drafts included; nothing is recorded."""
    course = course_get_for_director(user=request.user, pk=pk)
    lesson = get_object_or_404(Lesson, pk=lesson_pk, course=course)
    lessons = list(course.lessons.all())
    index = lessons.index(lesson)
    return render(request, "credits/online/lesson.html", {
        "course": course, "lesson": lesson, "attachments": list(lesson.attachments.all()),
        "preview": True, "state": None,
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None})
