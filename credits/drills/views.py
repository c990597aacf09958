"""Drill pages: the drill (join, today's questions), a question's rationale, and the signed
answer link from the email (no sign-in). Deliveries answer 404 to anyone but their learner."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.pwa.recorded import recorded_at
from courses.questions.models import QuestionOption

from .links import EXPIRED, InvalidAnswerLink, answer_token_read
from .models import DrillAnswer
from .selectors import (
    delivery_for_learner,
    delivery_for_link,
    drill_course_get,
    drill_page_get,
    first_open_delivery_for,
    option_letter,
)
from .services import drill_answer_record, drill_join, drill_settings_get

LINK_REFUSED = {
    "forged": (400, "This answer link is not valid",
               "The link was changed or is incomplete, so nothing was recorded. Open the drill "
               "on the portal to answer today's questions."),
    EXPIRED: (410, "This answer link has expired",
              "Answer links work for two weeks. Nothing was recorded; the question will come "
              "back in a later email, or answer it on the portal."),
    "someone_else": (403, "This question was sent to someone else",
                     "You are signed in as another person than the one this email was sent to, "
                     "so nothing was recorded. Sign out, or answer your own questions from "
                     "your drill page."),
}


def _refused(request, reason: str):
    status, title, text = LINK_REFUSED[reason]
    return render(request, "credits/drills/link_refused.html",
                  {"title": title, "text": text}, status=status)


@login_required
@require_GET
def drill(request, slug: str):
    course = drill_course_get(slug=slug, user=request.user)
    page = drill_page_get(user=request.user, course=course)
    return render(request, "credits/drills/drill.html",
                  {"page": page, "course": course, "rules": drill_settings_get(course.pk)})


@login_required
@require_GET
def today(request):
    """The installed app's "Today's drill" shortcut: the oldest question still waiting for an
    answer, else My learning (which lists the learner's drills)."""
    item = first_open_delivery_for(user=request.user)
    if item is not None:
        return redirect("drills:delivery", slug=item.enrolment.course.slug, delivery_id=item.pk)
    return redirect("learning:my_learning")


@login_required
@require_POST
def join(request, slug: str):
    course = drill_course_get(slug=slug, user=request.user)
    try:
        drill_join(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.get_absolute_url())
    messages.success(request, "You joined the drill. Your first questions arrive on the next "
                              "weekday morning; you can also answer them here.")
    return redirect("drills:drill", slug=course.slug)


def _rationale(request, *, delivery, answer: DrillAnswer, already: bool, status: int = 200):
    question = delivery.question
    return render(request, "credits/drills/rationale.html", {
        "delivery": delivery, "question": question, "answer": answer, "already": already,
        "course": delivery.enrolment.course,
        "rules": drill_settings_get(delivery.enrolment.course_id),
        "chosen_letter": option_letter(question, answer.option_id)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delivery(request, slug: str, delivery_id: int):
    """GET: the question (or its rationale once answered). POST: answer it on the site."""
    course = drill_course_get(slug=slug, user=request.user)
    item = delivery_for_learner(user=request.user, course=course, delivery_id=delivery_id)
    if request.method == "POST":
        option = QuestionOption.objects.filter(pk=request.POST.get("option") or 0,
                                               question_id=item.question_id).first()
        if option is None:
            messages.error(request, "Choose one of the answers, then select Answer.")
            return redirect("drills:delivery", slug=slug, delivery_id=item.pk)
        # Answered offline and sent later: it counts when it was chosen (bounded; never before
        # the question was delivered).
        outcome = drill_answer_record(delivery=item, user=request.user, option=option,
                                      channel=DrillAnswer.Channel.SITE,
                                      now=max(recorded_at(request), item.created_at))
        if not outcome.created:
            messages.info(request, "You had already answered this question; your first "
                                   "answer counts.")
        return redirect("drills:delivery", slug=slug, delivery_id=item.pk)
    answer = getattr(item, "answer", None) if hasattr(item, "answer") else None
    if answer is None:
        return render(request, "credits/drills/question.html",
                      {"delivery": item, "question": item.question, "course": course})
    return _rationale(request, delivery=item, answer=answer, already=False)


@require_http_methods(["GET", "POST"])
def answer_link(request, token: str):
    """The emailed option. GET shows the chosen answer and a button that a small script
    presses at once (mail gateways that open every link run no scripts, so they answer
    nothing); POST records it and shows the rationale. No sign-in needed."""
    try:
        delivery_id, user_id, question_id, option_id = answer_token_read(token)
    except InvalidAnswerLink as error:
        return _refused(request, error.reason)
    item = delivery_for_link(delivery_id=delivery_id)
    if (item is None or item.enrolment.user_id != user_id or item.question_id != question_id
            or option_id not in {option.pk for option in item.question.options.all()}):
        return _refused(request, "forged")
    if request.user.is_authenticated and request.user.pk != user_id:
        return _refused(request, "someone_else")
    if hasattr(item, "answer"):
        return _rationale(request, delivery=item, answer=item.answer, already=True, status=409)
    option = get_object_or_404(QuestionOption, pk=option_id)
    if request.method == "GET":
        return render(request, "credits/drills/answer_confirm.html", {
            "delivery": item, "question": item.question, "option": option,
            "letter": option_letter(item.question, option_id), "course": item.enrolment.course})
    outcome = drill_answer_record(delivery=item, user=item.enrolment.user, option=option,
                                  channel=DrillAnswer.Channel.EMAIL)
    item = delivery_for_link(delivery_id=delivery_id)
    return _rationale(request, delivery=item, answer=outcome.answer, already=not outcome.created,
                      status=200 if outcome.created else 409)
