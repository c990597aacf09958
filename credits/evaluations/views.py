"""The clinician's evaluation of an activity they attended, and the educators' results."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from courses.selectors.educator import course_get_for_manager
from credits.attendance.selectors import attended_course_or_404
from credits.evaluations.forms import EvaluationForm
from credits.evaluations.selectors import (
    evaluation_done_by,
    evaluation_questions_for,
    evaluation_results_for,
)
from credits.evaluations.services import evaluation_submit


@login_required
def evaluation(request, slug: str):
    course = attended_course_or_404(user=request.user, slug=slug)
    if evaluation_done_by(user=request.user, course=course):
        messages.info(request, "You have already evaluated this activity. Thank you.")
        return redirect("ledger:claim", slug=course.slug)
    questions = evaluation_questions_for(course=course)
    form = EvaluationForm(request.POST if request.method == "POST" else None,
                          questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(user=request.user, course=course, answers=form.answers())
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, "Thank you: your evaluation is recorded. You can now "
                                      "claim your credit.")
        return redirect("ledger:claim", slug=course.slug)
    return render(request, "credits/evaluations/form.html", {"course": course, "form": form})


@login_required
def evaluation_results(request, course_id: int):
    course = course_get_for_manager(user=request.user, pk=course_id)
    return render(request, "credits/evaluations/results.html",
                  {"course": course, "results": evaluation_results_for(course=course)})


