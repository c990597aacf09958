"""Course directors' question bank and post-test settings; anyone else gets 404."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import educator_required
from courses.selectors.educator import course_get_for_director

from . import services
from .forms import OPTION_ROWS, PostTestSettingsForm, QuestionForm
from .models import DrillSettings, Question


@educator_required
def question_bank(request, pk: int):
    course = course_get_for_director(user=request.user, pk=pk)
    settings = services.post_test_settings_get(course)
    form = PostTestSettingsForm(request.POST or None, initial={
        "passing_percent": settings.passing_percent, "max_attempts": settings.max_attempts,
        "shuffle": settings.shuffle, "pool_size": settings.pool_size})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_test_settings_save(course=course, editor=request.user,
                                             **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Post-test settings saved.")
            return redirect("questions:bank", pk=course.pk)
    questions = list(course.questions.prefetch_related("options"))
    drill_rules = (DrillSettings.objects.filter(course=course).first() or DrillSettings()
                   if course.format == course.Format.DRILL else None)
    return render(request, "courses/questions/bank.html", {
        "course": course, "form": form, "questions": questions, "drill_rules": drill_rules})


@educator_required
def question_edit(request, pk: int, question_pk: int | None = None):
    course = course_get_for_director(user=request.user, pk=pk)
    question = (get_object_or_404(Question, pk=question_pk, course=course)
                if question_pk else None)
    form = QuestionForm(request.POST or None,
                        initial=QuestionForm.initial_for(question) if question else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_save(course=course, editor=request.user, kind=data["kind"],
                                   stem=data["stem"], rationale=data["rationale"],
                                   reference=data["reference"], options=form.options(),
                                   question=question)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Question saved.")
            return redirect("questions:bank", pk=course.pk)
    return render(request, "courses/questions/form.html", {
        "course": course, "question": question, "form": form, "option_rows": OPTION_ROWS})


@educator_required
@require_POST
def question_retire(request, pk: int, question_pk: int):
    course = course_get_for_director(user=request.user, pk=pk)
    question = get_object_or_404(Question, pk=question_pk, course=course)
    try:
        services.question_retire(question=question, editor=request.user,
                                 active=request.POST.get("active") == "1")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("questions:bank", pk=course.pk)
