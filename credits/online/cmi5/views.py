"""The cmi5 player: the learner's page that launches an AU (a new session each time) in the
same sandboxed frame SCORM packages play in (docs/decisions/0014)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from credits.online.selectors import can_open_module, enduring_course_get, module_state_for

from .launch import au_launch


@login_required
@require_GET
def player(request, slug: str, au_number: int):
    course = enduring_course_get(slug=slug)
    if course is None or not can_open_module(user=request.user, course=course):
        raise Http404("Start this activity from its page first.")
    try:
        launch = au_launch(user=request.user, course=course, au_number=au_number,
                           origin=f"{request.scheme}://{request.get_host()}")
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.get_absolute_url())
    au = launch.session.registration.package.scos[au_number - 1]
    return render(request, "credits/online/cmi5/player.html", {
        "course": course, "state": module_state_for(user=request.user, course=course),
        "au": au, "launch": launch, "package": launch.session.registration.package,
        "own_window": au.get("launch_method") == "OwnWindow"})
