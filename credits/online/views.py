"""Learner pages of an online activity. Lessons, files and attempts answer 404 to anyone not
enrolled (directors and the CME office may read lessons), and an attempt only to its owner."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.pwa.recorded import is_warming, recorded_at
from courses.lessons.models import Lesson
from courses.models import Course

from .forms import PostTestForm
from .models import PostTestAttempt
from .ranged import ranged_file_response
from .selectors import (
    STATISTICS_MIN_ATTEMPTS,
    attachment_get,
    attempt_with_questions,
    can_open_module,
    enduring_course_get,
    learner_enrolled_in,
    module_state_for,
    post_test_statistics,
)
from .services import (
    AttemptAlreadySubmitted,
    lesson_view_record,
    module_start,
    post_test_attempt_start,
    post_test_attempt_submit,
)


def _course_or_404(slug: str):
    course = enduring_course_get(slug=slug)
    if course is None:
        raise Http404("No online activity has this address.")
    return course


def _module_or_404(request, slug: str):
    course = _course_or_404(slug)
    if not can_open_module(user=request.user, course=course):
        raise Http404("Start this activity from its page first.")
    return course


@login_required
@require_POST
def start(request, slug: str):
    course = _course_or_404(slug)
    try:
        module_start(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.get_absolute_url())
    return redirect("online:resume", slug=course.slug)


@login_required
@require_GET
def resume(request, slug: str):
    course = _module_or_404(request, slug)
    state = module_state_for(user=request.user, course=course)
    lesson = state.resume_lesson
    if state.package_due:
        return redirect("scorm:player", slug=course.slug,
                        sco_number=state.package_state.next_step.number)
    if lesson is None and state.package_state is not None:
        return redirect("scorm:player", slug=course.slug, sco_number=1)
    if lesson is None:
        messages.info(request, "This activity has no lessons yet.")
        return redirect(course.get_absolute_url())
    if state.all_viewed and state.has_post_test and not state.complete:
        return redirect("online:post_test", slug=course.slug)
    return redirect("online:lesson", slug=course.slug, lesson_id=lesson.pk)


@login_required
@require_GET
def lesson(request, slug: str, lesson_id: int):
    course = _module_or_404(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, course=course,
                               status=Lesson.Status.PUBLISHED)
    # Directors and the CME office read without enrolling; their reading is not progress. Nor
    # is the service worker keeping the page for offline reading (lesson_read records that).
    if learner_enrolled_in(user=request.user, course=course) and not is_warming(request):
        try:
            lesson_view_record(user=request.user, lesson=lesson)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(course.get_absolute_url())
    state = module_state_for(user=request.user, course=course)
    return render(request, "credits/online/lesson.html",
                  _lesson_context(state, lesson, preview=False))


@login_required
@require_POST
def lesson_read(request, slug: str, lesson_id: int):
    """A lesson read from the copy kept on the phone, sent when the connection returned: the
    same record as opening it online, at the time it was read (bounded). A repeat finds the
    learner's one view of the lesson."""
    course = _module_or_404(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, course=course,
                               status=Lesson.Status.PUBLISHED)
    if learner_enrolled_in(user=request.user, course=course):
        try:
            lesson_view_record(user=request.user, lesson=lesson, now=recorded_at(request))
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return HttpResponse(status=409)
    return HttpResponse(status=204)


def _lesson_context(state, lesson, *, preview: bool) -> dict:
    lessons = state.lessons if not preview else [lesson]
    index = next((i for i, other in enumerate(lessons) if other.pk == lesson.pk), 0)
    return {
        "course": state.course, "state": state, "lesson": lesson,
        "attachments": list(lesson.attachments.all()),
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "preview": preview,
    }


@login_required
@require_GET
def attachment(request, slug: str, attachment_id: int):
    course = _module_or_404(request, slug)
    item = attachment_get(course=course, attachment_id=attachment_id)
    if item is None:
        raise Http404("No such file.")
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def lesson_video(request, slug: str, lesson_id: int):
    course = _module_or_404(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, course=course,
                               status=Lesson.Status.PUBLISHED)
    if not lesson.video:
        raise Http404("This lesson has no uploaded video.")
    return ranged_file_response(request, lesson.video, lesson.video_content_type)


@login_required
@require_http_methods(["GET", "POST"])
def post_test(request, slug: str):
    course = _module_or_404(request, slug)
    if request.method == "POST":
        try:
            attempt = post_test_attempt_start(user=request.user, course=course)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("online:post_test", slug=course.slug)
        return redirect("online:attempt", slug=course.slug, attempt_id=attempt.pk)
    state = module_state_for(user=request.user, course=course)
    return render(request, "credits/online/post_test.html", {"course": course, "state": state})


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request, slug: str, attempt_id: int):
    course = _course_or_404(slug)
    attempt = get_object_or_404(PostTestAttempt, pk=attempt_id, course=course,
                                user=request.user)
    items = attempt_with_questions(attempt=attempt)
    if attempt.is_submitted:
        state = module_state_for(user=request.user, course=course)
        return render(request, "credits/online/attempt_result.html", {
            "course": course, "attempt": attempt, "items": items, "state": state})
    form = PostTestForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST":
        if form.is_valid():
            try:
                post_test_attempt_submit(user=request.user, attempt=attempt,
                                         answers=form.answers())
            except AttemptAlreadySubmitted as error:
                messages.info(request, error.messages[0])
                return redirect("online:attempt", slug=course.slug, attempt_id=attempt.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("online:attempt", slug=course.slug, attempt_id=attempt.pk)
        else:
            form.add_error(None, "Answer every question before you submit; the questions "
                                 "still to answer are marked below.")
    return render(request, "credits/online/attempt_form.html", {
        "course": course, "attempt": attempt, "form": form, "items": items},
        status=400 if form.errors else 200)


@login_required
@require_GET
def post_test_results(request, course_id: int):
    """Item analysis for a course's directors and the CME office; anyone else gets 404."""
    course = get_object_or_404(Course, pk=course_id, format=Course.Format.ENDURING)
    user = request.user
    if not (user.is_administrator or course.directors.filter(pk=user.pk).exists()):
        raise Http404("No such course among yours.")
    attempts, questions = post_test_statistics(course=course)
    return render(request, "credits/online/results.html", {
        "course": course, "attempts": attempts, "questions": questions,
        "minimum": STATISTICS_MIN_ATTEMPTS,
        "chart_height": 28 * len(questions) + 10})
